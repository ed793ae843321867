"""Public pages of partners and agreements. Only public records appear; others answer 404."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator

from allas.cache import cache_public_page, list_params
from allas.listing import FilteredListView, select_options
from partners.filters import AgreementFilter
from partners.models import Agreement

# Stands for a partner's identifier in the profile address the map script is given.
SLUG_PLACEHOLDER = "--slug--"


# The base layer's source, a proper name (not translated); the tile server's attribution, when
# there is one, comes from the settings.
OUTLINES_ATTRIBUTION = '<a href="https://www.naturalearthdata.com/" hreflang="en">Natural Earth</a>'


def map_config(**extra):
    """Base layer, marker images and profile address of the map, passed to the script with
    json_script.

    The base layer is Natural Earth's country outlines, served with the static files: coarse
    (1:110 million, 40 KB compressed) for the first draw, finer (1:50 million, 240 KB) loaded
    once the visitor zooms in. A tile server is optional (MAP_TILE_URL, empty by default).
    The images are named here because Leaflet guesses their address from its stylesheet's URL,
    which fails once collectstatic has added a hash to the file names (production). The
    profile address is in the page's language: the map's data (the partners' GeoJSON of
    /data/v1/) is the same in every language. ``extra``: ``idsUrl``, the address of the slugs
    of the partners to show (the directory's filters), and ``focus``, a partner to show too."""
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": " | ".join(
            text for text in (OUTLINES_ATTRIBUTION, settings.MAP_TILE_ATTRIBUTION) if text
        ),
        "outlines": {
            "coarse": static("vendor/world-atlas/countries-110m.json"),
            "fine": static("vendor/world-atlas/countries-50m.json"),
        },
        "icon": {
            "iconUrl": static("vendor/leaflet/images/marker-icon.png"),
            "iconRetinaUrl": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadowUrl": static("vendor/leaflet/images/marker-shadow.png"),
        },
        "profileUrl": reverse("partners:partner-detail", kwargs={"slug": SLUG_PLACEHOLDER}),
        **extra,
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
