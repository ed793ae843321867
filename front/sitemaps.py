"""``sitemap.xml`` for search engines: every public page in each of the four languages, each
address with its language alternates (Django's sitemaps framework, ``i18n`` and
``alternates``). Only what the public pages show: public partners, agreements and resources,
visible activities. Large sections are split into pages of ``limit`` addresses by the index
(``/sitemap.xml``), each page a fixed number of queries whatever the data's size.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from activities.models import Activity, Resource
from partners.models import Agreement, Partner
from results.views import public_periods


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Addresses per page: each record counts once per language.
    limit = 10_000

    def lastmod(self, record):
        return record.updated_at


class PartnerSitemap(PublicSitemap):
    def items(self):
        return Partner.objects.public().only("slug", "updated_at").order_by("pk")


class AgreementSitemap(PublicSitemap):
    def items(self):
        return Agreement.objects.public().only("slug", "updated_at").order_by("pk")


class ActivitySitemap(PublicSitemap):
    def items(self):
        return Activity.objects.visible().only("slug", "updated_at").order_by("pk")


class ResourceSitemap(PublicSitemap):
    def items(self):
        return Resource.objects.public().only("slug", "updated_at").order_by("pk")


class ListSitemap(Sitemap):
    """The home page, the lists and the open-data page."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "home",
            "partners:partner-list",
            "partners:agreement-list",
            "activities:activity-list",
            "activities:resource-list",
            "opendata:open-data",
        ]

    def location(self, name):
        return reverse(name)


class ResultsSitemap(Sitemap):
    """The Results page of each period that has public indicators."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return public_periods().only("slug")

    def location(self, period):
        return reverse("results:period", args=[period.slug])


SITEMAPS = {
    "pages": ListSitemap,
    "partners": PartnerSitemap,
    "agreements": AgreementSitemap,
    "activities": ActivitySitemap,
    "resources": ResourceSitemap,
    "results": ResultsSitemap,
}


@require_safe
def robots_txt(request):
    """What crawlers may read: the public pages, not the admin, the staff area, the
    applicants' signed pages or the sitemap's own duplicates; and where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: /{code}/staff/" for code, _name in settings.LANGUAGES),
        *(f"Disallow: /{code}/join/confirm/" for code, _name in settings.LANGUAGES),
        *(f"Disallow: /{code}/join/application/" for code, _name in settings.LANGUAGES),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-index')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
