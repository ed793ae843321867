from django.conf import settings


def site(request):
    """Values every template may need; no queries."""
    return {"SITE_URL": settings.SITE_URL}
