"""The partner directory: the partners' own filters (partners/filters.py) and the theme of the
activities they took part in, which is why the page lives in the layer above both apps."""

import django_filters
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_countries import countries

from activities.models import Activity, Participation
from allas.cache import cache_public_page, list_params, versioned
from allas.listing import FilteredListView, select_options, sort_key
from opendata.data_views import partners_geojson_url
from partners.filters import PartnerFilter
from partners.models import Membership, Partner, Theme
from partners.views import map_config


def took_part_in_theme(theme_id):
    """Whether the partner of the outer query took part in a visible activity of the theme:
    an EXISTS along the participations index of that partner (no scan of the big tables)."""
    return Exists(
        Participation.objects.filter(
            partner=OuterRef("pk"),
            activity__in=Activity.objects.visible(),
            activity__themes=theme_id,
        )
    )


def compute_theme_partner_ids():
    themes = dict(Theme.objects.values_list("pk", "slug"))
    if not themes:
        return {}
    rows = (
        Partner.objects.public()
        .order_by()
        .annotate(**{f"theme_{pk}": took_part_in_theme(pk) for pk in themes})
        .values_list("pk", *(f"theme_{pk}" for pk in themes))
    )
    members = {slug: set() for slug in themes.values()}
    for pk, *flags in rows:
        for slug, flag in zip(themes.values(), flags, strict=True):
            if flag:
                members[slug].add(pk)
    return {slug: frozenset(ids) for slug, ids in members.items()}


def theme_partner_ids():
    """For each theme's slug, the public partners that took part in one of its visible
    activities. Counting this for every request would read the million participations, so it
    is computed once (two queries, a few hundred ms on 1M participations) and kept until an
    edit touches the partners, activities, participations or themes."""
    return versioned("theme-partner-ids", compute_theme_partner_ids)


class DirectoryFilter(PartnerFilter):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme of their activities"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
    )

    class Meta(PartnerFilter.Meta):
        pass

    def filter_theme(self, queryset, name, value):
        return queryset.filter(took_part_in_theme(value.pk))

    def counts(self):
        """The partners' counts, and for themes the ids of the partners the other filters give,
        intersected with the cached partners of each theme (one query on the partners)."""
        counts = super().counts()
        partner_ids = set(self.queryset_without("theme").order_by().values_list("pk", flat=True))
        counts["theme"] = {
            slug: len(partner_ids & members) for slug, members in theme_partner_ids().items()
        }
        return counts


@method_decorator(cache_public_page(params=list_params(DirectoryFilter)), name="dispatch")
class PartnerListView(FilteredListView):
    """The directory. Prevents N+1: the counts of the options take one aggregate query per
    filter, and the page one query whatever its size."""

    template_name = "partners/partner_list.html"
    filterset_class = DirectoryFilter
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
        # The map shows the located partners of every page of the results, not only this
        # one: the one GeoJSON of the downloads (cached by the browser for the content
        # version), filtered in the browser by the slugs of partner_map_ids.
        context["map_data_url"] = partners_geojson_url()
        map_extra = {}
        if context["is_filtered"]:
            map_extra["idsUrl"] = map_ids_url(self.request.GET)
        context["map_config"] = map_config(**map_extra)
        return context


def map_ids_url(query):
    """The address of the slugs of the partners the directory's filters give (``query``: its
    filter values; the page number and the order do not change the set)."""
    params = query.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return f"{reverse('partners:partner-map-ids')}?{params.urlencode()}"


@require_safe
@cache_public_page(params=list_params(DirectoryFilter))
def partner_map_ids(request):
    """The slugs (the GeoJSON's feature ids) of the located public partners that the
    directory's filters give, for its map and a network's profile map: the one GeoJSON per
    content version stays the map's data, and this list, small and cached per filter, says
    which of its features to show. Prevents N+1: one query on the partners (and one for a
    network filter's network), whatever their number."""
    filterset = DirectoryFilter(
        request.GET or None, queryset=Partner.objects.public(), request=request
    )
    slugs = filterset.qs.located().order_by("slug").values_list("slug", flat=True)
    return JsonResponse({"ids": list(slugs)})
