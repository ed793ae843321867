"""The reads of activities, participations, resources and proposed changes: one QuerySet
per model, so a view or a form never builds a query itself.

The models are looked up when a method runs (``_model``), not imported: activities.models
imports these classes to build its managers.
"""

import datetime
import operator

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from allas.search import ranked_search
from allas.translation import columns


def _model(name):
    return apps.get_model("activities", name)


def _participations():
    return _model("Participation").objects


# What visitors may see (ActivityQuerySet.visible), as the condition of partial indexes.
VISIBLE = Q(status="published") | Q(status="cancelled", published_at__isnull=False)


def last_day():
    """An activity's last day: its end, or its start when it lasts one day. Backs the index
    ``activities_last_day``, so "upcoming" is one index range instead of an OR that
    reads every past activity."""
    return Coalesce("ends_on", "starts_on")


def is_upcoming(today=None):
    """Not over yet: ends today or later (a one-day activity: starts today or later)."""
    today = today or timezone.localdate()
    return Q(GreaterThanOrEqual(last_day(), today))


class ActivityQuerySet(models.QuerySet):
    def visible(self):
        """What visitors may see: published activities, and cancelled ones that had been
        published (shown as cancelled). The same condition backs the partial indexes below."""
        return self.filter(VISIBLE)

    def submitted(self):
        """Waiting for a coordinator to publish them."""
        return self.filter(status=self.model.Status.SUBMITTED)

    def count_per_year_and_kind(self):
        """Rows of ``year``, ``kind`` and ``activities`` (their number). One grouped query."""
        return (
            self.annotate(year=ExtractYear("starts_on"))
            .values("year", "kind")
            .annotate(activities=models.Count("pk"))
            .order_by("year", "kind")
        )

    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def trainings(self):
        return self.filter(kind=self.model.Kind.TRAINING)

    def upcoming(self, today=None):
        return self.filter(is_upcoming(today))

    def past(self, today=None):
        # starts_on < today follows (an activity ends on or after its start); stated, it lets
        # the start-date index begin at today instead of reading every upcoming activity.
        today = today or timezone.localdate()
        return self.exclude(is_upcoming(today)).filter(starts_on__lt=today)

    def soonest(self, limit, today=None, order=("starts_on", "pk")):
        """The first ``limit`` upcoming activities in ``order`` (soonest first), as a list.

        Two index reads instead of one ``upcoming()`` query: PostgreSQL answers that one by
        walking the start-date index from the oldest activity, reading all past ones first.
        Those starting today or later come in index order, bounded by ``limit``; those still
        running (started earlier, not over yet) are few at any time and come whole, unordered,
        through the last-day index."""
        today = today or timezone.localdate()
        starting = list(self.filter(starts_on__gte=today).order_by(*order)[:limit])
        ongoing = list(self.filter(is_upcoming(today), starts_on__lt=today).order_by())
        return sorted(ongoing + starting, key=operator.attrgetter(*order))[:limit]

    def upcoming_first(self, today=None):
        """Upcoming activities first (soonest first), then past ones (latest first)."""
        return self.annotate(
            upcoming_start=models.Case(
                models.When(is_upcoming(today), then=models.F("starts_on")),
                output_field=models.DateField(),
            )
        ).order_by(models.F("upcoming_start").asc(nulls_last=True), "-starts_on", "slug", "pk")

    def for_partner(self, partner):
        """Activities the partner organised or took part in (one EXISTS subquery)."""
        return self.filter(
            Exists(_participations().filter(activity=OuterRef("pk"), partner=partner))
        )

    def with_theme(self, theme):
        return self.filter(themes=theme)

    # What search() reads: a match in the title ranks first. Migration 0012 indexes the same
    # columns (PostgreSQL).
    SEARCH_HEADING = ("title",)
    SEARCH_BODY = ("summary", "description")

    def search(self, text):
        """Activities holding every word of ``text`` (or words starting so) in their title,
        summary or description in one language; those with every word in the title first, then
        latest first (allas/search.py)."""
        return ranked_search(
            self,
            text,
            heading=self.SEARCH_HEADING,
            body=self.SEARCH_BODY,
            then=("-starts_on", "slug", "pk"),
        )

    def with_public_organisers(self):
        """Each activity's organisers that are public, as ``public_organisers`` (one prefetch)."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=_participations()
                .of_public_partners()
                .filter(role__in=_model("Participation").ORGANISING_ROLES),
                to_attr="public_organisers",
            )
        )

    def with_participants(self):
        """Each activity's participations with their partners, by role and name (one
        prefetch)."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=_participations()
                .select_related("partner")
                .order_by("role", "partner__name"),
            )
        )

    def for_calendar(self):
        """With what a calendar event needs, and only that (descriptions, outcomes and notes
        can be long)."""
        return self.select_related("venue_partner").only(
            "slug",
            "original_language",
            *columns("title", "summary", "venue_name"),
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "updated_at",
            "venue_type",
            "venue_partner",
            "venue_country",
            "venue_partner__name",
            *(f"venue_partner__{column}" for column in columns("official_name")),
            "venue_partner__country",
            "venue_partner__is_public",
        )

    def calendar_window(self, limit, past_days, today=None):
        """Upcoming activities (soonest first) and, while there is room for ``limit``, those
        of the last ``past_days`` (latest first), as one list in date order. Three queries
        along the date indexes, none reading more than ``limit`` rows (and the few activities
        running today)."""
        today = today or timezone.localdate()
        upcoming = self.soonest(limit, today)
        room = limit - len(upcoming)
        past = []
        if room:
            since = today - datetime.timedelta(days=past_days)
            past = list(
                self.past(today).filter(starts_on__gte=since).order_by("-starts_on", "-pk")[:room]
            )
        return past[::-1] + upcoming

    def filter_options(self):
        """The countries (codes, sorted) and years (latest first) these activities have, for
        the public list's filter menus: two scans. A country counts as ActivityFilter's
        filter_country matches it: the place's country, or the host city's."""
        unordered = self.order_by()
        codes = set()
        rows = unordered.values_list(
            "venue_type", "venue_country", "venue_partner__country"
        ).distinct()
        for venue_type, venue_country, city_country in rows:
            codes.add(venue_country)
            if venue_type == self.model.VenueType.CITY:
                codes.add(city_country)
        codes.discard("")
        codes.discard(None)
        years = [d.year for d in unordered.dates("starts_on", "year", order="DESC")]
        return sorted(codes), years

    # The staff area: what a user's organisations keep (the rules are activities.permissions).

    def for_partner_staff(self, user):
        """Activities where one of ``user``'s organisations takes part, in any role (one
        EXISTS subquery)."""
        return self.filter(
            Exists(
                _participations().filter(activity=OuterRef("pk"), partner__staff_links__user=user)
            )
        )

    def organised_by(self, user):
        """Activities one of ``user``'s organisations organises (organiser or co-organiser)."""
        return self.filter(_organised_by(user))

    def flag_organised_by(self, user):
        """Each activity with ``organised``: whether one of ``user``'s organisations organises
        it (a subquery)."""
        return self.annotate(organised=_organised_by(user))

    def with_review_state(self):
        return _with_review_state(self, "activity")

    def latest_or_linked(self, limit, resource=None):
        """The ``limit`` latest of these activities, plus those of them linked to
        ``resource``, by date (what a resource's form offers)."""
        condition = Q(pk__in=self.order_by("-starts_on", "-pk").values("pk")[:limit])
        if resource is not None and resource.pk:
            condition |= Q(pk__in=resource.activities.values("pk"))
        return self.filter(condition).order_by("-starts_on", "slug")

    def yearly_training_totals(self):
        """Per year: sessions, hours, attendees and attendee-hours (hours × attendees, summed)
        of the trainings among these that are not cancelled. Two queries."""
        trainings = self.trainings().exclude(status=self.model.Status.CANCELLED)
        years = {
            row["year"]: {**row, "attendees": 0, "attendee_hours": 0}
            for row in trainings.annotate(year=ExtractYear("starts_on"))
            .values("year")
            .annotate(sessions=models.Count("pk"), hours=Sum("hours"))
            .order_by("-year")
        }
        attendance = (
            _participations()
            .filter(activity__in=trainings)
            .annotate(year=ExtractYear("activity__starts_on"))
            .values("year")
            .annotate(
                people=Sum("attendees"),
                attendee_hours=Sum(
                    models.F("attendees") * models.F("activity__hours"),
                    output_field=models.DecimalField(max_digits=14, decimal_places=1),
                ),
            )
            .order_by()
        )
        for row in attendance:
            if row["year"] in years:
                years[row["year"]]["attendees"] = row["people"] or 0
                years[row["year"]]["attendee_hours"] = row["attendee_hours"] or 0
        return list(years.values())


def _organised_by(user):
    """The condition "one of ``user``'s organisations organises it", for activities."""
    return Exists(
        _participations().filter(
            activity=OuterRef("pk"),
            partner__staff_links__user=user,
            role__in=_model("Participation").ORGANISING_ROLES,
        )
    )


def _with_review_state(queryset, record):
    """Each record with its review state for the staff lists: ``change_pending`` and the
    latest proposal's ``last_change_status``, ``last_change_note`` and
    ``last_change_decided_at`` (subqueries: the same query count for any number of rows)."""
    changes = _model("ProposedChange").objects.filter(**{record: OuterRef("pk")})
    latest = changes.order_by("-proposed_at", "-pk")
    return queryset.annotate(
        change_pending=Exists(changes.pending()),
        last_change_status=Subquery(latest.values("status")[:1]),
        last_change_note=Subquery(latest.values("note")[:1]),
        last_change_decided_at=Subquery(latest.values("decided_at")[:1]),
    )


class ParticipationQuerySet(models.QuerySet):
    def of_public_partners(self):
        """Participations of public partners, with them, by role and name."""
        return (
            self.filter(partner__is_public=True)
            .select_related("partner")
            .order_by("role", "partner__name")
        )

    def in_published_trainings(self):
        return self.filter(
            activity__kind=_model("Activity").Kind.TRAINING,
            activity__status=_model("Activity").Status.PUBLISHED,
        )

    def training_totals(self):
        """Of these participations: ``sessions``, ``hours`` (of the activities, summed per
        participation) and ``attendees``. One aggregate query."""
        return self.aggregate(
            sessions=models.Count("pk"), hours=Sum("activity__hours"), attendees=Sum("attendees")
        )

    def training_totals_per_partner(self):
        """Rows of ``partner__name``, ``sessions``, ``hours``, ``people`` (attendees) and
        ``attendee_hours`` (attendees × hours), most attendees first. One grouped query."""
        return (
            self.values("partner__name")
            .annotate(
                sessions=models.Count("activity", distinct=True),
                hours=Sum("activity__hours"),
                people=Sum("attendees"),
                attendee_hours=Sum(
                    models.F("attendees") * models.F("activity__hours"),
                    output_field=models.DecimalField(max_digits=14, decimal_places=1),
                ),
            )
            .order_by("-people", "partner__name")
        )

    def partners_met_by(self, partner_ids, *, recent):
        """The partners (as a ``partner_id`` subquery) on the activities of the ``recent``
        latest participations of ``partner_ids``: a bound, so a large organisation's
        history is not read in full."""
        activities = (
            self.filter(partner__in=partner_ids)
            .order_by("-activity_id")
            .values("activity_id")[:recent]
        )
        return self.filter(activity__in=activities).values("partner_id")


class ResourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def for_partner_staff(self, user):
        """Resources one of ``user``'s organisations published (one EXISTS subquery)."""
        return self.filter(
            Exists(
                self.model.partners.through.objects.filter(
                    resource=OuterRef("pk"), partner__staff_links__user=user
                )
            )
        )

    def with_review_state(self):
        return _with_review_state(self, "resource")

    def newest_first(self):
        """Latest publication date first, undated ones last."""
        return self.order_by(models.F("published_on").desc(nulls_last=True), "slug", "pk")

    # What search() reads: a match in the title ranks first. Migration 0012 indexes the same
    # columns (PostgreSQL).
    SEARCH_HEADING = ("title",)
    SEARCH_BODY = ("description",)

    def search(self, text):
        """Resources holding every word of ``text`` (or words starting so) in their title or
        description in one language; those with every word in the title first, then as the
        knowledge hub lists them (allas/search.py)."""
        return ranked_search(
            self,
            text,
            heading=self.SEARCH_HEADING,
            body=self.SEARCH_BODY,
            then=("-published_on", "slug", "pk"),
        )


class ProposedChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=self.model.Status.PENDING)

    def for_review(self):
        """What the review pages show: the record, who proposed and who decided."""
        return self.select_related("activity", "resource", "proposed_by", "decided_by")

    def newest(self):
        """The latest proposal (with who decided it), or None: one query."""
        return self.select_related("decided_by").first()
