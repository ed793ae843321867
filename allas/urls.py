from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from allas import views
from allas.media import serve_media

handler500 = "allas.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", views.healthz, name="healthz"),
    path("", include("front.root_urls")),
    # Open data, outside the language prefixes: the API speaks every language (?lang=).
    path("api/v1/", include("opendata.api_urls")),
    path("data/v1/", include("opendata.data_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("front.urls")),
    path("", include("activities.urls")),
    path("staff/", include("activities.staff_urls")),
    path("", include("joining.urls")),
    path("", include("opendata.urls")),
    path("", include("results.urls")),
    prefix_default_language=True,
)

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/bare/", views.bare, name="bench-bare"))

# In production too: the view checks who may read the file; the web server may send the bytes
# (MEDIA_SERVE).
urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"))
