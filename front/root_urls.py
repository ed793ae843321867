"""The addresses outside the language prefixes that search engines look for: ``/robots.txt``
and the sitemap (an index of one sitemap per kind of page, each listing every language)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from front.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots-txt"),
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
