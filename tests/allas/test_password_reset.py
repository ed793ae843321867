"""The password-reset e-mail links to SITE_URL whatever Host the request named, and requests
are throttled per client address and per e-mail address."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def request_reset(client, email, address="10.0.0.1", **extra):
    return client.post(
        reverse("staff:password_reset"), {"email": email}, REMOTE_ADDR=address, **extra
    )


def test_the_reset_link_is_on_site_url_whatever_the_host_header(client, staff_a, settings):
    settings.SITE_URL = "https://allas.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]

    response = request_reset(client, staff_a.email, HTTP_HOST="evil.example")

    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "https://allas.example.org/en/staff/password-reset/" in body
    assert "evil.example" not in body + mail.outbox[0].subject


def test_reset_requests_for_one_e_mail_address_are_throttled(client, staff_a, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    statuses = [
        request_reset(client, staff_a.email, address=f"10.0.0.{n}").status_code for n in range(1, 4)
    ]
    response = request_reset(client, staff_a.email.upper(), address="10.0.0.9")

    assert statuses == [302, 302, 429]
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 2


def test_reset_requests_from_one_address_are_throttled(client, staff_a, staff_b, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    statuses = [
        request_reset(client, email).status_code
        for email in ["nobody@example.org", staff_a.email, staff_b.email]
    ]
    from_elsewhere = request_reset(client, staff_b.email, address="10.0.0.2")

    assert statuses == [302, 302, 429]
    assert from_elsewhere.status_code == 302
    assert [m.to for m in mail.outbox] == [[staff_a.email], [staff_b.email]]


def test_behind_the_proxy_reset_requests_are_counted_per_client(client, staff_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    proxy = {"address": "10.9.9.9"}

    first = request_reset(client, "a@example.org", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    other = request_reset(client, "b@example.org", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    again = request_reset(client, "c@example.org", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)

    assert [first.status_code, other.status_code, again.status_code] == [302, 302, 429]
