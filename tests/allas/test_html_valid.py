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
    "/no-such-page/",  # the 404 page
]
PAGES = [f"/{language}{path}" for language in ("es", "pt", "fr", "en") for path in PAGE_TYPES] + [
    "/fr/partners/?country=ZZ&page=abc",
    "/en/activities/?when=past&kind=bad",
]


def test_public_pages_are_valid_html(client, tmp_path):
    populate(3)
    assert_valid(client, PAGES, tmp_path)


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
