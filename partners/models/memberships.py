"""A partner's membership of a network over a dated period."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, DateField, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from partners.models.partners import Partner

# Periods are closed intervals: a member is one on ``left_on`` and no longer the day after. A
# period that starts on that next day continues the previous one (a change of role, say).
ONE_DAY = datetime.timedelta(days=1)


def _first_day_after(field):
    """The day after a date column, as a date on both databases (SQLite's date arithmetic
    gives a datetime text without the cast)."""
    return Cast(F(field) + ONE_DAY, output_field=DateField())


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships still open (no end date)."""
        return self.filter(left_on__isnull=True)

    def past(self):
        return self.filter(left_on__isnull=False)

    def first_joined_on(self):
        """The earliest date a member joined, or None."""
        return self.aggregate(first=Min("joined_on"))["first"]

    def count_current_members_by_network(self):
        """Rows of ``network__name``, ``network__short_name``, ``member__region``, ``role``
        and ``members`` (distinct current members), for every network. One grouped query."""
        return (
            self.current()
            .values("network__name", "network__short_name", "member__region", "role")
            .annotate(members=Count("member", distinct=True))
            .order_by("network__name", "member__region", "role")
        )

    def count_members_per_year_by_region(self, years, today):
        """For each member region, a row with ``active_<year>`` (distinct partners with a
        membership open at the end of that year, or on ``today`` for the current year; a
        partner in several networks counts once) and ``joined_<year>`` (distinct partners who
        joined a network that year), as ``{region: row}``. One pass over the memberships."""
        figures = {}
        for year in years:
            end = min(datetime.date(year, 12, 31), today)
            open_at_end = Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
            figures[f"active_{year}"] = Count("member", distinct=True, filter=open_at_end)
            figures[f"joined_{year}"] = Count(
                "member", distinct=True, filter=Q(joined_on__year=year)
            )
        rows = self.order_by().values("member__region").annotate(**figures)
        return {row["member__region"]: row for row in rows}

    def count_starts_per_year(self, today):
        """Periods started up to ``today``, as rows of ``year``, ``role``, ``previous_role``
        (the role of the same member's period in the same network that ended the day before,
        or None: a join rather than a continuation) and ``periods``. One grouped query whatever
        the number of periods (the previous period is found through the member's index)."""
        previous = Membership.objects.annotate(next_day=_first_day_after("left_on")).filter(
            member=OuterRef("member"), network=OuterRef("network"), next_day=OuterRef("joined_on")
        )
        return (
            self.filter(joined_on__lte=today)
            .annotate(
                year=ExtractYear("joined_on"),
                previous_role=Subquery(previous.values("role")[:1]),
            )
            .order_by()
            .values("year", "role", "previous_role")
            .annotate(periods=Count("pk"))
        )

    def count_ends_per_year(self, today):
        """Periods ended before ``today`` (the member's last day is ``left_on``), as rows of
        ``year`` (of the first day out, so a member on 31 December counts at that year's end),
        ``role``, ``continued`` (another period of the same member in the same network starts
        the next day) and ``periods``. One grouped query."""
        following = Membership.objects.filter(
            member=OuterRef("member"), network=OuterRef("network"), joined_on=OuterRef("out_on")
        )
        return (
            self.filter(left_on__lt=today)
            .annotate(out_on=_first_day_after("left_on"))
            .annotate(year=ExtractYear("out_on"), continued=Exists(following))
            .order_by()
            .values("year", "role", "continued")
            .annotate(periods=Count("pk"))
        )

    def joins(self):
        """Periods that begin a membership rather than continue one: no period of the same
        member in the same network ends the day before (or later) while starting earlier."""
        earlier = Membership.objects.annotate(next_day=_first_day_after("left_on")).filter(
            Q(left_on__isnull=True) | Q(next_day__gte=OuterRef("joined_on")),
            member=OuterRef("member"),
            network=OuterRef("network"),
            joined_on__lt=OuterRef("joined_on"),
        )
        return self.filter(~Exists(earlier))

    def in_public_networks(self):
        return self.filter(network__is_public=True)

    def of_public_members(self):
        return self.filter(member__is_public=True)

    def overlapping(self, membership):
        """Other periods of the same member in the same network that share a day with
        ``membership``'s. Periods are closed intervals [joined_on, left_on]; an open period
        runs forever."""
        others = self.filter(member_id=membership.member_id, network_id=membership.network_id)
        if membership.pk:
            others = others.exclude(pk=membership.pk)
        others = others.filter(Q(left_on__isnull=True) | Q(left_on__gte=membership.joined_on))
        if membership.left_on:
            others = others.filter(joined_on__lte=membership.left_on)
        return others


class Membership(ChoiceLabels, models.Model):
    """A partner's membership of a network over a dated period.

    Periods are history: ending one sets ``left_on`` and the record stays. The database refuses
    a second open period and overlapping periods (see migration 0002 for the overlap trigger and
    exclusion constraint, which Django's constraint classes cannot express on both databases).
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATE = "associate", _("Associate")
        OBSERVER = "observer", _("Observer")

    member = models.ForeignKey(
        Partner,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    network = models.ForeignKey(
        Partner,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        related_name="member_links",
        limit_choices_to={"kind": Partner.Kind.NETWORK},
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Empty while the membership is current.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_on", "member__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="partners_membership_left_after_joined",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
            ),
            models.CheckConstraint(
                name="partners_membership_not_member_of_itself",
                condition=~Q(member=models.F("network")),
            ),
            models.UniqueConstraint(
                fields=["member", "network"],
                condition=Q(left_on__isnull=True),
                name="partners_membership_one_open_period",
                violation_error_message=_(
                    "This partner already has a current membership of this network. "
                    "End it before starting a new one."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "left_on"], name="partners_membership_network"),
        ]

    def __str__(self):
        return f"{self.member} → {self.network}"

    @property
    def is_current(self):
        return self.left_on is None

    def clean(self):
        """The field-level messages of the constraints above, the rule the database cannot
        state as a constraint (the network is a network), and the overlap rule (a trigger)."""
        errors = {}
        if self.network_id and self.network.kind != Partner.Kind.NETWORK:
            errors["network"] = _("Only a network of local governments can have members.")
        if self.member_id and self.network_id and self.member_id == self.network_id:
            errors["member"] = _("A network cannot be a member of itself.")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The end date cannot be before the date the partner joined.")
        if errors:
            raise ValidationError(errors)
        if self.member_id and self.network_id and self.joined_on:
            other = Membership.objects.overlapping(self).first()
            if other is not None:
                raise ValidationError(
                    _(
                        "This period overlaps another membership of the same partner in this "
                        "network (from %(joined)s to %(left)s)."
                    )
                    % {"joined": other.joined_on, "left": other.left_on or _("today")}
                )
