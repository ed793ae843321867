import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.http import require_safe

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


def bare(request):
    return HttpResponse("ok")
