"""Personas and shared fixtures: coordinator, staff of partner A, staff of partner B, visitor."""

import os

import pytest

from tests import factories

# Playwright runs its own event loop in the test thread; the ORM calls around it are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas log in with passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
