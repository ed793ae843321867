"""The public application form, the applicant's answer box and the partner suggestions, with
generated input: never a 500, never a partial write, nothing stored when refused."""

import pytest
from django.urls import reverse
from hypothesis import given

from joining import abuse, links, services
from joining.models import Application
from tests import factories
from tests.fuzz.conftest import example, response_status, row_counts
from tests.fuzz.strategies import Field, Form, flatten, form_data, fuzz_settings, hostile, read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlimited(settings):
    """The limits of joining/abuse.py out of the way, so the input reaches validation."""
    settings.JOINING_MIN_FILL_SECONDS = 0
    settings.JOINING_LIMIT_PER_ADDRESS = 10**6
    settings.JOINING_LIMIT_PER_EMAIL = 10**6
    settings.JOINING_MAX_EMAILS_PER_HOUR = 10**6


def honeypot_filled(data):
    """As the view reads it: the last value sent, stripped."""
    value = data.get(abuse.HONEYPOT)
    if isinstance(value, list):
        value = value[-1] if value else ""
    return bool((value or "").strip())


def test_the_application_form_never_fails_and_stores_one_application_or_nothing(
    client, fuzz_world, unlimited
):
    url = reverse("joining:apply")
    form = read_form(client.get(url).content.decode())
    target = "joining apply"

    @fuzz_settings
    @given(data=form_data(form, keep=("started",)))
    def run(data):
        with example(target):
            before = row_counts()
            response = client.post(url, flatten(data))
            status = response_status(target, response)
            after = row_counts()
            if status == 302 and not honeypot_filled(data):
                assert after["joining_application"] == before["joining_application"] + 1
            else:
                # Refused, or a filled honeypot answered as if sent: nothing stored.
                assert status in {302, 400}, status
                assert after == before

    run()


def test_the_answer_box_never_fails_and_adds_one_answer_or_nothing(client, fuzz_world):
    application = factories.make_application(status=Application.Status.RECEIVED)
    services.application_ask(application=application, by=fuzz_world["coordinator"], question="?")
    url = reverse("joining:status", args=[links.token(application, links.STATUS)])
    form = read_form(client.get(url).content.decode())
    target = "joining status answer"

    @fuzz_settings
    @given(data=form_data(form))
    def run(data):
        with example(target):
            before = row_counts()
            response = client.post(url, flatten(data))
            status = response_status(target, response)
            if status == 302:
                assert row_counts()["joining_message"] == before["joining_message"] + 1
            else:
                assert status == 400, status
                assert row_counts() == before

    run()


def test_the_partner_suggestions_never_fail(client, fuzz_world):
    url = reverse("joining:partner-search")
    target = "joining partner-search"
    query = form_data(Form("get", url, {"q": Field("q", "text")}))

    @fuzz_settings
    @given(data=query, junk=hostile)
    def run(data, junk):
        with example(target):
            response = client.get(url, {**data, "x": junk})
            assert response_status(target, response) in {200, 400}
            if response.status_code == 200:
                assert len(response.json()["results"]) <= 20

    run()


@pytest.mark.parametrize(
    ("view", "proposal"),
    [
        ("accept", Application.Proposal.MEMBERSHIP),
        ("accept", Application.Proposal.AGREEMENT),
        ("accept", Application.Proposal.ACTIVITY),
        ("decline", Application.Proposal.MEMBERSHIP),
        ("ask", Application.Proposal.MEMBERSHIP),
    ],
)
def test_a_coordinators_decision_form_never_fails_and_never_half_decides(
    coordinator_client, fuzz_world, network, view, proposal
):
    """Each example decides a fresh open application (a decided one has nothing left to
    decide); a refused decision writes nothing."""
    fields = {"network": network, "role": "partner"} if proposal == "membership" else {}
    template = factories.make_application(
        status=Application.Status.RECEIVED,
        proposal=proposal,
        official_name="Municipio de Prueba",
        country="UY",
        **fields,
    )
    url = reverse(f"admin:joining_application_{view}", args=[template.pk])
    form = read_form(coordinator_client.get(url).content.decode())
    target = f"admin application {view} {proposal}"

    @fuzz_settings
    @given(data=form_data(form))
    def run(data):
        with example(target):
            application = factories.make_application(
                status=Application.Status.RECEIVED,
                proposal=proposal,
                official_name="Municipio de Prueba",
                country="UY",
                **fields,
            )
            before = row_counts()
            url = reverse(f"admin:joining_application_{view}", args=[application.pk])
            response = coordinator_client.post(url, flatten(data))
            status = response_status(target, response)
            application.refresh_from_db()
            if status == 302:  # decided (or, for a question, under review)
                assert application.status != Application.Status.RECEIVED
            else:
                assert status == 400, status
                assert row_counts() == before
                assert application.status == Application.Status.RECEIVED

    run()
