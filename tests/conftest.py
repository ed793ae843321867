"""Personas and shared fixtures: coordinator, staff of partner A, staff of partner B, visitor."""

import os

import pytest
from django.utils import translation

from tests import factories

# Playwright runs its own event loop in the test thread; the ORM calls around it are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (validation, commands) speaks English in tests, so messages
    read as in the source; requests still choose their language through LocaleMiddleware."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas log in with passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _open_data_root(settings, tmp_path):
    """The downloads of /data/v1/ are written to a temporary folder, never into the project."""
    settings.OPEN_DATA_ROOT = tmp_path / "opendata"


@pytest.fixture
def partner_a(db):
    return factories.make_partner(name="Montevideo", slug="montevideo", country="UY")


@pytest.fixture
def partner_b(db):
    return factories.make_partner(name="Quito", slug="quito", country="EC")


@pytest.fixture
def network(db):
    return factories.make_network(name="AL-LAs", slug="al-las", country="MX")


@pytest.fixture
def coordinator(db):
    return factories.make_coordinator("coordinator")


@pytest.fixture
def staff_a(partner_a):
    return factories.make_staff(partner_a, "staff_a")


@pytest.fixture
def staff_b(partner_b):
    return factories.make_staff(partner_b, "staff_b")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def staff_a_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with an empty cache (figures cached by one test must not answer in the
    next), and without the page cache of allas/cache.py, so tests may ask a page several times
    and read its context; tests/allas/test_page_cache.py turns it on."""
    from django.core.cache import cache

    from allas.cache import local_pages

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cache.clear()
    local_pages.forget()
    yield
    cache.clear()
    local_pages.forget()
