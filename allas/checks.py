"""System checks of the production configuration (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_page_cache_is_shared(app_configs, **kwargs):
    """The page cache (allas/cache.py) with a per-process cache: an edit clears the pages of
    the worker that handled it only; the others serve the old page until it expires."""
    seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if seconds and backend.endswith(("LocMemCache", "DummyCache", "FileBasedCache")):
        return [
            checks.Error(
                "The public page cache is on (PUBLIC_PAGE_CACHE_SECONDS="
                f"{seconds}) but the cache is local to each process ({backend.rsplit('.', 1)[-1]}):"
                " with several app servers an edit shows on one of them only, and the others"
                f" serve the old page for up to {seconds} seconds.",
                hint="Set REDIS_URL to a shared Redis cache, or PUBLIC_PAGE_CACHE_SECONDS=0.",
                id="allas.E001",
            )
        ]
    return []
