"""The public site's URLs: the home page and the partners' pages (partners:...).

The partner pages are routed here and not in partners/urls.py because the directory, a profile
and an agreement page show activities too: partners may not import activities, the layer above
both may. The activities' own pages stay in activities/urls.py.
"""

from django.urls import include, path

from front import directory, graph, views
from partners import views as partner_views

partner_patterns = [
    path("partners/", directory.PartnerListView.as_view(), name="partner-list"),
    # Not a slug (it has a dot), so no partner's profile can take this address.
    path("partners/map.json", directory.partner_map_ids, name="partner-map-ids"),
    path("partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    # Outside partners/ so that no partner's slug can shadow it.
    path("partnership-graph/", graph.PartnerGraphView.as_view(), name="partner-graph"),
    path("partnership-graph/data.json", graph.partner_graph_data, name="partner-graph-data"),
    path("agreements/", partner_views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((partner_patterns, "partners"))),
]
