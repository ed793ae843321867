"""The work plan's definitions recomputed in plain Python, for the tests that check
``results.measures``: every record is read once into memory, then counted and summed by loops
written from the definitions' description (``results/measures.py``'s docstring and the
Indicator fields' help texts), not from its SQL.

``Records().figure(indicator, period, public=...)`` gives ``(value, record_pks)``: the figure
``measures.compute`` should give and the primary keys of the records ``measures.records``
should list.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from activities.models import Activity, Participation, Resource
from partners.models import Agreement, AgreementParty, AgreementStatusChange, Membership, Partner
from results.models import Measure

TRAINING_MEASURES = {Measure.TRAININGS, Measure.TRAINING_HOURS, Measure.ATTENDEE_HOURS}
ONE_DAY = datetime.timedelta(days=1)


def _links(through, left, right):
    links = defaultdict(set)
    for a, b in through.objects.values_list(left, right):
        links[a].add(b)
    return links


class Records:
    """Every record the definitions read, in memory (a few queries, once)."""

    def __init__(self):
        self.partners = {partner.pk: partner for partner in Partner.objects.all()}
        self.memberships = list(Membership.objects.all())
        self.activities = {activity.pk: activity for activity in Activity.objects.all()}
        self.activity_themes = _links(Activity.themes.through, "activity_id", "theme_id")
        self.participations = list(Participation.objects.all())
        self.agreements = {agreement.pk: agreement for agreement in Agreement.objects.all()}
        self.agreement_themes = _links(Agreement.themes.through, "agreement_id", "theme_id")
        self.agreement_parties = _links(AgreementParty, "agreement_id", "partner_id")
        self.status_changes = list(AgreementStatusChange.objects.all())
        self.resources = list(Resource.objects.all())
        self.resource_themes = _links(Resource.themes.through, "resource_id", "theme_id")
        self.resource_partners = _links(Resource.partners.through, "resource_id", "partner_id")

    # The narrowings.

    @staticmethod
    def within(day, period):
        return day is not None and period.starts_on <= day <= period.ends_on

    def is_member_during(self, partner_pk, network_pk, period):
        return any(
            m.member_id == partner_pk
            and m.network_id == network_pk
            and m.joined_on <= period.ends_on
            and (m.left_on is None or m.left_on >= period.starts_on)
            for m in self.memberships
        )

    def narrows_partners(self, indicator):
        network = indicator.network_id and indicator.measure != Measure.PARTNERS_JOINING
        return bool(indicator.region or indicator.country or indicator.partner_kind or network)

    def partner_matches(self, partner_pk, indicator, period, *, public):
        """The partner narrowing: region, country, kind, and (except for joins, which narrow
        on the network joined) membership of the network during the period; on the public
        page, public partners only, and members of a public network only."""
        partner = self.partners[partner_pk]
        if indicator.region and partner.region != indicator.region:
            return False
        country = getattr(indicator.country, "code", indicator.country)
        if country and partner.country.code != country:
            return False
        if indicator.partner_kind and partner.kind != indicator.partner_kind:
            return False
        if (
            indicator.network_id
            and indicator.measure != Measure.PARTNERS_JOINING
            and not self.is_member_during(partner_pk, indicator.network_id, period)
        ):
            return False
        if public and indicator.network_id and not self.partners[indicator.network_id].is_public:
            return False
        return partner.is_public or not public

    # The definitions.

    def counted_activities(self, indicator, period):
        """Published activities starting in the period, of the kind (trainings for the
        training measures) and theme; not yet narrowed by partner."""
        kind = Activity.Kind.TRAINING if indicator.measure in TRAINING_MEASURES else None
        kind = kind or indicator.activity_kind
        found = []
        for activity in self.activities.values():
            if activity.status != Activity.Status.PUBLISHED:
                continue
            if not self.within(activity.starts_on, period):
                continue
            if kind and activity.kind != kind:
                continue
            if indicator.theme_id and indicator.theme_id not in self.activity_themes[activity.pk]:
                continue
            found.append(activity)
        return found

    def counted_participations(self, indicator, period, *, public):
        activities = {activity.pk for activity in self.counted_activities(indicator, period)}
        narrowed = self.narrows_partners(indicator)
        found = []
        for participation in self.participations:
            if participation.activity_id not in activities:
                continue
            if narrowed and not self.partner_matches(
                participation.partner_id, indicator, period, public=public
            ):
                continue
            if public and not self.partners[participation.partner_id].is_public:
                continue
            found.append(participation)
        return found

    def is_join(self, membership):
        """A period that begins a membership: no earlier period of the member in the same
        network is open or ends on the day before it begins (that would be a continuation)."""
        return not any(
            other.member_id == membership.member_id
            and other.network_id == membership.network_id
            and other.joined_on < membership.joined_on
            and (other.left_on is None or other.left_on + ONE_DAY >= membership.joined_on)
            for other in self.memberships
        )

    def figure(self, indicator, period, *, public=False):
        measure = indicator.measure
        narrowed = self.narrows_partners(indicator)

        def matches(partner_pk):
            return self.partner_matches(partner_pk, indicator, period, public=public)

        if measure in {Measure.ACTIVITIES, Measure.TRAININGS, Measure.TRAINING_HOURS}:
            activities = [
                activity
                for activity in self.counted_activities(indicator, period)
                if not narrowed
                or any(
                    p.activity_id == activity.pk and matches(p.partner_id)
                    for p in self.participations
                )
            ]
            if measure == Measure.TRAINING_HOURS:
                value = sum((a.hours or Decimal(0) for a in activities), Decimal(0))
            else:
                value = len(activities)
            return Decimal(value), {a.pk for a in activities}

        if measure in {Measure.ATTENDEES, Measure.ATTENDEE_HOURS, Measure.PARTNERS_TAKING_PART}:
            participations = self.counted_participations(indicator, period, public=public)
            if measure == Measure.ATTENDEES:
                value = sum(p.attendees for p in participations)
                pks = {p.activity_id for p in participations}
            elif measure == Measure.ATTENDEE_HOURS:
                value = sum(
                    (
                        p.attendees * self.activities[p.activity_id].hours
                        for p in participations
                        if self.activities[p.activity_id].hours is not None
                    ),
                    Decimal(0),
                )
                pks = {p.activity_id for p in participations}
            else:
                pks = {p.partner_id for p in participations}
                value = len(pks)
            return Decimal(value), pks

        if measure == Measure.PARTNERS_JOINING:
            members = set()
            for membership in self.memberships:
                if not self.within(membership.joined_on, period) or not self.is_join(membership):
                    continue
                if indicator.network_id and membership.network_id != indicator.network_id:
                    continue
                if public and not (
                    self.partners[membership.member_id].is_public
                    and self.partners[membership.network_id].is_public
                ):
                    continue
                if narrowed and not matches(membership.member_id):
                    continue
                members.add(membership.member_id)
            return Decimal(len(members)), members

        if measure == Measure.AGREEMENTS_REACHING:
            agreements = set()
            for change in self.status_changes:
                if change.to_status != indicator.agreement_status:
                    continue
                if not self.within(change.changed_on, period):
                    continue
                agreement = self.agreements[change.agreement_id]
                if public and not agreement.is_public:
                    continue
                if (
                    indicator.theme_id
                    and indicator.theme_id not in self.agreement_themes[agreement.pk]
                ):
                    continue
                if narrowed and not any(
                    matches(party) for party in self.agreement_parties[agreement.pk]
                ):
                    continue
                agreements.add(agreement.pk)
            return Decimal(len(agreements)), agreements

        if measure == Measure.RESOURCES_PUBLISHED:
            resources = set()
            for resource in self.resources:
                if not resource.is_public or not self.within(resource.published_on, period):
                    continue
                if (
                    indicator.theme_id
                    and indicator.theme_id not in self.resource_themes[resource.pk]
                ):
                    continue
                if narrowed and not any(
                    matches(partner) for partner in self.resource_partners[resource.pk]
                ):
                    continue
                resources.add(resource.pk)
            return Decimal(len(resources)), resources

        raise ValueError(f"Not a computed measure: {measure!r}")
