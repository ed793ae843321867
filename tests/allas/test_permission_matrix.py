"""The permission matrix: every staff, admin and public URL × every persona → expected status.

Personas: a visitor, staff of partner A (Montevideo), staff of partner B (Quito), a coordinator.
Expected answers: "login" (redirect to the staff login), "admin-login" (redirect to the admin
login), or a status code. Another organisation's record answers 404, not 403, so a URL never
reveals that it exists.

The matrix is checked against the URL resolver both ways: a new URL name that is not in the
matrix fails ``test_every_url_name_is_in_the_matrix`` until someone decides who may open it.
Admin model URLs are generated from ``admin.site._registry`` (changelist, add, change, delete,
history and the extra views the model admins add), with the exceptions listed below.
"""

import datetime
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import Activity, ProposedChange, Resource
from activities.review import activity_snapshot
from joining import links
from joining.models import Application
from opendata.tables import TABLES
from partners.models import Agreement, AgreementReminder, Membership, Partner
from partners.services import agreement_create
from results.models import Measure
from results.services import period_close
from tests import factories
from tests.results.work_plan import make_indicator, make_period

pytestmark = pytest.mark.django_db


PERSONAS = ["anonymous", "staff_a", "staff_b", "coordinator"]
LOGIN, ADMIN_LOGIN = "login", "admin-login"

# Public namespaces and names: expected 200 for everyone unless listed in PUBLIC_EXCEPTIONS.
PUBLIC_NAMESPACES = {"partners", "activities"}
PUBLIC_NAMES = {
    "home",
    "healthz",
    "robots-txt",
    "sitemap-index",
    "sitemap-section",
    "opendata:open-data",
    "favicon",
    "web-manifest",
}
PUBLIC_EXCEPTIONS = {
    # GET redirects back; the language is set with a POST.
    "set_language": dict.fromkeys(PERSONAS, 302),
}

# Extra views model admins add, by name suffix: {suffix: (arguments, coordinator's answer)}.
ADMIN_EXTRA_VIEWS = {
    "import": ("none", 200),
    "export": ("none", 200),
    "process_import": ("none", 405),  # only the confirmation POST of an import
    "simple_history": ("history", 200),  # one earlier version, with "revert"
    "transition": ("transition", 200),  # the agreement lifecycle form
    "password_change": ("object", 200),  # auth.User: set a password
    "review": ("object", 405),  # a proposed change's decision: POST only
    # An application's decisions: each a form (GET) that acts on POST.
    "accept": ("object", 200),
    "decline": ("object", 200),
    "ask": ("object", 200),
    "erase": ("object", 200),
    "start_review": ("object", 405),  # a button: POST only
    # A period's results (results/admin.py): the page, its buttons, the records behind a
    # figure and the funder's report in its three forms.
    "results": ("object", 200),
    "close": ("object", 405),
    "reopen": ("object", 405),
    "records": ("records", 200),
    "report": ("object", 200),
    "report_pdf": ("object", 200),
    "report_xlsx": ("object", 200),
}
# Coordinator's answer where the model admin forbids a standard view, by URL name.
ADMIN_EXCEPTIONS = {
    # Recorded by the software, never typed: no add, and read-only change pages.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:partners_agreementstatuschange_add": 403,
    "admin:partners_agreementstatuschange_delete": 403,
    "admin:partners_agreementreminder_add": 403,
    # Proposed by staff in the staff area, decided on the change page; nothing is deleted.
    "admin:activities_proposedchange_add": 403,
    "admin:activities_proposedchange_delete": 403,
    # Sent by applicants on the public form; personal data is erased, never deleted.
    "admin:joining_application_add": 403,
    "admin:joining_application_delete": 403,
    # Written when a period closes, never typed; kept (reopening removes them with history).
    "admin:results_reportedfigure_add": 403,
    "admin:results_reportedfigure_delete": 403,
}


@dataclass
class Case:
    name: str
    label: str
    url: str
    expected: dict


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = ":".join(n for n in [namespace, inner] if n) if inner else namespace
            yield from walk(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def resolver_names():
    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def world(partner_a, partner_b, network, staff_a, staff_b, coordinator):
    """One record of every kind, so every object URL has something to open."""
    factories.make_partner(
        kind=Partner.Kind.INSTITUTION, name="University", slug="university", country="FR"
    )
    factories.make_membership(member=partner_a, network=network)
    agreement = agreement_create(
        title="Agreement",
        slug="agreement",
        kind=Agreement.Kind.MOU,
        parties=[(partner_a, "signatory"), (partner_b, "signatory")],
    )
    AgreementReminder.objects.create(
        agreement=agreement, reason="stuck", event_date=datetime.date(2024, 1, 1)
    )
    theme = factories.make_theme()
    published = factories.make_activity(
        partners=[partner_a, partner_b], kind=Activity.Kind.TRAINING, slug="published"
    )
    published.themes.add(theme)
    # Staff A's organisation organises it; B's took part. A's edit of it waits for review.
    snapshot = activity_snapshot(published)
    ProposedChange.objects.create(
        activity=published, base=snapshot, proposed=snapshot, proposed_by=staff_a
    )
    draft_a = factories.make_activity(
        partners=[partner_a], status=Activity.Status.DRAFT, slug="draft-a", title="A's draft"
    )
    draft_b = factories.make_activity(
        partners=[partner_b], status=Activity.Status.DRAFT, slug="draft-b", title="B's draft"
    )
    resource = factories.make_resource(slug="guide")
    resource.partners.add(partner_a)
    resource_b = factories.make_resource(slug="quito-guide", title="B's guide", is_public=False)
    resource_b.partners.add(partner_b)
    AccessAttempt.objects.create(username="x", ip_address="10.0.0.9", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="10.0.0.9")
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.9")
    # The first application (the one the admin's object URLs open) awaits review; the second
    # has just been sent and waits for its e-mail address to be confirmed.
    application = factories.make_application(status=Application.Status.RECEIVED)
    unconfirmed = factories.make_application()
    # The work plan: a period with a public and a non-public indicator, and a closed period.
    period = make_period(
        slug="year", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    public_indicator = make_indicator(measure=Measure.TRAININGS, targets={period: 2})
    hidden_indicator = make_indicator(measure=Measure.TRAININGS, is_public=False)
    closed = make_period(
        slug="earlier", starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31)
    )
    make_indicator(measure="", targets={closed: 3})
    period_close(period=closed)
    return {
        "users": {"staff_a": staff_a, "staff_b": staff_b, "coordinator": coordinator},
        "slugs": {
            "partner": partner_a.slug,
            "agreement": agreement.slug,
            "activity": published.slug,
            "resource": resource.slug,
            "theme": theme.slug,
        },
        "published": published,
        "draft_a": draft_a,
        "draft_b": draft_b,
        "resource_a": resource,
        "resource_b": resource_b,
        "agreement": agreement,
        "coordinator": coordinator,
        "application": application,
        "unconfirmed": unconfirmed,
        "period": period,
        "public_indicator": public_indicator,
        "hidden_indicator": hidden_indicator,
    }


def staff_cases(world):
    a, b = world["draft_a"].pk, world["draft_b"].pk
    own = {"anonymous": LOGIN, "staff_a": 200, "staff_b": 200, "coordinator": 200}
    cases = [
        Case("staff:activity-list", "", reverse("staff:activity-list"), own),
        Case(
            "staff:training-create",
            "",
            reverse("staff:training-create"),
            {**own, "coordinator": 403},  # not linked to an organisation
        ),
        Case("staff:partner-search", "", reverse("staff:partner-search") + "?q=qu", own),
        Case("staff:resource-list", "", reverse("staff:resource-list"), own),
        Case(
            "staff:resource-create",
            "",
            reverse("staff:resource-create"),
            {**own, "coordinator": 403},  # not linked to an organisation
        ),
        Case(
            "staff:login",
            "",
            reverse("staff:login"),
            {"anonymous": 200, "staff_a": 302, "staff_b": 302, "coordinator": 302},
        ),
        Case("staff:logout", "GET", reverse("staff:logout"), dict.fromkeys(PERSONAS, 405)),
    ]
    for name in ["staff:activity-edit", "staff:activity-duplicate"]:
        cases += [
            Case(
                name,
                "A's draft",
                reverse(name, args=[a]),
                {"anonymous": LOGIN, "staff_a": 200, "staff_b": 404, "coordinator": 404},
            ),
            Case(
                name,
                "B's draft",
                reverse(name, args=[b]),
                {"anonymous": LOGIN, "staff_a": 404, "staff_b": 200, "coordinator": 404},
            ),
            Case(
                name,
                "missing",
                reverse(name, args=[987654]),
                {"anonymous": LOGIN, "staff_a": 404, "staff_b": 404, "coordinator": 404},
            ),
        ]
    cases.append(
        Case(
            "staff:activity-edit",
            "published, organised by A, B took part",
            reverse("staff:activity-edit", args=[world["published"].pk]),
            # B sees the record in its list, but only its organisers change it.
            {"anonymous": LOGIN, "staff_a": 200, "staff_b": 403, "coordinator": 404},
        )
    )
    for label, pk, expected in [
        ("A's resource", world["resource_a"].pk, {"staff_a": 200, "staff_b": 404}),
        ("B's resource", world["resource_b"].pk, {"staff_a": 404, "staff_b": 200}),
        ("missing", 987654, {"staff_a": 404, "staff_b": 404}),
    ]:
        cases.append(
            Case(
                "staff:resource-edit",
                label,
                reverse("staff:resource-edit", args=[pk]),
                {"anonymous": LOGIN, **expected, "coordinator": 404},
            )
        )
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        cases.append(
            Case(f"staff:{name}", "", reverse(f"staff:{name}"), dict.fromkeys(PERSONAS, 200))
        )
    cases.append(
        Case(
            "staff:password_reset_confirm",
            "bad link",
            reverse("staff:password_reset_confirm", args=["MQ", "bad-token"]),
            dict.fromkeys(PERSONAS, 200),
        )
    )
    return cases


def back_office(coordinator_answer):
    return {
        "anonymous": ADMIN_LOGIN,
        "staff_a": ADMIN_LOGIN,
        "staff_b": ADMIN_LOGIN,
        "coordinator": coordinator_answer,
    }


def admin_cases(world):
    partner = world["slugs"]["partner"]
    partner_type = ContentType.objects.get_for_model(Partner)
    cases = [
        Case("admin:index", "", reverse("admin:index"), back_office(200)),
        Case(
            "admin:login",
            "",
            reverse("admin:login"),
            {"anonymous": 200, "staff_a": 200, "staff_b": 200, "coordinator": 302},
        ),
        Case(
            "admin:logout",
            "GET",
            reverse("admin:logout"),
            # Logged out already: back to the index (then the login); logging out is a POST.
            {"anonymous": 302, "staff_a": 302, "staff_b": 302, "coordinator": 405},
        ),
        Case("admin:password_change", "", reverse("admin:password_change"), back_office(200)),
        Case(
            "admin:password_change_done",
            "",
            reverse("admin:password_change_done"),
            back_office(200),
        ),
        # Without its query parameters the autocomplete refuses.
        Case("admin:autocomplete", "", reverse("admin:autocomplete"), back_office(403)),
        Case("admin:jsi18n", "", reverse("admin:jsi18n"), back_office(200)),
        Case(
            "admin:view_on_site",
            "partner",
            reverse(
                "admin:view_on_site",
                args=[partner_type.pk, Partner.objects.get(slug=partner).pk],
            ),
            back_office(302),
        ),
        Case("admin:dashboard", "", reverse("admin:dashboard"), back_office(200)),
        Case(
            "admin:dashboard",
            "csv",
            reverse("admin:dashboard") + "?csv=agreements-by-status",
            back_office(200),
        ),
    ]
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    for app_label in app_labels:
        cases.append(
            Case(
                "admin:app_list",
                app_label,
                reverse("admin:app_list", args=[app_label]),
                back_office(200),
            )
        )

    request = RequestFactory().get("/admin/")
    request.user = world["coordinator"]
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        obj = model_admin.get_queryset(request).order_by("pk").first()
        assert obj is not None, f"Create a {model.__name__} in the matrix's world fixture."
        args = {
            "none": [],
            "object": [obj.pk],
            "history": [obj.pk, _history_id(obj)],
            "transition": [obj.pk, _allowed_status(obj)],
            "records": [obj.pk, world["public_indicator"].pk],
        }
        for view, kind in [
            ("changelist", "none"),
            ("add", "none"),
            ("change", "object"),
            ("delete", "object"),
            ("history", "object"),
        ]:
            name = f"admin:{info}_{view}"
            cases.append(
                Case(
                    name,
                    "",
                    reverse(name, args=args[kind]),
                    back_office(ADMIN_EXCEPTIONS.get(name, 200)),
                )
            )
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if not name or not name.startswith(f"{info}_"):
                continue
            suffix = name[len(info) + 1 :]
            if suffix in {"changelist", "add", "change", "delete", "history"}:
                continue
            if suffix not in ADMIN_EXTRA_VIEWS:
                continue  # reported by test_every_url_name_is_in_the_matrix
            kind, answer = ADMIN_EXTRA_VIEWS[suffix]
            full = f"admin:{name}"
            cases.append(
                Case(
                    full,
                    "",
                    reverse(full, args=args[kind]),
                    back_office(ADMIN_EXCEPTIONS.get(full, answer)),
                )
            )
    return cases


def _history_id(obj):
    history = getattr(obj, "history", None)
    record = history.order_by("history_id").first() if history is not None else None
    return record.history_id if record else 0


def _allowed_status(obj):
    transitions = getattr(obj, "allowed_transitions", None)
    return transitions()[0] if transitions else "x"


def public_cases(world):
    cases = []
    names = sorted(
        name
        for name in resolver_names()
        if name in PUBLIC_NAMES
        or name in PUBLIC_EXCEPTIONS
        or name.split(":")[0] in PUBLIC_NAMESPACES
    )
    for name in names:
        expected = PUBLIC_EXCEPTIONS.get(name, dict.fromkeys(PERSONAS, 200))
        url = _public_url(name, world)
        cases.append(Case(name, "", url, expected))
    # Drafts are not public, not even to the staff of the organisation that wrote them.
    for draft in ["draft_a", "draft_b"]:
        cases.append(
            Case(
                "activities:activity-detail",
                draft,
                reverse("activities:activity-detail", args=[world[draft].slug]),
                dict.fromkeys(PERSONAS, 404),
            )
        )
    return cases


def _public_url(name, world):
    """Fill a public URL's arguments from the world's records, guessed from the URL name
    ("partners:partner-detail" → a partner's slug, "activities:feed-theme" → a theme's)."""
    pattern = next(p for p in _patterns_named(name) if True)
    keys = list(pattern.pattern.converters)
    if not keys:
        return reverse(name)
    tokens = name.split(":")[-1].split("-")
    kwargs = {}
    for key in keys:
        if key == "section":  # a sitemap's part (front/sitemaps.py)
            kwargs[key] = "partners"
            continue
        if key != "slug":
            raise AssertionError(f"Teach the matrix how to fill <{key}> of {name}.")
        token = next((t for t in reversed(tokens) if t in world["slugs"]), None)
        if token is None:
            raise AssertionError(f"Teach the matrix which record {name} shows.")
        kwargs[key] = world["slugs"][token]
    return reverse(name, kwargs=kwargs)


def _patterns_named(full_name):
    def inner(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = ":".join(n for n in [namespace, ns] if n) if ns else namespace
                yield from inner(pattern.url_patterns, full)
            elif (
                pattern.name
                and (f"{namespace}:{pattern.name}" if namespace else pattern.name) == full_name
            ):
                yield pattern

    return inner(get_resolver().url_patterns)


def joining_cases(world):
    """The applicant's pages: the form and the "check your inbox" page for everyone; the pages
    behind a signed link for whoever holds the link, and 404 for a forged one, whoever asks."""
    everyone = dict.fromkeys(PERSONAS, 200)
    nobody = dict.fromkeys(PERSONAS, 404)
    forged = "eyJhIjoxfQ:forged:signature"
    return [
        Case("joining:apply", "", reverse("joining:apply"), everyone),
        Case("joining:sent", "", reverse("joining:sent"), everyone),
        Case("joining:partner-search", "", reverse("joining:partner-search") + "?q=mon", everyone),
        Case(
            "joining:confirm",
            "signed link",
            reverse("joining:confirm", args=[links.token(world["unconfirmed"], links.CONFIRM)]),
            everyone,  # a page with a button: the POST confirms
        ),
        Case("joining:confirm", "forged", reverse("joining:confirm", args=[forged]), nobody),
        Case(
            "joining:confirm",
            "a status link",
            reverse("joining:confirm", args=[links.token(world["unconfirmed"], links.STATUS)]),
            nobody,
        ),
        Case(
            "joining:status",
            "signed link",
            reverse("joining:status", args=[links.token(world["application"], links.STATUS)]),
            everyone,
        ),
        Case("joining:status", "forged", reverse("joining:status", args=[forged]), nobody),
        Case(
            "joining:status",
            "a confirmation link",
            reverse("joining:status", args=[links.token(world["application"], links.CONFIRM)]),
            nobody,
        ),
    ]


def media_cases(world):
    """Uploaded files: a public resource's for everyone; B's unpublished one for B's staff and
    coordinators only (allas/media.py)."""
    from django.core.files.base import ContentFile

    cases = []
    for slug, expected in [
        ("guide", dict.fromkeys(PERSONAS, 200)),
        ("quito-guide", {"anonymous": 404, "staff_a": 404, "staff_b": 200, "coordinator": 200}),
    ]:
        resource = Resource.objects.get(slug=slug)
        if not resource.file:
            resource.file.save("guide.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
        cases.append(Case("media", slug, resource.file.url, expected))
    return cases


def opendata_cases(world):
    """The API and the downloads: open to everyone, and the same for everyone (a signed-in
    coordinator gets what a visitor gets: a draft or a private resource is not found)."""
    everyone = dict.fromkeys(PERSONAS, 200)
    nobody = dict.fromkeys(PERSONAS, 404)
    slugs = world["slugs"]
    membership = Membership.objects.in_public_networks().of_public_members().first()
    cases = [
        Case("api:api-root", "", reverse("api:api-root"), everyone),
        Case("api:schema", "", reverse("api:schema"), everyone),
        Case("api:docs", "", reverse("api:docs"), everyone),
        Case("api:participation-list", "", reverse("api:participation-list"), everyone),
        Case(
            "api:membership-detail",
            "",
            reverse("api:membership-detail", kwargs={"pk": membership.pk}),
            everyone,
        ),
        Case("api:membership-list", "", reverse("api:membership-list"), everyone),
        Case(
            "api:activity-detail",
            "draft",
            reverse("api:activity-detail", kwargs={"slug": world["draft_a"].slug}),
            nobody,
        ),
        Case(
            "api:resource-detail",
            "not public",
            reverse("api:resource-detail", kwargs={"slug": world["resource_b"].slug}),
            nobody,
        ),
        Case("data:partners-geojson", "", reverse("data:partners-geojson"), everyone),
        Case("data:datapackage", "", reverse("data:datapackage"), everyone),
        Case("data:catalogue", "", reverse("data:catalogue"), everyone),
        Case("data:table-csv", "unknown", reverse("data:table-csv", args=["auth_user"]), nobody),
    ]
    for table in TABLES:
        cases.append(
            Case(
                "data:table-csv", table.name, reverse("data:table-csv", args=[table.name]), everyone
            )
        )
    for kind in ("partner", "agreement", "activity", "resource", "theme"):
        cases.append(Case(f"api:{kind}-list", "", reverse(f"api:{kind}-list"), everyone))
        detail = reverse(f"api:{kind}-detail", kwargs={"slug": slugs[kind]})
        cases.append(Case(f"api:{kind}-detail", "", detail, everyone))
    return cases


def results_cases(world):
    """The public results: the same for everyone, public indicators only."""
    everyone = dict.fromkeys(PERSONAS, 200)
    nobody = dict.fromkeys(PERSONAS, 404)
    slug = world["period"].slug

    def records(indicator):
        return reverse("results:records", kwargs={"slug": slug, "pk": indicator.pk})

    return [
        # To the latest period with public indicators.
        Case("results:results", "", reverse("results:results"), dict.fromkeys(PERSONAS, 302)),
        Case("results:period", "", reverse("results:period", kwargs={"slug": slug}), everyone),
        Case(
            "results:period-csv", "", reverse("results:period-csv", kwargs={"slug": slug}), everyone
        ),
        Case("results:records", "public", records(world["public_indicator"]), everyone),
        Case("results:records", "not public", records(world["hidden_indicator"]), nobody),
    ]


def all_cases(world):
    return (
        staff_cases(world)
        + admin_cases(world)
        + public_cases(world)
        + joining_cases(world)
        + media_cases(world)
        + opendata_cases(world)
        + results_cases(world)
    )


def test_every_url_name_is_in_the_matrix(world):
    """A URL nobody thought about fails here: add it to the matrix with who may open it."""
    covered = {case.name for case in all_cases(world)}
    missing = resolver_names() - covered
    assert not missing, f"URL names missing from the permission matrix: {sorted(missing)}"
    stale = covered - resolver_names()
    assert not stale, f"The matrix lists URL names that no longer exist: {sorted(stale)}"


def answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("staff:login")):
            return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    cases = all_cases(world)
    wrong = []
    for case in cases:
        got = answer(client.get(case.url))
        if got != case.expected[persona]:
            wrong.append(
                f"{case.name} [{case.label}] {case.url}: "
                f"expected {case.expected[persona]}, got {got}"
            )
    assert not wrong, f"{persona}: {len(wrong)} of {len(cases)} answers differ:\n" + "\n".join(
        wrong
    )


def test_the_matrix_covers_every_registered_admin_model(world):
    names = {case.name for case in admin_cases(world)}
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert {
            f"{info}_{v}" for v in ["changelist", "add", "change", "delete", "history"]
        } <= names


def test_coordinators_group_exists():
    assert Group.objects.filter(name="Coordinators").exists()


def test_coordinators_hold_every_permission_of_their_apps():
    """Granted after migrate (results/apps.py), for apps added later too."""
    from django.contrib.auth.models import Permission

    from allas.roles import COORDINATOR_APPS

    group = Group.objects.get(name="Coordinators")
    for app_label in COORDINATOR_APPS:
        missing = Permission.objects.filter(content_type__app_label=app_label).exclude(group=group)
        assert not missing.exists(), f"Coordinators lack {app_label} permissions"
    assert group.permissions.filter(codename="change_indicator").exists()
