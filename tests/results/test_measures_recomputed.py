"""Property-style check of ``results.measures``: on small random data sets, every definition
under many narrowings, from every record and from public records only, gives the figure and
the records a plain-Python recomputation gives (tests/results/recomputed.py).

Each data set is drawn from a seeded generator (the seed is in the test's id, so a failure is
reproduced by running that id): partners public or not, of each kind, in countries of each
region; memberships as chains of dated periods, some continuing the one before on the next
day (not a join), some after a gap (a join), some open; activities of every kind and status,
on days inside, outside and on the edges of the periods, with themes, hours (or none) and
participations with attendees; agreements walking random lifecycle paths (a status reached
twice counts once), public or not; resources public or not, with themes and partners.
``RECOMPUTE_SEEDS=50`` runs more data sets.
"""

import datetime
import itertools
import os
import random
from decimal import Decimal

import pytest

from activities.models import Activity, Participation
from partners.models import Agreement, AgreementParty, AgreementStatusChange, Membership, Partner
from results import measures
from results.models import MEASURES_OF_ANY_KIND, Indicator, Measure, Period
from tests import factories
from tests.results.recomputed import Records

SEEDS = range(int(os.environ.get("RECOMPUTE_SEEDS", "6")))
PERIODS = [
    Period(slug="year", starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31)),
    Period(slug="march", starts_on=datetime.date(2014, 3, 1), ends_on=datetime.date(2014, 3, 31)),
]
# Days on and next to the periods' edges, drawn more often than the others.
EDGES = [
    day + datetime.timedelta(days=shift)
    for period in PERIODS
    for day in (period.starts_on, period.ends_on)
    for shift in (-1, 0, 1)
]
COUNTRIES = ["UY", "BR", "AR", "MX", "ES", "FR", "IT", "NL", "US", "JP"]
HOURS = [None, Decimal("2"), Decimal("1.5"), Decimal("12.5"), Decimal("0.5")]


def a_day(rng, start=datetime.date(2012, 6, 1), end=datetime.date(2015, 9, 30)):
    if rng.random() < 0.3:
        return rng.choice([day for day in EDGES if start <= day <= end] or [start])
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def make_world(rng):
    """A small random data set; returns its themes, networks and partners."""
    themes = [factories.make_theme() for _ in range(3)]
    networks = [
        factories.make_network(country=rng.choice(COUNTRIES), is_public=rng.random() < 0.8)
        for _ in range(3)
    ]
    others = [
        factories.make_partner(
            kind=rng.choice([Partner.Kind.CITY, Partner.Kind.CITY, Partner.Kind.INSTITUTION]),
            country=rng.choice(COUNTRIES),
            is_public=number > 0 and rng.random() < 0.8,  # one not public, at least
        )
        for number in range(12)
    ]
    partners = networks + others
    make_memberships(rng, networks, partners)
    make_activities(rng, themes, partners)
    make_agreements(rng, themes, partners)
    for number in range(10):
        resource = factories.make_resource(
            published_on=None if rng.random() < 0.1 else a_day(rng),
            is_public=rng.random() < 0.8,
        )
        if number == 0:  # one public resource of the year, at least
            resource = factories.make_resource(published_on=datetime.date(2014, 5, 1))
        resource.themes.set(rng.sample(themes, rng.randint(0, 2)))
        resource.partners.set(rng.sample(partners, rng.randint(0, 2)))
    return themes, networks, partners


def make_memberships(rng, networks, partners):
    """Chains of non-overlapping periods per member and network: the next period starts the
    day after the last one ended (a continuation, a change of role) or after a gap (a join)."""
    pairs = [(m, n) for m in partners for n in networks if m != n]
    for member, network in rng.sample(pairs, 18):
        joined_on = a_day(rng, end=datetime.date(2015, 3, 1))
        for _ in range(rng.randint(1, 3)):
            left_on = None
            if rng.random() < 0.75:
                left_on = joined_on + datetime.timedelta(days=rng.randrange(0, 300))
            Membership.objects.create(
                member=member,
                network=network,
                joined_on=joined_on,
                left_on=left_on,
                role=rng.choice(Membership.Role.values),
            )
            if left_on is None:
                break
            gap = 1 if rng.random() < 0.5 else rng.randrange(2, 200)
            joined_on = left_on + datetime.timedelta(days=gap)


def make_activities(rng, themes, partners):
    statuses = [Activity.Status.PUBLISHED] * 3 + [
        Activity.Status.DRAFT,
        Activity.Status.SUBMITTED,
        Activity.Status.CANCELLED,
    ]
    # A third of them trainings, so that the training measures have some in every data set.
    kinds = Activity.Kind.values + [Activity.Kind.TRAINING] * 4
    for number in range(36):
        kind = rng.choice(kinds)
        fields = {"kind": kind, "status": rng.choice(statuses), "starts_on": a_day(rng)}
        if kind == Activity.Kind.TRAINING:
            fields["hours"] = rng.choice(HOURS)
        first = number == 0
        if first:  # one published training of the year with hours and attendees, at least
            fields.update(kind=Activity.Kind.TRAINING, hours=Decimal("3"))
            fields.update(status=Activity.Status.PUBLISHED, starts_on=datetime.date(2014, 6, 1))
        activity = factories.make_activity(**fields)
        activity.themes.set(rng.sample(themes, rng.randint(0, 2)))
        for partner in rng.sample(partners, rng.randint(1 if first else 0, 4)):
            Participation.objects.create(
                activity=activity,
                partner=partner,
                role=rng.choice(Participation.Role.values),
                attendees=5 if first else rng.choice([0, 1, 3, 12]),
            )


def make_agreements(rng, themes, partners):
    """Agreements walking random paths of the lifecycle, each step recorded with its day."""
    for number in range(8):
        status, on = Agreement.Status.PROPOSED, a_day(rng, end=datetime.date(2014, 6, 1))
        if number == 0:  # one step in the year, at least
            on = datetime.date(2014, 2, 1)
        steps = []
        while Agreement.TRANSITIONS[status] and (rng.random() < 0.8 or not steps):
            following = rng.choice(Agreement.TRANSITIONS[status])
            on += datetime.timedelta(days=rng.choice([0, 1, 30, 120]))
            steps.append((status, following, on))
            status = following
        signed = [day for _from, to, day in steps if to == Agreement.Status.SIGNED]
        agreement = Agreement.objects.create(
            title=f"Agreement {number}",
            slug=f"agreement-{number}-{rng.random():.8f}",
            kind=Agreement.Kind.COOPERATION,
            status=status,
            signed_on=signed[-1] if signed else None,
            is_public=rng.random() < 0.8,
        )
        agreement.themes.set(rng.sample(themes, rng.randint(0, 2)))
        for partner in rng.sample(partners, rng.randint(2, 3)):
            AgreementParty.objects.create(
                agreement=agreement, partner=partner, role=AgreementParty.Role.SIGNATORY
            )
        for from_status, to_status, day in steps:
            AgreementStatusChange.objects.create(
                agreement=agreement, from_status=from_status, to_status=to_status, changed_on=day
            )


def narrowings(rng, themes, networks):
    """The narrowings each definition is checked under: none, each kind alone, and pairs."""
    theme, network = rng.choice(themes), rng.choice(networks)
    return [
        {},
        {"theme": theme},
        {"region": Partner.Region.LATIN_AMERICA},
        {"region": Partner.Region.EUROPE},
        {"country": rng.choice(COUNTRIES)},
        {"partner_kind": Partner.Kind.CITY},
        {"partner_kind": Partner.Kind.NETWORK},
        {"network": network},
        {"theme": theme, "region": Partner.Region.LATIN_AMERICA},
        {"partner_kind": Partner.Kind.INSTITUTION, "network": network},
        {"country": rng.choice(COUNTRIES), "theme": theme, "network": network},
    ]


def indicators(rng, themes, networks):
    """Unsaved indicators: every definition under the narrowings its rules allow."""
    for measure in Measure:
        for fields in narrowings(rng, themes, networks):
            if measure == Measure.PARTNERS_JOINING and "theme" in fields:
                continue
            if measure == Measure.AGREEMENTS_REACHING:
                for status in Agreement.Status.values:
                    yield Indicator(measure=measure, agreement_status=status, **fields)
                continue
            yield Indicator(measure=measure, **fields)
            if measure in MEASURES_OF_ANY_KIND:
                kind = rng.choice(Activity.Kind.values)
                yield Indicator(measure=measure, activity_kind=kind, **fields)


def described(indicator):
    fields = [
        "measure", "activity_kind", "agreement_status", "theme_id", "region", "country",
        "partner_kind", "network_id",
    ]  # fmt: skip
    return ", ".join(f"{f}={getattr(indicator, f)}" for f in fields if getattr(indicator, f))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_every_definition_gives_the_figure_and_records_recomputed_in_python(seed):
    rng = random.Random(seed)
    themes, networks, _partners = make_world(rng)
    records = Records()
    mismatches = []
    checked = 0
    for indicator, period, public in itertools.product(
        list(indicators(rng, themes, networks)), PERIODS, [False, True]
    ):
        value, pks = records.figure(indicator, period, public=public)
        computed = measures.compute(indicator, period, public=public)
        listed = set(
            measures.records(indicator, period, public=public).values_list("pk", flat=True)
        )
        checked += 1
        if computed != value or listed != pks:
            mismatches.append(
                f"{described(indicator)} · {period.slug} · public={public}: "
                f"compute {computed}, Python {value}; records {sorted(listed)}, "
                f"Python {sorted(pks)}"
            )
    assert checked > 500
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_the_random_data_sets_reach_every_case_they_are_meant_to(seed):
    """The data sets are not vacuous: non-zero figures for every definition, and joins,
    continuations, public and non-public records among them."""
    rng = random.Random(seed)
    themes, networks, _partners = make_world(rng)
    records = Records()
    year = PERIODS[0]
    continuations = [m for m in records.memberships if not records.is_join(m)]
    assert continuations and len(continuations) < len(records.memberships)
    assert {p.is_public for p in records.partners.values()} == {True, False}
    nonzero = {
        indicator.measure
        for indicator in indicators(rng, themes, networks)
        if records.figure(indicator, year)[0]
    }
    assert nonzero == set(Measure)
