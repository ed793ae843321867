"""Public pages of partners and agreements. Only public records appear; others answer 404."""

from django.conf import settings
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django_countries import countries

from allas.cache import cache_public_page, content_version, list_params
from allas.listing import FilteredListView, select_options
from allas.translation import active_language
from partners.filters import AgreementFilter
from partners.models import Agreement, Partner


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
            "name": str(p),  # the official name in the page's language where there is one
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
    place], ...]}``. About 70 bytes a partner; served from the page cache. Names are the
    official names in the page's language where the partner has one (a proper name: no
    fallback note)."""
    partners = (
        Partner.objects.public()
        .located()
        .order_by("name")
        .values_list(
            Coalesce(NullIf(f"official_name_{active_language()}", Value("")), "name"),
            "slug",
            "latitude",
            "longitude",
            "locality",
            "country",
        )
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


@method_decorator(cache_public_page(params=list_params(AgreementFilter)), name="dispatch")
class AgreementListView(FilteredListView):
    """Public agreements. Prevents N+1: the parties of the page come in one prefetch."""

    template_name = "partners/agreement_list.html"
    filterset_class = AgreementFilter
    paginate_by = 20

    def base_queryset(self):
        return Agreement.objects.public().with_public_parties()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = context["raw"]
        # The party is typed (slug or name): parties are thousands at full size.
        context["options"] = {
            "status": select_options(Agreement.Status.choices, raw["status"]),
            "kind": select_options(Agreement.Kind.choices, raw["kind"]),
        }
        return context
