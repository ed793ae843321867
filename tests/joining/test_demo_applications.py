"""The illustrative applications of the demo (`make demo`: load_demo_data, then
load_demo_applications)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from joining import privacy, services
from joining.models import Application, Message
from tests.activities.test_demo_data import every_row, history_rows

pytestmark = pytest.mark.django_db


def load_demo_applications():
    out = io.StringIO()
    call_command("load_demo_applications", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def demo():
    call_command("load_demo_data", stdout=io.StringIO())


def test_the_demo_has_applications_waiting_for_the_coordinators(demo, mailoutbox):
    assert load_demo_applications() == "Demo applications: 3 created, 0 already there."

    queue = list(Application.objects.awaiting_review())
    assert [(a.organisation_name, a.proposal, a.status) for a in queue] == [
        ("Câmara Municipal de Vila Exemplo", "membership", "under_review"),
        ("Rete dei Comuni per la Cooperazione Decentrata", "agreement", "received"),
        ("Institut d'Exemple pour la Coopération des Villes", "activity", "received"),
    ]
    portuguese = queue[0]
    assert portuguese.language == "pt"
    assert portuguese.network.slug == "al-las"
    assert [m.direction for m in portuguese.messages.all()] == [
        Message.Direction.QUESTION,
        Message.Direction.ANSWER,
    ]
    # The consent as the applicant would have read it, in their language.
    with translation.override("pt"):
        assert portuguese.consent_text == privacy.notice()
    assert portuguese.consent_version == privacy.VERSION
    for application in queue:
        assert application.note.startswith("Illustrative")
        assert application.contact_email.endswith("@example.org")
        assert application.language in {"es", "pt", "fr", "en"}
    # Nothing is mailed to the invented addresses.
    assert mailoutbox == []


def test_a_second_run_writes_nothing(demo):
    load_demo_applications()
    history, rows = history_rows(), every_row()

    with CaptureQueriesContext(connection) as queries:
        assert load_demo_applications() == "Demo applications: 0 created, 3 already there."

    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert history_rows() == history
    assert every_row() == rows


def test_an_application_a_coordinator_worked_on_is_left_as_it_is(demo, coordinator):
    load_demo_applications()
    application = Application.objects.get(organisation_name__startswith="Rete dei Comuni")
    services.application_decline(application=application, by=coordinator, reason="Not now.")
    services.application_erase_personal_data(application=application, by=coordinator)

    load_demo_applications()

    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.contact_email == ""
    assert Application.objects.count() == 3


def test_it_asks_for_the_demo_network_first():
    with pytest.raises(CommandError, match="load_demo_data"):
        load_demo_applications()
