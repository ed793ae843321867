import datetime

import pytest
from django.core.exceptions import ValidationError

from partners.models import Agreement, AgreementStatusChange
from partners.services import AgreementTransitionError, agreement_change_status, agreement_create
from tests.factories import make_agreement, make_partner

D = datetime.date


@pytest.fixture
def agreement(db):
    return agreement_create(
        title="Cooperation",
        slug="cooperation",
        kind=Agreement.Kind.COOPERATION,
        proposed_on=D(2020, 1, 1),
        parties=[(make_partner(), "signatory"), (make_partner(), "signatory")],
    )


def test_creating_an_agreement_records_the_first_step(agreement):
    step = agreement.status_changes.get()
    assert (step.from_status, step.to_status, step.changed_on) == ("", "proposed", D(2020, 1, 1))


@pytest.mark.django_db
def test_an_agreement_is_not_created_with_fewer_than_two_parties():
    lima = make_partner()
    for parties in [[], [(lima, "signatory")], [(lima, "signatory"), (lima, "witness")]]:
        with pytest.raises(ValidationError, match="at least two parties"):
            agreement_create(title="Alone", slug="alone", kind="mou", parties=parties)
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_partner_listed_twice_gets_the_constraints_message_and_nothing_is_created():
    lima, quito = make_partner(), make_partner()
    parties = [(lima, "signatory"), (quito, "signatory"), (lima, "witness")]
    with pytest.raises(ValidationError, match="already a party to this agreement"):
        agreement_create(title="Twice", slug="twice", kind="mou", parties=parties)
    assert not Agreement.objects.exists()


def test_the_whole_lifecycle_is_recorded_with_date_author_and_note(agreement, coordinator):
    path = [
        ("under_evaluation", D(2020, 2, 1)),
        ("negotiation", D(2020, 3, 1)),
        ("signed", D(2020, 4, 1)),
        ("in_force", D(2020, 5, 1)),
        ("expired", D(2023, 5, 1)),
    ]
    for status, on in path:
        agreement_change_status(
            agreement=agreement, to_status=status, on=on, by=coordinator, note=f"to {status}"
        )

    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert agreement.signed_on == D(2020, 4, 1)
    assert agreement.starts_on == D(2020, 5, 1)
    steps = list(agreement.status_changes.values_list("from_status", "to_status", "changed_on"))
    assert steps == [
        ("", "proposed", D(2020, 1, 1)),
        ("proposed", "under_evaluation", D(2020, 2, 1)),
        ("under_evaluation", "negotiation", D(2020, 3, 1)),
        ("negotiation", "signed", D(2020, 4, 1)),
        ("signed", "in_force", D(2020, 5, 1)),
        ("in_force", "expired", D(2023, 5, 1)),
    ]
    last = agreement.status_changes.last()
    assert (last.changed_by, last.note) == (coordinator, "to expired")


@pytest.mark.parametrize(
    ("path", "forbidden"),
    [
        (["declined"], "in_force"),
        (["under_evaluation"], "in_force"),
        ([], "expired"),
        (["negotiation", "signed", "in_force"], "proposed"),
    ],
)
def test_a_forbidden_transition_is_refused_with_a_message(agreement, path, forbidden):
    for status in path:
        agreement_change_status(agreement=agreement, to_status=status, on=D(2020, 6, 1))
    steps_before = AgreementStatusChange.objects.count()

    with pytest.raises(AgreementTransitionError, match="cannot go from"):
        agreement_change_status(agreement=agreement, to_status=forbidden, on=D(2020, 7, 1))

    agreement.refresh_from_db()
    assert agreement.status == (path[-1] if path else "proposed")
    assert AgreementStatusChange.objects.count() == steps_before


def test_signing_after_the_date_of_the_change_is_refused(agreement):
    agreement_change_status(agreement=agreement, to_status="negotiation", on=D(2020, 2, 1))
    with pytest.raises(AgreementTransitionError, match="signature date"):
        agreement_change_status(
            agreement=agreement, to_status="signed", on=D(2020, 3, 1), signed_on=D(2020, 4, 1)
        )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == ("negotiation", None)


def test_a_step_cannot_be_dated_before_the_previous_one(agreement):
    with pytest.raises(AgreementTransitionError, match="before the previous one"):
        agreement_change_status(agreement=agreement, to_status="negotiation", on=D(2019, 1, 1))


def test_an_unknown_status_is_refused(agreement):
    with pytest.raises(AgreementTransitionError, match="is not a status"):
        agreement_change_status(agreement=agreement, to_status="approved")


@pytest.mark.django_db
def test_the_allowed_transitions_are_read_from_the_current_status():
    agreement = make_agreement(status="signed", signed_on=D(2020, 1, 1))
    assert agreement.allowed_transitions() == ["in_force", "terminated"]
