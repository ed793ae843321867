"""Each fixed definition of results.measures on records made for it: what counts, what the
narrowings leave out, what the public figure leaves out, and one query per figure."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Participation
from partners.models import Agreement, Partner
from results import measures
from results.models import Measure
from tests import factories
from tests.results.work_plan import make_indicator, make_period

pytestmark = pytest.mark.django_db

IN_PERIOD = datetime.date(2014, 3, 10)
BEFORE = datetime.date(2013, 12, 31)
AFTER = datetime.date(2015, 1, 1)


@pytest.fixture
def period():
    return make_period(starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31))


@pytest.fixture
def world():
    """Partners of both regions, one hidden; trainings and a seminar in the period, one before
    it, a draft and a cancelled one."""
    theme, other_theme = factories.make_theme(), factories.make_theme()
    lima = factories.make_partner(name="Lima", country="PE")
    paris = factories.make_partner(name="Paris", country="FR")
    hidden = factories.make_partner(name="Hidden", country="PE", is_public=False)
    femp = factories.make_network(name="FEMP", country="ES")
    training = factories.make_activity(
        kind=Activity.Kind.TRAINING, starts_on=IN_PERIOD, hours=12, partners=[lima, paris]
    )
    training.themes.set([theme])
    Participation.objects.filter(activity=training, partner=paris).update(attendees=4)
    Participation.objects.create(activity=training, partner=hidden, attendees=5)
    seminar = factories.make_activity(starts_on=IN_PERIOD, partners=[paris, femp])
    seminar.themes.set([other_theme])
    factories.make_activity(kind=Activity.Kind.TRAINING, starts_on=BEFORE, partners=[lima])
    factories.make_activity(starts_on=IN_PERIOD, status=Activity.Status.DRAFT, partners=[lima])
    factories.make_activity(starts_on=IN_PERIOD, status=Activity.Status.CANCELLED, partners=[lima])
    return {
        "theme": theme,
        "other_theme": other_theme,
        "lima": lima,
        "paris": paris,
        "hidden": hidden,
        "femp": femp,
        "training": training,
        "seminar": seminar,
    }


def figure(period, public=False, **fields):
    indicator = make_indicator(**fields)
    return measures.compute(indicator, period, public=public)


def test_published_activities_in_the_period_only(period, world):
    assert figure(period, measure=Measure.ACTIVITIES) == 2
    assert figure(period, measure=Measure.ACTIVITIES, activity_kind="training") == 1
    assert figure(period, measure=Measure.ACTIVITIES, theme=world["other_theme"]) == 1
    assert figure(period, measure=Measure.TRAININGS) == 1


def test_training_hours_and_attendees(period, world):
    assert figure(period, measure=Measure.TRAINING_HOURS) == 12
    # Lima 10, Paris 4, the hidden partner 5 on the training; Paris 10 and FEMP 10 at the seminar.
    assert figure(period, measure=Measure.ATTENDEES) == 39
    assert figure(period, measure=Measure.ATTENDEES, activity_kind="training") == 19
    assert figure(period, measure=Measure.ATTENDEE_HOURS) == 19 * 12


def test_a_partner_narrowing_counts_what_comes_from_those_partners(period, world):
    latin_america = {"region": Partner.Region.LATIN_AMERICA}
    assert figure(period, measure=Measure.ATTENDEES, **latin_america) == 15
    assert figure(period, measure=Measure.ATTENDEES, country="FR") == 14
    assert figure(period, measure=Measure.ATTENDEES, partner_kind="network") == 10
    assert figure(period, measure=Measure.ACTIVITIES, **latin_america) == 1
    assert figure(period, measure=Measure.PARTNERS_TAKING_PART, **latin_america) == 2


def test_the_public_figure_leaves_hidden_partners_out(period, world):
    assert figure(period, measure=Measure.ATTENDEES) == 39
    assert figure(period, measure=Measure.ATTENDEES, public=True) == 34
    assert figure(period, measure=Measure.PARTNERS_TAKING_PART) == 4
    assert figure(period, measure=Measure.PARTNERS_TAKING_PART, public=True) == 3
    # An activity is public once published, whoever took part.
    assert figure(period, measure=Measure.ACTIVITIES, public=True) == 2


def test_members_of_a_network_during_the_period(period, world):
    factories.make_membership(
        member=world["lima"], network=world["femp"], joined_on=datetime.date(2010, 1, 1)
    )
    # Paris left before the period began: not a member during it.
    factories.make_membership(
        member=world["paris"],
        network=world["femp"],
        joined_on=datetime.date(2010, 1, 1),
        left_on=BEFORE,
    )
    assert figure(period, measure=Measure.ATTENDEES, network=world["femp"]) == 10


def test_partners_joining_leave_a_continuation_out(period, world):
    network = world["femp"]
    factories.make_membership(member=world["lima"], network=network, joined_on=IN_PERIOD)
    # Paris changes role: the second period continues the first, it is no join.
    factories.make_membership(
        member=world["paris"],
        network=network,
        joined_on=datetime.date(2012, 1, 1),
        left_on=datetime.date(2014, 2, 28),
    )
    factories.make_membership(
        member=world["paris"], network=network, joined_on=datetime.date(2014, 3, 1), role="observer"
    )
    factories.make_membership(member=world["hidden"], network=network, joined_on=IN_PERIOD)
    factories.make_membership(member=world["lima"], joined_on=AFTER)
    assert figure(period, measure=Measure.PARTNERS_JOINING) == 2
    assert figure(period, measure=Measure.PARTNERS_JOINING, public=True) == 1
    assert figure(period, measure=Measure.PARTNERS_JOINING, network=network) == 2
    assert figure(period, measure=Measure.PARTNERS_JOINING, country="FR") == 0


def test_agreements_reaching_a_status_during_the_period(period, world):
    factories.make_agreement(
        status=Agreement.Status.SIGNED,
        proposed_on=IN_PERIOD,
        signed_on=IN_PERIOD,
        parties=[world["lima"], world["paris"]],
        themes=[world["theme"]],
    )
    factories.make_agreement(status=Agreement.Status.SIGNED, proposed_on=BEFORE, signed_on=BEFORE)
    factories.make_agreement(
        status=Agreement.Status.SIGNED, proposed_on=IN_PERIOD, signed_on=IN_PERIOD, is_public=False
    )
    signed = {"measure": Measure.AGREEMENTS_REACHING, "agreement_status": "signed"}
    assert figure(period, **signed) == 2
    assert figure(period, public=True, **signed) == 1
    assert figure(period, theme=world["theme"], **signed) == 1
    assert figure(period, country="FR", **signed) == 1
    assert figure(period, measure=Measure.AGREEMENTS_REACHING, agreement_status="proposed") == 2


def test_resources_published(period, world):
    factories.make_resource(published_on=IN_PERIOD).themes.set([world["theme"]])
    factories.make_resource(published_on=IN_PERIOD, is_public=False)
    factories.make_resource(published_on=AFTER)
    factories.make_resource(published_on=None)
    assert figure(period, measure=Measure.RESOURCES_PUBLISHED) == 1
    assert figure(period, measure=Measure.RESOURCES_PUBLISHED, theme=world["other_theme"]) == 0


@pytest.mark.parametrize("measure", list(Measure))
def test_each_figure_is_one_query_and_its_records_match(period, world, measure):
    indicator = make_indicator(
        measure=measure, region=Partner.Region.LATIN_AMERICA, network=world["femp"]
    )
    with CaptureQueriesContext(connection) as queries:
        measures.compute(indicator, period)
    assert len(queries) == 1
    model, _column = measures.RECORDS_OF[measure]
    assert measures.records(indicator, period).model is model


def test_records_behind_are_those_counted(period, world):
    indicator = make_indicator(measure=Measure.PARTNERS_TAKING_PART)
    names = set(measures.records(indicator, period).values_list("name", flat=True))
    assert names == {"Lima", "Paris", "Hidden", "FEMP"}
    public = set(measures.records(indicator, period, public=True).values_list("name", flat=True))
    assert public == {"Lima", "Paris", "FEMP"}
    attendees = make_indicator(measure=Measure.ATTENDEES, country="PE")
    assert list(measures.records(attendees, period)) == [world["training"]]


def test_an_indicator_entered_by_hand_is_not_computed(period):
    indicator = make_indicator(measure="")
    with pytest.raises(ValueError):
        measures.compute(indicator, period)


def test_figures_are_decimals(period, world):
    assert isinstance(figure(period, measure=Measure.TRAINING_HOURS), Decimal)


def test_an_indicator_narrowed_to_a_hidden_network_is_not_public(period, world):
    from results.models import Indicator

    hidden_network = factories.make_network(name="Hidden network", is_public=False)
    factories.make_membership(
        member=world["lima"], network=hidden_network, joined_on=datetime.date(2010, 1, 1)
    )
    indicator = make_indicator(measure=Measure.ATTENDEES, network=hidden_network)
    assert indicator not in Indicator.objects.public()
    assert measures.compute(indicator, period) == 10
    assert measures.compute(indicator, period, public=True) == 0
