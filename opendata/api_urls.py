"""The API's addresses: ``/api/v1/<table>/`` and ``/api/v1/<table>/<identifier>/``, the
OpenAPI schema and its documentation page (Swagger UI, served from the project)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from opendata import api

app_name = "api"

router = DefaultRouter()
# JSON only: no "/partners.json" twins of every address (URL_FORMAT_OVERRIDE is off too).
router.include_format_suffixes = False
router.register("partners", api.PartnerViewSet, basename="partner")
router.register("memberships", api.MembershipViewSet, basename="membership")
router.register("agreements", api.AgreementViewSet, basename="agreement")
router.register("activities", api.ActivityViewSet, basename="activity")
router.register("participations", api.ParticipationViewSet, basename="participation")
router.register("resources", api.ResourceViewSet, basename="resource")
router.register("themes", api.ThemeViewSet, basename="theme")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="opendata/api_docs.html",
            title="AL-LAs Network open data API",
        ),
        name="docs",
    ),
    *router.urls,
]
