"""The fixed definitions an indicator's actual value is computed by, in SQL: one query per
indicator, whatever the number of records.

Each definition counts what was done during the period, narrowed by the indicator's fields:

- published activities (of a kind), trainings, their hours: activities with status published
  starting in the period; narrowed by theme, and by a taking-part partner's region, country,
  kind or network membership;
- attendees and attendee-hours: the attendees the participating partners sent to those
  activities (attendee-hours: attendees × the training's hours), narrowed on the partner;
- distinct partners taking part in those activities;
- partners joining a network: partners whose membership begins in the period (a change of role
  that continues a membership is not a join), narrowed on the member and the network joined;
- agreements reaching a status: agreements whose lifecycle records that status on a day of the
  period;
- resources published: public resources of the knowledge hub published in the period, narrowed
  by theme and by a publishing partner.

``public=True`` computes the same figure from public records only (public partners, public
agreements), for the public Results page: nothing there may count a record visitors cannot see.
``records()`` gives the records a figure is made of, for the "records behind" pages.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from activities.models import Activity, Participation, Resource
from partners.models import Agreement, AgreementParty, AgreementStatusChange, Membership, Partner
from results.models import Measure

TRAINING_MEASURES = {Measure.TRAININGS, Measure.TRAINING_HOURS, Measure.ATTENDEE_HOURS}
# The records behind each figure: the model the "records behind" pages list, and the column of
# the figure's QuerySet that names them (None: the QuerySet is of that model already).
RECORDS_OF = {
    Measure.ACTIVITIES: (Activity, None),
    Measure.TRAININGS: (Activity, None),
    Measure.TRAINING_HOURS: (Activity, None),
    Measure.ATTENDEES: (Activity, "activity"),
    Measure.ATTENDEE_HOURS: (Activity, "activity"),
    Measure.PARTNERS_TAKING_PART: (Partner, "partner"),
    Measure.PARTNERS_JOINING: (Partner, "member"),
    Measure.AGREEMENTS_REACHING: (Agreement, "agreement"),
    Measure.RESOURCES_PUBLISHED: (Resource, None),
}


def matching_partners(indicator, period, *, public):
    """The partners an indicator's partner narrowing admits (public: the public ones among
    them), or None when it has none."""
    condition = Q()
    if indicator.region:
        condition &= Q(region=indicator.region)
    if indicator.country:
        condition &= Q(country=indicator.country)
    if indicator.partner_kind:
        condition &= Q(kind=indicator.partner_kind)
    if indicator.network_id and indicator.measure != Measure.PARTNERS_JOINING:
        during = Membership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=period.starts_on),
            member=OuterRef("pk"),
            network=indicator.network_id,
            joined_on__lte=period.ends_on,
        )
        if public:
            during = during.in_public_networks()
        condition &= Q(Exists(during))
    if not condition:
        return None
    if public:
        condition &= Q(is_public=True)
    return Partner.objects.filter(condition).values("pk")


def _counted_activity(indicator, period, path=""):
    """The condition on an activity that counts: published, starting in the period, of the
    indicator's kind (trainings for the training measures) and theme. ``path``: how to reach
    the activity from the model filtered ("activity__" from a participation)."""
    condition = Q(
        **{
            f"{path}status": Activity.Status.PUBLISHED,
            f"{path}starts_on__gte": period.starts_on,
            f"{path}starts_on__lte": period.ends_on,
        }
    )
    kind = Activity.Kind.TRAINING if indicator.measure in TRAINING_MEASURES else None
    if kind or indicator.activity_kind:
        condition &= Q(**{f"{path}kind": kind or indicator.activity_kind})
    if indicator.theme_id:
        themes = Activity.themes.through.objects.filter(
            activity=OuterRef(path.removesuffix("__") or "pk"), theme=indicator.theme_id
        )
        condition &= Q(Exists(themes))
    return condition


def _activities(indicator, period, partners):
    """Published activities starting in the period, of the indicator's kind and theme, with
    a participation of a matching partner."""
    activities = Activity.objects.filter(_counted_activity(indicator, period))
    if partners is not None:
        activities = activities.filter(
            Exists(Participation.objects.filter(activity=OuterRef("pk"), partner__in=partners))
        )
    return activities


def _participations(indicator, period, partners, *, public):
    """The participations in those activities of matching partners (the activities' own
    partner condition is the participation's here: attendees come from matching partners).

    The activity's conditions are joined rather than given as a list of activities, so that
    PostgreSQL starts from the period's activities (a few thousand) instead of from the
    matching partners' participations of every year."""
    participations = Participation.objects.filter(
        _counted_activity(indicator, period, "activity__")
    )
    if partners is not None:
        # Public partners only already, on the public page (matching_partners).
        participations = participations.filter(partner__in=partners)
    elif public:
        participations = participations.filter(partner__is_public=True)
    return participations


def _joins(indicator, period, partners, *, public):
    joins = Membership.objects.joins().filter(
        joined_on__gte=period.starts_on, joined_on__lte=period.ends_on
    )
    if public:
        joins = joins.of_public_members().in_public_networks()
    if indicator.network_id:
        joins = joins.filter(network=indicator.network_id)
    if partners is not None:
        joins = joins.filter(member__in=partners)
    return joins


def _status_changes(indicator, period, partners, *, public):
    changes = AgreementStatusChange.objects.filter(
        to_status=indicator.agreement_status,
        changed_on__gte=period.starts_on,
        changed_on__lte=period.ends_on,
    )
    if public:
        changes = changes.filter(agreement__is_public=True)
    if indicator.theme_id:
        changes = changes.filter(agreement__themes=indicator.theme_id)
    if partners is not None:
        changes = changes.filter(
            Exists(
                AgreementParty.objects.filter(agreement=OuterRef("agreement"), partner__in=partners)
            )
        )
    return changes


def _resources(indicator, period, partners):
    resources = Resource.objects.public().filter(
        published_on__gte=period.starts_on, published_on__lte=period.ends_on
    )
    if indicator.theme_id:
        resources = resources.filter(
            Exists(
                Resource.themes.through.objects.filter(
                    resource=OuterRef("pk"), theme=indicator.theme_id
                )
            )
        )
    if partners is not None:
        resources = resources.filter(
            Exists(
                Resource.partners.through.objects.filter(
                    resource=OuterRef("pk"), partner__in=partners
                )
            )
        )
    return resources


ATTENDEE_HOURS = ExpressionWrapper(
    F("attendees") * F("activity__hours"),
    output_field=DecimalField(max_digits=20, decimal_places=2),
)


def _figure(indicator, period, *, public):
    """The QuerySet a figure is aggregated over, and its aggregate."""
    partners = matching_partners(indicator, period, public=public)
    measure = indicator.measure
    if measure in {Measure.ACTIVITIES, Measure.TRAININGS}:
        return _activities(indicator, period, partners), Count("pk")
    if measure == Measure.TRAINING_HOURS:
        return _activities(indicator, period, partners), Sum("hours")
    if measure in {Measure.ATTENDEES, Measure.ATTENDEE_HOURS, Measure.PARTNERS_TAKING_PART}:
        aggregate = {
            Measure.ATTENDEES: Sum("attendees"),
            Measure.ATTENDEE_HOURS: Sum(ATTENDEE_HOURS),
            Measure.PARTNERS_TAKING_PART: Count("partner", distinct=True),
        }[measure]
        return _participations(indicator, period, partners, public=public), aggregate
    if measure == Measure.PARTNERS_JOINING:
        joins = _joins(indicator, period, partners, public=public)
        return joins, Count("member", distinct=True)
    if measure == Measure.AGREEMENTS_REACHING:
        changes = _status_changes(indicator, period, partners, public=public)
        return changes, Count("agreement", distinct=True)
    if measure == Measure.RESOURCES_PUBLISHED:
        return _resources(indicator, period, partners), Count("pk")
    raise ValueError(f"{indicator!r} is not computed from the records.")


def compute(indicator, period, *, public=False):
    """The indicator's actual value for the period, as a Decimal. One query."""
    queryset, aggregate = _figure(indicator, period, public=public)
    return Decimal(queryset.order_by().aggregate(value=aggregate)["value"] or 0)


def records(indicator, period, *, public=False):
    """The records behind the figure ``compute`` gives (activities, partners, agreements or
    resources: ``RECORDS_OF``), as a QuerySet of that model."""
    queryset, _aggregate = _figure(indicator, period, public=public)
    model, column = RECORDS_OF[indicator.measure]
    if column is None:
        return queryset
    return model.objects.filter(pk__in=queryset.values(column))
