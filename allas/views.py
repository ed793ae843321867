import sys

from django.db import InterfaceError, OperationalError, connection
from django.db.models import Count, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_safe

from activities.models import Activity, Resource
from allas.cache import cache_public_page, versioned
from partners.models import Partner
from partners.views import map_config, map_data_url

HOME_LIST_LENGTH = 4
# Seconds a client is told to wait when the database cannot be reached (a restart or failover
# takes a few; bench/faults.py measures the recovery).
RETRY_AFTER_SECONDS = 10


def server_error(request):
    """handler500: the error page; a 503 with Retry-After while the database cannot be reached,
    so that browsers, calendar clients and load balancers know to try again shortly."""
    response = defaults.server_error(request)
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_safe
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home_figures():
    """The key figures: two aggregates over the partners and the activities (the second reads
    100,000 activities at full size), so they are cached until the content changes."""
    figures = Partner.objects.public().aggregate(
        partners=Count("pk"),
        countries=Count("country", distinct=True),
        networks=Count("pk", filter=Q(kind=Partner.Kind.NETWORK)),
        on_map=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
    )
    figures.update(
        Activity.objects.visible().aggregate(
            activities=Count("pk"),
            training_hours=Sum("hours", filter=Q(kind=Activity.Kind.TRAINING)),
        )
    )
    figures["training_hours"] = figures["training_hours"] or 0
    return figures


@require_safe
@cache_public_page
def home(request):
    """The front page. Prevents N+1: the figures take two aggregate queries (cached), and each
    short list one. The map's markers come from a separate, cacheable address (map.js)."""
    activities = Activity.objects.visible().select_related("venue_partner")
    context = {
        "figures": versioned("home-figures", home_figures),
        "map_data_url": map_data_url(),
        "map_config": map_config(),
        "directory_url": reverse("partners:partner-list"),
        "upcoming": activities.soonest(HOME_LIST_LENGTH, order=("starts_on", "title", "pk")),
        "latest": list(activities.past().order_by("-starts_on", "title")[:HOME_LIST_LENGTH]),
        "resources": list(
            Resource.objects.public().order_by("-published_on", "-pk")[:HOME_LIST_LENGTH]
        ),
    }
    return render(request, "home.html", context)


def bare(request):
    return HttpResponse("ok")
