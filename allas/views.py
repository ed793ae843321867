from django.db import connection
from django.db.models import Count, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from activities.models import Activity, Resource
from partners.models import Partner
from partners.views import map_config, map_markers

HOME_LIST_LENGTH = 4


def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    """The front page. Prevents N+1: the figures take two aggregate queries, the map one, and
    each short list one."""
    partners = Partner.objects.public()
    figures = partners.aggregate(
        partners=Count("pk"),
        countries=Count("country", distinct=True),
        networks=Count("pk", filter=Q(kind=Partner.Kind.NETWORK)),
    )
    figures.update(
        Activity.objects.visible().aggregate(
            activities=Count("pk"),
            training_hours=Sum("hours", filter=Q(kind=Activity.Kind.TRAINING)),
        )
    )
    figures["training_hours"] = figures["training_hours"] or 0
    on_map = partners.filter(latitude__isnull=False).order_by("name")
    activities = Activity.objects.visible().select_related("venue_partner")
    context = {
        "figures": figures,
        "map_partners": list(on_map),
        "map_config": map_config(),
        "upcoming": list(activities.upcoming().order_by("starts_on", "title")[:HOME_LIST_LENGTH]),
        "latest": list(activities.past().order_by("-starts_on", "title")[:HOME_LIST_LENGTH]),
        "resources": list(
            Resource.objects.public().order_by("-published_on", "-pk")[:HOME_LIST_LENGTH]
        ),
    }
    context["map_markers"] = map_markers(context["map_partners"])
    return render(request, "home.html", context)


def bare(request):
    return HttpResponse("ok")
