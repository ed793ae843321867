"""Failed logins are throttled per user name and address (django-axes), on the staff login and
the admin login alike; the lock lifts after the cool-off time or when a coordinator resets it."""

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USER = 3
    return 3


def login(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, url, username, times, address="10.0.0.1"):
    return [login(client, url, username, "wrong", address).status_code for _ in range(times)]


def test_the_staff_login_locks_a_user_name_after_repeated_failures(client, staff_a, limit):
    url = reverse("staff:login")

    statuses = fail(client, url, "staff_a", limit)
    response = login(client, url, "staff_a", factories.PASSWORD)

    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    assert response.status_code == 429, "even the right password is refused while locked"
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_user_name_and_address(client, staff_a, staff_b, limit):
    url = reverse("staff:login")
    fail(client, url, "staff_a", limit)

    from_elsewhere = login(client, url, "staff_a", factories.PASSWORD, address="10.0.0.2")
    client.logout()
    other_user = login(client, url, "staff_b", factories.PASSWORD)

    assert from_elsewhere.status_code == 302
    assert other_user.status_code == 302


def test_the_admin_login_is_throttled_too(client, coordinator, limit):
    url = reverse("admin:login")

    fail(client, url, "coordinator", limit)
    response = login(client, url, "coordinator", factories.PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_reset_lifts_the_lock(client, staff_a, limit):
    url = reverse("staff:login")
    fail(client, url, "staff_a", limit)
    assert login(client, url, "staff_a", factories.PASSWORD).status_code == 429

    reset(username="staff_a")

    assert login(client, url, "staff_a", factories.PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off_time(client, staff_a, limit, settings):
    url = reverse("staff:login")
    fail(client, url, "staff_a", limit)
    assert login(client, url, "staff_a", factories.PASSWORD).status_code == 429

    # Pretend the failures happened longer ago than the cool-off time.
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= cool_off + datetime.timedelta(minutes=1)
        attempt.save()

    assert login(client, url, "staff_a", factories.PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, staff_a, limit):
    url = reverse("staff:login")
    fail(client, url, "staff_a", limit - 1)
    assert login(client, url, "staff_a", factories.PASSWORD).status_code == 302
    client.logout()

    statuses = fail(client, url, "staff_a", limit - 1)

    assert statuses == [200] * (limit - 1)


@pytest.mark.parametrize("url_name", ["staff:login", "admin:login"])
def test_a_user_name_too_long_to_record_is_refused_like_any_wrong_one(client, url_name):
    """Found by the fuzz tests on PostgreSQL: a user name over 255 characters, too long for
    django-axes' tables, was a server error. It is recorded cut to 255 characters."""
    response = login(client, reverse(url_name), "x" * 300, factories.PASSWORD)
    assert response.status_code == 200
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [255]


PROXY = "10.9.9.9"


def login_via_proxy(client, url, username, password, client_address):
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_failures_of_one_client_do_not_lock_out_another(
    client, staff_a, limit, behind_proxy
):
    url = reverse("staff:login")
    for _ in range(limit):
        login_via_proxy(client, url, "staff_a", "wrong", "203.0.113.1")
    locked = login_via_proxy(client, url, "staff_a", factories.PASSWORD, "203.0.113.1")
    assert locked.status_code == 429

    response = login_via_proxy(client, url, "staff_a", factories.PASSWORD, "198.51.100.2")

    assert response.status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, staff_a, behind_proxy):
    """Entries left of the proxy's are written by the client and could be forged."""
    login_via_proxy(client, reverse("staff:login"), "staff_a", "wrong", "192.0.2.7, 203.0.113.1")

    assert [a.ip_address for a in AccessAttempt.objects.all()] == ["203.0.113.1"]


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, staff_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    login_via_proxy(client, reverse("staff:login"), "staff_a", "wrong", "203.0.113.1")

    assert [a.ip_address for a in AccessAttempt.objects.all()] == [PROXY]


def test_one_address_trying_many_user_names_is_throttled(
    client, staff_a, limit, settings, behind_proxy
):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 4
    url = reverse("staff:login")
    statuses = [
        login_via_proxy(client, url, f"user{n}", "wrong", "203.0.113.1").status_code
        for n in range(4)
    ]

    from_there = login_via_proxy(client, url, "staff_a", factories.PASSWORD, "203.0.113.1")
    client.logout()
    from_elsewhere = login_via_proxy(client, url, "staff_a", factories.PASSWORD, "198.51.100.2")

    assert statuses == [200, 200, 200, 429]
    assert from_there.status_code == 429
    assert "Logins from your address failed 4 times" in from_there.content.decode()
    assert from_elsewhere.status_code == 302
