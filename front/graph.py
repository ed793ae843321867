"""The partnership graph: partners as nodes, memberships as edges (networks of networks too).

Two addresses. The page (``partners:partner-graph``) holds the controls and, as the accessible
path that needs neither JavaScript nor WebGL, a paginated table of the same links with the same
filters. The data (``partners:partner-graph-data``) is one compact JSON read by
``allas/static/js/graph.js``, which draws it with sigma.js and filters it by date, network,
region and kind without moving a node.

The layout is computed here with igraph's Fruchterman-Reingold (C core, about half a second for
5,000 partners and 30,000 memberships) once per content version, so no visitor's browser runs a
force layout. Only public partners and memberships of public networks between them are shown.
"""

import datetime
import random

import django_filters
from django import forms
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from allas.cache import cache_public_page, list_params, versioned
from allas.listing import FilteredListView, select_options, sort_key
from allas.translation import active_language
from partners.filters import PartnerRefFilter
from partners.models import Membership, Partner

# Colours of the nodes (Okabe-Ito hues, darkened where needed for 3:1 against white: WCAG
# 1.4.11). The legend and the script read them from the data, so they live here only.
KIND_COLOURS = {
    Partner.Kind.CITY: "#0072b2",
    Partner.Kind.NETWORK: "#c04e00",
    Partner.Kind.INSTITUTION: "#007a5a",
}
REGION_COLOURS = {
    Partner.Region.LATIN_AMERICA: "#a3007d",
    Partner.Region.EUROPE: "#0060a0",
    Partner.Region.OTHER: "#5f5f5f",
}
# The layout is scaled to SPAN units and rounded to this many decimals: a tenth of a unit is
# far below a pixel even zoomed in, and short numbers keep the data small.
SPAN = 1000
COORDINATE_DECIMALS = 1


def public_links():
    """The memberships the graph shows: in public networks, between public partners."""
    return Membership.objects.in_public_networks().of_public_members()


def compute_layout(node_ids, pairs):
    """Positions ``{partner id: (x, y)}`` for ``node_ids`` linked by ``pairs`` (member id,
    network id), by Fruchterman-Reingold (deterministic for the same input).
    Several periods of one membership count as one edge."""
    import igraph  # imported here: only the first request after an edit pays for it

    index = {pk: i for i, pk in enumerate(node_ids)}
    edges = sorted({(index[a], index[b]) for a, b in pairs if a in index and b in index})
    graph = igraph.Graph(n=len(node_ids), edges=edges)
    if not node_ids:
        return {}
    # A fixed random seed: the same content gives the same picture. (Starting from a circle
    # instead would crowd every node into one cell of the algorithm's grid: 30 s, not 0.7.)
    igraph.set_random_number_generator(random.Random(0))
    try:
        layout = graph.layout_fruchterman_reingold(niter=500, grid="auto")
    finally:
        igraph.set_random_number_generator(random)
    # Scaled to a square of SPAN units, so the rounding costs the same at any size.
    xs, ys = zip(*layout.coords, strict=True)
    left, bottom = min(xs), min(ys)
    scale = SPAN / max(max(xs) - left, max(ys) - bottom, 1e-9)
    return {
        pk: (
            round((x - left) * scale, COORDINATE_DECIMALS),
            round((y - bottom) * scale, COORDINATE_DECIMALS),
        )
        for pk, (x, y) in zip(node_ids, layout.coords, strict=True)
    }


def graph_data():
    """The graph as plain data in the active language (see graph_json for the format). Two
    queries whatever the size, plus the layout's when the content changed."""
    language = active_language()
    links = list(
        public_links()
        .order_by("joined_on", "pk")
        .values_list("member_id", "network_id", "role", "joined_on", "left_on")
    )
    linked = {pk for link in links for pk in link[:2]}
    partners = [
        row
        for row in Partner.objects.public()
        .order_by("name", "pk")
        .values_list(
            "pk", "slug", "name", f"official_name_{language}", "kind", "region", named=True
        )
        if row.pk in linked or row.kind == Partner.Kind.NETWORK
    ]
    node_ids = [p.pk for p in partners]
    pairs = [(member, network) for member, network, *_rest in links]
    layout = versioned("partner-graph-layout", lambda: compute_layout(node_ids, pairs))
    return {"language": language, "partners": partners, "links": links, "layout": layout}


def graph_json(data):
    """Compact arrays: a node is ``[slug, label, kind, region, x, y, members]`` (kind and
    region are indexes into ``kinds`` and ``regions``; members counts the distinct members
    over time), an edge ``[member, network, role, joined_on, left_on or null]`` (nodes by
    index, role into ``roles``, ISO dates, which compare as strings)."""
    kinds = list(KIND_COLOURS)
    regions = list(REGION_COLOURS)
    roles = [value for value, _label in Membership.Role.choices]
    kind_index = {k: i for i, k in enumerate(kinds)}
    region_index = {r: i for i, r in enumerate(regions)}
    role_index = {r: i for i, r in enumerate(roles)}
    node_index = {p.pk: i for i, p in enumerate(data["partners"])}
    members = {}
    for member, network, *_rest in data["links"]:
        members.setdefault(network, set()).add(member)
    layout = data["layout"]
    nodes = []
    for partner in data["partners"]:
        # A node added since the layout was cached (an edit bypassing the signals) sits at
        # the centre until the layout is computed again.
        x, y = layout.get(partner.pk, (0.0, 0.0))
        label = getattr(partner, f"official_name_{data['language']}") or partner.name
        nodes.append(
            [
                partner.slug,
                label,
                kind_index.get(partner.kind, 0),
                region_index.get(partner.region, len(regions) - 1),
                x,
                y,
                len(members.get(partner.pk, ())),
            ]
        )
    edges = [
        [
            node_index[member],
            node_index[network],
            role_index.get(role, 0),
            joined_on.isoformat(),
            left_on.isoformat() if left_on else None,
        ]
        for member, network, role, joined_on, left_on in data["links"]
        if member in node_index and network in node_index
    ]
    return {
        "today": timezone.localdate().isoformat(),
        "first": edges[0][3] if edges else None,
        "kinds": [[k, str(Partner.Kind(k).label), KIND_COLOURS[k]] for k in kinds],
        "regions": [[r, str(Partner.Region(r).label), REGION_COLOURS[r]] for r in regions],
        "roles": [[r, str(Membership.Role(r).label)] for r in roles],
        "nodes": nodes,
        "edges": edges,
    }


@require_safe
@cache_public_page
def partner_graph_data(request):
    """The graph's data (JSON, gzipped by the page cache: about 0.4 MB at 5,000 partners).
    Prevents N+1: two queries whatever the size."""
    return JsonResponse(graph_json(graph_data()), json_dumps_params={"separators": (",", ":")})


class AsItStoodOnFilter(django_filters.DateFilter):
    """Memberships open on the day: joined by then, not left before (periods are closed
    intervals, an open one runs on)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            Q(joined_on__lte=value) & (Q(left_on__isnull=True) | Q(left_on__gte=value))
        )


class GraphDateField(forms.DateField):
    # ISO dates only (what <input type="date"> sends); years a date input accepts.
    input_formats = ["%Y-%m-%d"]

    def clean(self, value):
        value = super().clean(value)
        if value and not datetime.date(1900, 1, 1) <= value <= datetime.date(2999, 12, 31):
            raise forms.ValidationError(_("Give a date between 1900 and 2999."), code="range")
        return value


class GraphDateFilter(AsItStoodOnFilter):
    field_class = GraphDateField


class MembershipGraphFilter(django_filters.FilterSet):
    """The filters of the graph and of its table: the same fields drive both."""

    network = PartnerRefFilter(
        label=_("Network"), queryset=Partner.objects.public().networks(), field_name="network"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region of the member"), choices=Partner.Region.choices, field_name="member__region"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of member"), choices=Partner.Kind.choices, field_name="member__kind"
    )
    on = GraphDateFilter(label=_("As it stood on"))

    class Meta:
        model = Membership
        fields = []


@method_decorator(require_safe, name="dispatch")
@method_decorator(cache_public_page(params=list_params(MembershipGraphFilter)), name="dispatch")
class PartnerGraphView(FilteredListView):
    """The graph page and its table of links. Prevents N+1: the page of links is one query
    (member and network joined) plus a COUNT, and the networks' suggestions one more."""

    template_name = "partners/partner_graph.html"
    filterset_class = MembershipGraphFilter
    paginate_by = 50

    def base_queryset(self):
        return (
            public_links()
            .select_related("member", "network")
            .order_by("-joined_on", "member__name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = context["raw"]
        networks = sorted(
            Partner.objects.public().networks().values_list("slug", "name"),
            key=lambda pair: sort_key(pair[1]),
        )
        context["options"] = {
            "network": select_options(networks, raw["network"]),
            "region": select_options(Partner.Region.choices, raw["region"]),
            "kind": select_options(Partner.Kind.choices, raw["kind"]),
        }
        # A date input holds a valid date or nothing: an invalid one is left out (its notice
        # says it was ignored).
        on = self.cleaned("on")
        context["on_value"] = on.isoformat() if on else ""
        context["data_url"] = reverse("partners:partner-graph-data")
        # The script turns the placeholder into each node's address.
        context["profile_url"] = reverse("partners:partner-detail", kwargs={"slug": "__slug__"})
        return context
