"""The addresses outside the language prefixes that search engines and browsers look for:
``/robots.txt``, the sitemap (an index of one sitemap per kind of page, each listing every
language), ``/favicon.ico`` and the web manifest."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from front.site_icons import favicon, web_manifest
from front.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("site.webmanifest", web_manifest, name="web-manifest"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
