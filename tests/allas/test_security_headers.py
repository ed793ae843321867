"""Every page the project defines answers with the security headers, with production settings.

The URL list is read from the resolver, so a new page is checked without editing this test; a
new URL whose arguments this test cannot fill fails until ARGUMENTS learns them. Public pages
are fetched as a visitor, staff pages as staff of Montevideo, admin pages (every registered
model's list, add, change, delete, history and version pages, imports, exports) as a coordinator.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from activities.models import Activity
from front.sitemaps import SITEMAPS
from joining import links
from joining.models import Application
from opendata.tables import TABLES
from partners.models import Agreement, Membership
from results.models import Measure
from tests import factories
from tests.results.work_plan import make_indicator, make_period

PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}
# Pages a signed-in staff member is sent away from: fetched as a visitor.
ANONYMOUS_ONLY = {
    "staff:login",
    "staff:password_reset",
    "staff:password_reset_done",
    "staff:password_reset_confirm",
    "staff:password_reset_complete",
    "admin:login",
}
# Not pages: redirects, JavaScript, the language switch, uploaded files.
NOT_PAGES = {"admin:view_on_site", "admin:jsi18n", "set_language", "admin:logout", "staff:logout"}
# Uploaded files, not pages: their own headers are checked in tests/allas/test_private_files.py.
NOT_PAGES.add("media")


def named_patterns(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def admin_model(name):
    """The model of an admin URL name like ``admin:partners_partner_change``."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, name[len(prefix) :]
    return None, None


@pytest.fixture
def world(partner_a, partner_b, network, staff_a, coordinator):
    theme = factories.make_theme()
    factories.make_membership(member=partner_a, network=network)
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    agreement.themes.add(theme)
    activity = factories.make_activity(
        kind=Activity.Kind.TRAINING, partners=[partner_a, partner_b], agreement=agreement
    )
    activity.themes.add(theme)
    resource = factories.make_resource()
    application = factories.make_application(status=Application.Status.UNDER_REVIEW)
    period = make_period()
    indicator = make_indicator(measure=Measure.TRAININGS, targets={period: 3})
    return {
        "period": period,
        "indicator": indicator,
        "application": application,
        "partner": partner_a,
        "agreement": agreement,
        "activity": activity,
        "resource": resource,
        "theme": theme,
        "staff": staff_a,
        "coordinator": coordinator,
    }


def url_for(name, pattern, world):
    """The URLs to fetch for one pattern ([] when it has nothing to show), or raise."""
    params = set(pattern.pattern.regex.groupindex)
    model, view = admin_model(name)
    if name in NOT_PAGES:
        return []
    if not params and pattern.pattern.regex.groups == 0:
        return [reverse(name)]
    if name == "admin:app_list":
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [reverse(name, kwargs={"app_label": label}) for label in labels]
    if model is not None:
        obj = model._base_manager.order_by("pk").first()
        if obj is None:
            return []  # nothing of this kind exists (access logs…)
        if view == "simple_history":
            record = obj.history.order_by("history_id").first()
            return [reverse(name, args=[obj.pk, record.history_id])]
        if view == "transition":
            return [
                reverse(name, kwargs={"object_id": obj.pk, "to_status": status})
                for status in obj.allowed_transitions()
            ]
        if params == {"object_id"}:
            return [reverse(name, kwargs={"object_id": obj.pk})]
        if params == {"id"}:
            return [reverse(name, kwargs={"id": obj.pk})]
    slugs = {
        "partners:partner-detail": world["partner"].slug,
        "partners:agreement-detail": world["agreement"].slug,
        "activities:activity-detail": world["activity"].slug,
        "activities:resource-detail": world["resource"].slug,
        "activities:feed-partner": world["partner"].slug,
        "activities:feed-theme": world["theme"].slug,
        "api:partner-detail": world["partner"].slug,
        "api:agreement-detail": world["agreement"].slug,
        "api:activity-detail": world["activity"].slug,
        "api:resource-detail": world["resource"].slug,
        "api:theme-detail": world["theme"].slug,
    }
    if name.startswith("results:"):
        kwargs = {"slug": world["period"].slug, "pk": world["indicator"].pk}
        return [reverse(name, kwargs={key: kwargs[key] for key in params})]
    if name == "admin:results_period_records":
        indicator = world["indicator"]
        return [reverse(name, args=[world["period"].pk, indicator.pk])]
    if params == {"slug"} and name in slugs:
        return [reverse(name, kwargs={"slug": slugs[name]})]
    if params == {"pk"} and name.startswith("staff:"):
        return [reverse(name, kwargs={"pk": world["activity"].pk})]
    if name == "sitemap-section":
        return [reverse(name, kwargs={"section": section}) for section in SITEMAPS]
    if name == "api:membership-detail":
        return [reverse(name, kwargs={"pk": Membership.objects.order_by("pk").first().pk})]
    if name == "data:table-csv":
        return [reverse(name, kwargs={"table": table.name}) for table in TABLES]
    if name in ("joining:confirm", "joining:status"):
        purpose = links.CONFIRM if name == "joining:confirm" else links.STATUS
        return [reverse(name, args=[links.token(world["application"], purpose)])]
    if name == "staff:password_reset_confirm":
        user = world["staff"]
        uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        return [reverse(name, kwargs={"uidb64": uidb64, "token": token})]
    raise AssertionError(f"Teach ARGUMENTS in {__name__} how to fill the URL {name} ({params})")


def client_for(name, url, world):
    client = Client()
    if name in ANONYMOUS_ONLY:
        return client
    if url.startswith("/admin") or name.startswith("admin"):
        client.force_login(world["coordinator"])
    elif name.startswith("staff:"):
        client.force_login(world["staff"])
    return client


# What CSP blocks without 'unsafe-inline': a script element without src (JSON data blocks are
# fine), an event-handler attribute, a javascript: URL.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
    r"|<[^>]+\son[a-z]+\s*=|\bhref=\"javascript:",
    re.IGNORECASE,
)


# Pages whose address holds a signed link: they send no Referer to other sites, and a
# same-origin one so their own forms pass the CSRF check (joining/views.py).
SAME_ORIGIN_REFERRER = ("/join/confirm/", "/join/application/")


def assert_security_headers(url, response):
    where = f"{url} ({response.status_code})"
    csp = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("default-src") == ["'self'"], where
    scripts = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert all(s == "'self'" or s.startswith("'nonce-") for s in scripts), where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("object-src") == ["'none'"], where
    assert directives.get("base-uri") == ["'self'"], where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    referrer = "same-origin" if any(p in url for p in SAME_ORIGIN_REFERRER) else None
    assert response.get("Referrer-Policy") == (referrer or "strict-origin-when-cross-origin"), where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    ), where
    for cookie in response.cookies.values():
        assert cookie["secure"], f"{where}: cookie {cookie.key} without Secure"
        assert cookie["samesite"] in {"Lax", "Strict"}, f"{where}: cookie {cookie.key}"
        if cookie.key == "sessionid":
            assert cookie["httponly"], where


def test_every_page_sends_the_security_headers_in_production(world, settings, capsys):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    checked, seen = [], set()
    for name, pattern in named_patterns():
        for url in url_for(name, pattern, world):
            if url in seen:
                continue
            seen.add(url)
            client = client_for(name, url, world)
            response = client.get(url, secure=True)
            assert response.status_code < 500, url
            if response.get("Content-Type", "").startswith("text/html"):
                assert_security_headers(url, response)
                checked.append((url, response.status_code))
                inline = INLINE_SCRIPT.findall(response.content.decode())
                assert not inline, f"{url}: script the policy would block: {inline[:3]}"
            else:
                # Feeds, CSV, JSON: not rendered by a browser, still never sniffed.
                assert response.get("X-Content-Type-Options") == "nosniff", url

    shown = [url for url, status in checked if status == 200]
    with capsys.disabled():
        print(
            f"\nsecurity headers checked on {len(checked)} HTML responses ({len(shown)} pages 200)"
        )
    assert len(shown) >= 60
    assert any(u.startswith("/admin/partners/agreement/") for u in shown)
    assert any("/staff/" in u for u in shown)
    assert any(re.match(r"^/es/partners/[^/]+/$", u) for u in shown)


def test_a_plain_http_request_is_redirected_to_https_in_production(settings, db):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)

    response = Client().get("/es/partners/?kind=city")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/es/partners/?kind=city"


def test_the_policy_headers_are_sent_in_development_too(client, db):
    response = client.get(reverse("home"))

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_agreement_used_for_transitions_has_some(world):
    """Guards the walk above: an agreement with no allowed transition would hide those pages."""
    assert world["agreement"].status == Agreement.Status.PROPOSED
    assert world["agreement"].allowed_transitions()


def test_every_response_sends_a_permissions_policy(client, db):
    policy = client.get(reverse("home"))["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy


def test_the_bad_host_page_sends_the_security_headers(db, settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    settings.DEBUG = False

    client = Client(raise_request_exception=False)
    response = client.get(reverse("home"), HTTP_HOST="evil.example", secure=True)

    assert response.status_code == 400
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:dashboard", "admin:partners_partner_changelist"]
)
def test_admin_pages_are_not_stored_by_any_cache(coordinator_client, url_name):
    response = coordinator_client.get(reverse(url_name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_the_dashboard_csv_is_not_stored_by_any_cache(coordinator_client):
    response = coordinator_client.get(reverse("admin:dashboard"), {"csv": "activities-per-year"})

    assert response.status_code == 200, response.content[:200]
    assert response["Cache-Control"] == "no-store, private"


def test_staff_pages_are_not_stored_by_any_cache(staff_a_client):
    response = staff_a_client.get(reverse("staff:activity-list"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_public_pages_for_a_signed_in_user_are_not_stored(staff_a_client, partner_a):
    response = staff_a_client.get(reverse("partners:partner-detail", args=[partner_a.slug]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_public_pages_for_visitors_keep_their_caching(client, partner_a):
    response = client.get(reverse("partners:partner-detail", args=[partner_a.slug]))

    assert "no-store" not in response.get("Cache-Control", "")
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("method", ["post", "trace"])
def test_pages_that_only_read_refuse_other_methods(world, coordinator, client, method):
    urls = [
        reverse("home"),
        reverse("healthz"),
        reverse("activities:feed-all"),
        reverse("activities:feed-partner", args=[world["partner"].slug]),
        reverse("activities:feed-theme", args=[world["theme"].slug]),
        reverse("data:partners-geojson"),
        reverse("data:table-csv", args=["partners"]),
        reverse("partners:partner-list"),
        reverse("partners:partner-detail", args=[world["partner"].slug]),
        reverse("partners:agreement-list"),
        reverse("partners:agreement-detail", args=[world["agreement"].slug]),
        reverse("activities:activity-list"),
        reverse("activities:activity-detail", args=[world["activity"].slug]),
        reverse("activities:resource-list"),
        reverse("activities:resource-detail", args=[world["resource"].slug]),
    ]
    statuses = {url: getattr(client, method)(url).status_code for url in urls}
    client.force_login(coordinator)
    statuses["dashboard"] = getattr(client, method)(reverse("admin:dashboard")).status_code

    assert statuses == dict.fromkeys(statuses, 405)
