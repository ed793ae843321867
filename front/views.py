"""The public pages that show records of several apps: the home page, a partner's profile with
its activities, an agreement with the activities it produced."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from activities.models import Activity, Participation, Resource
from allas.cache import RecordPageMixin, cache_public_page, versioned
from allas.listing import paginate
from front.directory import map_ids_url
from opendata.data_views import partners_geojson_url
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Membership,
    Partner,
    Theme,
)
from partners.schema_org import partner_json_ld
from partners.timelines import member_timeline, membership_periods
from partners.views import map_config, map_markers

HOME_LIST_LENGTH = 4


def home_figures():
    """The key figures: two aggregates over the partners and the activities (the second reads
    100,000 activities at full size), so they are cached until the content changes."""
    figures = Partner.objects.public().aggregate(
        partners=Count("pk"),
        countries=Count("country", distinct=True),
        networks=Count("pk", filter=Q(kind=Partner.Kind.NETWORK)),
        on_map=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
    )
    figures.update(
        Activity.objects.visible().aggregate(
            activities=Count("pk"),
            training_hours=Sum("hours", filter=Q(kind=Activity.Kind.TRAINING)),
        )
    )
    figures["training_hours"] = figures["training_hours"] or 0
    return figures


@require_safe
@cache_public_page
def home(request):
    """The front page. Prevents N+1: the figures take two aggregate queries (cached), and each
    short list one. The map's markers come from the partners' GeoJSON of the downloads, at an
    address that changes with the content (map.js)."""
    activities = Activity.objects.visible().select_related("venue_partner")
    context = {
        "figures": versioned("home-figures", home_figures),
        "map_data_url": partners_geojson_url(),
        "map_config": map_config(),
        "directory_url": reverse("partners:partner-list"),
        "upcoming": activities.soonest(HOME_LIST_LENGTH, order=("starts_on", "slug", "pk")),
        "latest": list(activities.past().order_by("-starts_on", "slug")[:HOME_LIST_LENGTH]),
        "resources": list(
            Resource.objects.public().order_by("-published_on", "-pk")[:HOME_LIST_LENGTH]
        ),
    }
    return render(request, "home.html", context)


def partner_training_totals(partner):
    trainings = Activity.objects.visible().trainings()
    return partner.participations.filter(activity__in=trainings).training_totals()


# record_tables: everything the page reads is linked to its record (allas/cache_tags.py); a
# network's map reads the open-data files' address, which changes with every edit.
@method_decorator(
    cache_public_page(
        params=("page",),
        record_tables=(Partner, Membership, Agreement, AgreementParty, Activity, Participation),
    ),
    name="dispatch",
)
class PartnerDetailView(RecordPageMixin, DetailView):
    """A partner's profile. Prevents N+1: memberships, members, agreements, the activity page
    and the training totals take one query each. A network shows its first
    ``members_shown`` current members (one query, plus a COUNT) and links to the directory
    filtered by the network for the rest."""

    template_name = "partners/partner_detail.html"
    context_object_name = "partner"
    activities_per_page = 10
    members_shown = 50

    def get_queryset(self):
        return Partner.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        current_first = [F("left_on").desc(nulls_first=True), "-joined_on"]
        context["memberships"] = list(
            partner.memberships.in_public_networks()
            .select_related("network")
            .order_by(*current_first, "network__name")
        )
        if partner.kind == Partner.Kind.NETWORK:
            current = partner.member_links.of_public_members().current()
            context["members"] = list(
                current.select_related("member").order_by("member__name", "pk")[
                    : self.members_shown
                ]
            )
            context["members_total"] = (
                len(context["members"])
                if len(context["members"]) < self.members_shown
                else current.count()
            )
            context["members_url"] = reverse("partners:partner-list") + f"?network={partner.slug}"
            # Two grouped queries whatever the number of members, then kept until the
            # content changes.
            context["member_timeline"] = member_timeline(partner, timezone.localdate())
        # Drawn from the memberships above: no query.
        context["membership_periods"] = membership_periods(
            context["memberships"], timezone.localdate()
        )
        context["agreements"] = list(Agreement.objects.public().with_party(partner))
        # order_by(): the participations' default order would join the activity and partner.
        role = (
            Participation.objects.filter(activity=OuterRef("pk"), partner=partner)
            .order_by()
            .values("role")[:1]
        )
        activities = Activity.objects.visible().for_partner(partner).upcoming_first()

        def page_rows(keys):
            return (
                Activity.objects.filter(pk__in=keys)
                .select_related("venue_partner")
                .annotate(partner_role=Subquery(role))
                .upcoming_first()
            )

        notices = []
        # The count is the same on every page and in every language of the profile, and costs
        # a pass over all the partner's activities (5,000 for the largest network). The page
        # is sorted on its keys first (index activities_visible_keys), then its ten rows read.
        page = paginate(
            self.request,
            activities,
            self.activities_per_page,
            notices,
            count=lambda: versioned(f"partner-activity-count:{partner.pk}", activities.count),
            rows=page_rows,
        )
        role_labels = dict(Participation.Role.choices)
        for activity in page.object_list:
            activity.partner_role_label = role_labels.get(activity.partner_role, "")
        context.update(
            page_obj=page,
            notices=notices,
            # The same on every page and in every language of the profile, and a sum over
            # all the partner's trainings (5,000 for the largest network): kept until the
            # content changes.
            totals=versioned(
                f"partner-training-totals:{partner.pk}",
                lambda: partner_training_totals(partner),
            ),
            **self.map_context(partner, context),
            json_ld=partner_json_ld(
                partner,
                absolute=self.request.build_absolute_uri,
                memberships=context["memberships"],
                members=context.get("members", ()),
            ),
        )
        return context

    def map_context(self, partner, context):
        """A partner's own marker; for a network with current members, the network and its
        current public members: the features of the partners' GeoJSON (the home map's file)
        whose slugs the directory's map address gives for ?network=<slug> (current members,
        its default)."""
        if context.get("members"):
            ids_url = map_ids_url(QueryDict(f"network={partner.slug}"))
            return {
                "map_data_url": partners_geojson_url(),
                "map_config": map_config(idsUrl=ids_url, focus=partner.slug),
            }
        return {"map_markers": map_markers([partner]), "map_config": map_config()}


# record_tables: everything the page reads is linked to its record (allas/cache_tags.py).
@method_decorator(
    cache_public_page(
        record_tables=(Agreement, AgreementParty, AgreementStatusChange, Partner, Theme, Activity)
    ),
    name="dispatch",
)
class AgreementDetailView(RecordPageMixin, DetailView):
    """A public agreement with its parties, themes, lifecycle and the activities it produced."""

    template_name = "partners/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return Agreement.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["parties"] = list(agreement.party_links.public())
        context["themes"] = list(agreement.themes.all())
        # Dates and statuses only: who made a change and the notes are internal.
        context["history"] = list(
            agreement.status_changes.order_by("changed_on", "recorded_at", "pk").values(
                "changed_on", "from_status", "to_status"
            )
        )
        labels = dict(Agreement.Status.choices)
        for step in context["history"]:
            step["from_label"] = labels.get(step["from_status"], "")
            step["to_label"] = labels.get(step["to_status"], "")
        context["activities"] = list(
            Activity.objects.visible()
            .filter(agreement=agreement)
            .select_related("venue_partner")
            .order_by("-starts_on", "slug")
        )
        return context
