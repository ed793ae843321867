"""Public pages of partners and agreements. Only public records appear; others answer 404."""

from django.conf import settings
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
)
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_countries import countries

from activities.models import Activity, Participation
from allas.cache import cache_public_page, content_version, list_params, versioned
from allas.listing import FilteredListView, paginate, select_options, sort_key
from partners.filters import AgreementFilter, PartnerFilter
from partners.models import Agreement, AgreementParty, Membership, Partner, Theme


def map_config():
    """Tile server and marker images of the map, passed to the script with json_script.

    The images are named here because Leaflet guesses their address from its stylesheet's URL,
    which fails once collectstatic has added a hash to the file names (production)."""
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "icon": {
            "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
    }


def map_markers(partners):
    return [
        {
            "name": str(p),
            "url": p.get_absolute_url(),
            "lat": float(p.latitude),
            "lng": float(p.longitude),
            "place": ", ".join(x for x in [p.locality, p.country.name] if x),
        }
        for p in partners
        if p.latitude is not None and p.longitude is not None
    ]


# The map's data is fetched by map.js at an address that holds the content version, so browsers
# may keep it for long: a change of the content gives a new address.
MAP_DATA_MAX_AGE = 365 * 24 * 3600
MAP_DATA_FIELDS = ["lat", "lng", "name", "slug", "place"]
SLUG_PLACEHOLDER = "--slug--"


def map_data_url():
    return f"{reverse('partners:partner-map-data')}?v={content_version()[:12]}"


@require_safe
@cache_public_page(params=("v",))
def map_data(request):
    """Markers of every public partner with a location, as compact arrays (one query):
    ``{"fields": [...], "url": "/es/partners/--slug--/", "markers": [[lat, lng, name, slug,
    place], ...]}``. About 70 bytes a partner; served from the page cache."""
    partners = (
        Partner.objects.public()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("name")
        .values_list("name", "slug", "latitude", "longitude", "locality", "country")
    )
    markers = [
        [
            round(float(lat), 4),
            round(float(lng), 4),
            name,
            slug,
            ", ".join(x for x in [locality, countries.name(country)] if x),
        ]
        for name, slug, lat, lng, locality, country in partners
    ]
    url = reverse("partners:partner-detail", kwargs={"slug": SLUG_PLACEHOLDER})
    response = JsonResponse({"fields": MAP_DATA_FIELDS, "url": url, "markers": markers})
    if request.GET.get("v"):
        response["Cache-Control"] = f"public, max-age={MAP_DATA_MAX_AGE}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=600"
    return response


@method_decorator(cache_public_page(params=list_params(PartnerFilter)), name="dispatch")
class PartnerListView(FilteredListView):
    """The directory. Prevents N+1: the counts of the options take one aggregate query per
    filter, and the page one query whatever its size."""

    template_name = "partners/partner_list.html"
    filterset_class = PartnerFilter
    paginate_by = 24
    network_suggestions = 50

    def base_queryset(self):
        return Partner.objects.public()

    def get_queryset(self):
        queryset = super().get_queryset()
        self.counts = self.filterset.cached_counts()
        return self.filterset.sorted_queryset(queryset, self.counts["country"].keys())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw, counts = context["raw"], self.counts
        country_codes = set(counts["country"])
        if raw["country"] in dict(countries):
            country_codes.add(raw["country"])
        country_choices = sorted(
            ((code, countries.name(code)) for code in country_codes),
            key=lambda pair: sort_key(pair[1]),
        )
        # Suggestions for the typed network: the networks with the most partners among the
        # results (the networks are hundreds at full size).
        largest = sorted(counts["network"].items(), key=lambda pair: (-pair[1], pair[0]))
        largest = dict(largest[: self.network_suggestions])
        networks = sorted(
            Partner.objects.public()
            .networks()
            .filter(slug__in=largest)
            .values_list("slug", "name"),
            key=lambda pair: sort_key(pair[1]),
        )
        themes = [(t.slug, t.name) for t in Theme.objects.all()]
        context["options"] = {
            "kind": select_options(Partner.Kind.choices, raw["kind"], counts["kind"]),
            "region": select_options(Partner.Region.choices, raw["region"], counts["region"]),
            "country": select_options(country_choices, raw["country"], counts["country"]),
            "network": select_options(networks, raw["network"], counts["network"]),
            "role": select_options(Membership.Role.choices, raw["role"], counts["role"]),
            "membership": select_options(PartnerFilter.Scope.choices, raw["membership"]),
            "theme": select_options(themes, raw["theme"], counts["theme"]),
            "sort": select_options(PartnerFilter.SORTS, raw["sort"]),
        }
        return context


def partner_training_totals(partner):
    return Participation.objects.filter(
        partner=partner, activity__in=Activity.objects.visible().trainings()
    ).aggregate(sessions=Count("pk"), hours=Sum("activity__hours"), attendees=Sum("attendees"))


@method_decorator(cache_public_page(params=("page",)), name="dispatch")
class PartnerDetailView(DetailView):
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
            partner.memberships.filter(network__is_public=True)
            .select_related("network")
            .order_by(*current_first, "network__name")
        )
        if partner.kind == Partner.Kind.NETWORK:
            current = partner.member_links.filter(member__is_public=True).current()
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
        context["agreements"] = list(
            Agreement.objects.public().filter(party_links__partner=partner)
        )
        role = Participation.objects.filter(activity=OuterRef("pk"), partner=partner).values(
            "role"
        )[:1]
        activities = (
            Activity.objects.visible()
            .for_partner(partner)
            .select_related("venue_partner")
            .annotate(partner_role=Subquery(role))
            .upcoming_first()
        )
        notices = []
        # The count is the same on every page and in every language of the profile, and costs
        # a pass over all the partner's activities (5,000 for the largest network).
        page = paginate(
            self.request,
            activities,
            self.activities_per_page,
            notices,
            count=lambda: versioned(f"partner-activity-count:{partner.pk}", activities.count),
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
            map_markers=map_markers([partner]),
            map_config=map_config(),
        )
        return context


@method_decorator(cache_public_page(params=list_params(AgreementFilter)), name="dispatch")
class AgreementListView(FilteredListView):
    """Public agreements. Prevents N+1: the parties of the page come in one prefetch."""

    template_name = "partners/agreement_list.html"
    filterset_class = AgreementFilter
    paginate_by = 20

    def base_queryset(self):
        return Agreement.objects.public().prefetch_related(
            Prefetch(
                "party_links",
                queryset=AgreementParty.objects.filter(partner__is_public=True)
                .select_related("partner")
                .order_by("partner__name"),
                to_attr="public_parties",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = context["raw"]
        # The party is typed (slug or name): parties are thousands at full size.
        context["options"] = {
            "status": select_options(Agreement.Status.choices, raw["status"]),
            "kind": select_options(Agreement.Kind.choices, raw["kind"]),
        }
        return context


@method_decorator(cache_public_page, name="dispatch")
class AgreementDetailView(DetailView):
    """A public agreement with its parties, themes, lifecycle and the activities it produced."""

    template_name = "partners/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return Agreement.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["parties"] = list(
            agreement.party_links.filter(partner__is_public=True)
            .select_related("partner")
            .order_by("partner__name")
        )
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
            .order_by("-starts_on", "title")
        )
        return context
