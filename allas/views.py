from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def home(request):
    return render(request, "home.html")


def bare(request):
    return HttpResponse("ok")
