"""Every public page type is valid HTML for the Nu Html Checker (vnu.jar).

The checker is a Java program that is slow to start, so all pages go through one run. The jar
comes from the npm package vnu-jar; VNU_JAR says where it is (default: .cache/vnu.jar). Without
it, or without Java, the test skips and says how to get it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.public_site import populate
from tests.results.public_plan import populate_results

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".cache" / "vnu.jar")
FETCH = (
    "cd /tmp && npm pack vnu-jar@26.9.27 && tar xzf vnu-jar-26.9.27.tgz && "
    f"mkdir -p {ROOT / '.cache'} && cp package/build/dist/vnu.jar {VNU_JAR}"
)

# Every public page type in each of the four languages: the test data's texts exist only in
# their original language (Spanish), so the other languages' pages carry the marked fallbacks.
PAGE_TYPES = [
    "/",
    "/partners/",
    "/partners/city-000/",
    "/partners/al-las/",
    "/agreements/",
    "/agreements/agreement-000/",
    "/activities/",
    "/activities/activity-000/",
    "/resources/",
    "/resources/guide-000/",
    "/open-data/",
    "/partnership-graph/",
    "/no-such-page/",  # the 404 page
]
PAGES = [f"/{language}{path}" for language in ("es", "pt", "fr", "en") for path in PAGE_TYPES] + [
    "/fr/partners/?country=ZZ&page=abc",
    "/en/activities/?when=past&kind=bad",
    "/pt/partnership-graph/?network=nope&on=2020-13-45&page=abc",
]


def test_public_pages_are_valid_html(client, tmp_path):
    site = populate(3)
    plan = populate_results(site)  # the public Results pages (issue 16), in two languages
    results_pages = [f"/{language}{path}" for language in ("es", "en") for path in plan.paths()]
    assert_valid(client, PAGES + results_pages, tmp_path)


def test_staff_pages_of_the_review_flow_are_valid_html(client, tmp_path):
    """The staff list with review states, a public record's form with its proposal, the
    page of a record another partner organises, and the resource pages."""
    from activities.models import ProposedChange
    from activities.services import ParticipationRow, activity_update, change_reject
    from tests import factories

    montevideo = factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    quito = factories.make_partner(name="Quito", slug="quito", country="EC")
    staff = factories.make_staff(montevideo, "staff_valid")
    coordinator = factories.make_coordinator("coordinator_valid")
    ours = factories.make_activity(partners=[montevideo], title="Ours")
    theirs = factories.make_activity(partners=[quito, montevideo], title="Theirs")
    rejected = factories.make_activity(partners=[montevideo], title="Rejected")
    for activity in (ours, rejected):
        activity_update(
            activity=activity,
            by=staff,
            fields={"title": activity.title + " (edited)"},
            participations=[ParticipationRow(montevideo, "organiser", 3)],
        )
    change_reject(change=ProposedChange.objects.get(activity=rejected), by=coordinator, note="No.")
    resource = factories.make_resource(title="Guide")
    resource.partners.add(montevideo)
    client.force_login(staff)
    pages = [
        "/es/staff/",
        f"/pt/staff/activities/{ours.pk}/edit/",
        f"/fr/staff/activities/{rejected.pk}/edit/",
        f"/en/staff/activities/{theirs.pk}/edit/",
        "/es/staff/resources/",
        f"/es/staff/resources/{resource.pk}/edit/",
    ]
    assert_valid(client, pages, tmp_path, expected={pages[3]: 403})


def assert_valid(client, urls, tmp_path, expected=None):
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (apt-get install -y default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.skip(f"The Nu HTML checker is missing at {VNU_JAR}; get it with: {FETCH}")
    expected = expected or {}
    files = {}
    for index, url in enumerate(urls):
        response = client.get(url)
        status = expected.get(url, 404 if "no-such" in url else 200)
        assert response.status_code == status, url
        path = tmp_path / f"page-{index:02d}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(tmp_path / name) for name in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: errors were found
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(Path(m.get('url', '')).name)} line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]
    assert errors == [], "\n".join(errors)


def test_the_pages_of_an_application_are_valid_html_in_four_languages(client, tmp_path, settings):
    """The form (empty, and refused with an alert and errors by each field), the page that
    says to check the inbox, the confirmation link (valid and not), and the status page with
    a question, an answer and the answer box (empty, and refused)."""
    from django.urls import reverse
    from django.utils import translation

    from joining import links, services
    from joining.models import Application
    from tests import factories

    settings.JOINING_MIN_FILL_SECONDS = 0
    factories.make_network(name="AL-LAs", slug="al-las", country="MX")
    coordinator = factories.make_coordinator("coordinator_join_valid")
    unconfirmed = factories.make_application()
    questioned = factories.make_application(status=Application.Status.RECEIVED)
    services.application_ask(application=questioned, by=coordinator, question="Which year?")
    services.application_answer(application=questioned, answer="2027.\n\nOr 2028.")
    refused_form = {"organisation_name": "x" * 300, "kind": "institution", "started": ""}

    responses, expected = {}, {}
    for language in ("es", "pt", "fr", "en"):
        with translation.override(language):
            apply_url = reverse("joining:apply")
            confirm = reverse("joining:confirm", args=[links.token(unconfirmed, links.CONFIRM)])
            status = reverse("joining:status", args=[links.token(questioned, links.STATUS)])
            pages = {
                apply_url: client.get(apply_url),
                f"{apply_url} (refused)": client.post(apply_url, refused_form),
                reverse("joining:sent"): client.get(reverse("joining:sent")),
                confirm: client.get(confirm),
                reverse("joining:confirm", args=["bad"]): client.get(
                    reverse("joining:confirm", args=["bad"])
                ),
                status: client.get(status),
                f"{status} (refused)": client.post(status, {"answer": ""}),
            }
        responses.update(pages)
        expected.update({url: r.status_code for url, r in pages.items()})
        assert [r.status_code for r in pages.values()] == [200, 400, 200, 200, 404, 200, 400]

    class Prepared:
        """The responses above (posts among them), served to assert_valid by name."""

        def get(self, url):
            return responses[url]

    assert_valid(Prepared(), list(responses), tmp_path, expected=expected)
