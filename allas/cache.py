"""Caching of the public pages, invalidated whenever a published record changes.

A single site-wide *content version* lives in the cache. Every save or delete of a record shown
on the public pages (and every change of their many-to-many links) replaces it, so all cached
pages and figures become unreachable at once and a coordinator's edit shows on the next request.
Writes that send no signals (``QuerySet.update()``, ``bulk_create``, raw SQL) do not bump it:
their effect shows when the cached entry expires (``PUBLIC_PAGE_SECONDS``).

With the default LocMemCache the version is per process: several workers (gunicorn) need the
shared cache of ``REDIS_URL`` so that an edit handled by one worker invalidates the pages of all.

Each process also keeps the pages it served last in memory (``LOCAL_BYTES`` at most) and trusts
the version it read for ``LOCAL_VERSION_SECONDS``: a hit then costs no round trip to the shared
cache, which costs about as much as a whole bare request (bench/README.md). The process that
records an edit sees it at once; the other workers within that second. Signed-in users
(coordinators, partner staff) never get cached pages, so they always see their own edits.
"""

import functools
import gzip
import hashlib
import pickle
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import urlencode

VERSION_KEY = "allas:content-version"
# Long enough to absorb the load of a popular page, short enough that changes which bypass the
# signals (bulk updates) show soon. The setting PUBLIC_PAGE_CACHE_SECONDS overrides it; 0 turns
# the page cache off (the test suite does, except in tests/allas/test_page_cache.py).
PUBLIC_PAGE_SECONDS = 10 * 60
# The version itself never expires on its own (a missing version is recreated, which also
# invalidates everything: safe).
VERSION_SECONDS = None


# Variants (query strings) of one path stored per content version and day: the known
# parameters still take any value (?q=junk1, ?q=junk2...), and each variant is an entry that
# could push the popular pages out of the cache. Beyond this many, the path is served uncached.
MAX_VARIANTS_PER_PATH = 100

LOCAL_VERSION_SECONDS = 1.0
LOCAL_BYTES = 32 * 1024 * 1024
LOCAL_ENTRY_BYTES = 1024 * 1024


class LocalPages:
    """This process's copy of the version and of recent pages (pickled, least recently used
    evicted beyond ``LOCAL_BYTES``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.forget()

    def forget(self):
        self.version, self.checked, self.pages, self.size = None, 0.0, OrderedDict(), 0

    def trusted_version(self):
        if self.version and time.monotonic() - self.checked < LOCAL_VERSION_SECONDS:
            return self.version
        return None

    def remember_version(self, version):
        with self.lock:
            if version != self.version:
                self.pages.clear()
                self.size = 0
            self.version, self.checked = version, time.monotonic()

    def get(self, key, version):
        with self.lock:
            entry = self.pages.get(key)
            if entry is None or entry[0] != version:
                return None
            self.pages.move_to_end(key)
            return entry[1]

    def put(self, key, version, blob):
        if len(blob) > LOCAL_ENTRY_BYTES:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self.pages[key] = (version, blob)
            self.size += len(blob)
            while self.size > LOCAL_BYTES and self.pages:
                _key, (_version, evicted) = self.pages.popitem(last=False)
                self.size -= len(evicted)


local_pages = LocalPages()


def content_version():
    """The current content version (one cache read)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): if another process created one meanwhile, use theirs.
        if not cache.add(VERSION_KEY, version, VERSION_SECONDS):
            version = cache.get(VERSION_KEY) or version
    return version


def new_content_version():
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, VERSION_SECONDS)
    local_pages.remember_version(version)


# Per thread (a connection belongs to one thread): the aliases whose transaction has a bump
# waiting for its commit. Set by every write in a transaction, cleared by the first of its
# callbacks that runs.
_commit_bump_pending = threading.local()


def _pending_aliases():
    try:
        return _commit_bump_pending.aliases
    except AttributeError:
        _commit_bump_pending.aliases = set()
        return _commit_bump_pending.aliases


def _bump_at_commit(alias):
    pending = _pending_aliases()
    if alias in pending:
        pending.discard(alias)
        new_content_version()


def bump_content_version(using=None, **kwargs):
    """Signal receiver: every cached public page and figure becomes stale.

    At once, and again when the transaction commits: a page rendered by another request between
    the save and the commit holds the old data under the new version. One version write at the
    commit, however many rows the transaction saves (an import).

    Each write in a transaction registers its own ``transaction.on_commit`` callback (a list
    append: cheap for thousands of rows), because Django discards the callbacks of a rolled-back
    transaction or savepoint without telling: registering only the first write's callback
    would lose the bump when that write's savepoint is rolled back and later ones are not. The
    callbacks of one commit share the flag of this module, so only the first one run writes the
    version. A rolled-back transaction runs none (the flag left set only means that the next
    transaction's first callback writes, as it would anyway)."""
    from django.db import DEFAULT_DB_ALIAS, transaction

    new_content_version()
    alias = using or DEFAULT_DB_ALIAS
    if not transaction.get_connection(alias).in_atomic_block:
        return  # autocommit: the row is already committed
    _pending_aliases().add(alias)
    transaction.on_commit(functools.partial(_bump_at_commit, alias), using=alias)


def connect_invalidation(*models):
    """Bump the content version on every save, delete and many-to-many change of ``models``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        uid = f"allas-cache-{model._meta.label_lower}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                bump_content_version,
                sender=through,
                dispatch_uid=f"allas-cache-{through._meta.label_lower}",
            )


def versioned(name, compute, seconds=PUBLIC_PAGE_SECONDS):
    """``compute()``, cached until the content changes (or ``seconds`` pass)."""
    key = f"allas:data:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def page_cache_seconds():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", PUBLIC_PAGE_SECONDS)


def is_anonymous_visit(request):
    """A GET or HEAD of a visitor without a session nor pending messages: the same page for
    everyone. (Message cookies are set after the view, too late for the response check.)"""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def normalised_query(request, params):
    """The query string reduced to the parameters in ``params``, sorted by name (the values of
    a repeated one keep their order: views read the last), or None when the request holds any
    other parameter: its page may differ in ways the key would not tell, so it is not stored."""
    if any(name not in params for name in request.GET):
        return None
    return urlencode([(name, request.GET.getlist(name)) for name in sorted(request.GET)], True)


def page_key(request, params=()):
    """The cache key of the page, or None when it must not be stored (see normalised_query)."""
    query = normalised_query(request, params)
    if query is None:
        return None
    # The date: "upcoming" activities and the order of the lists change every day. The content
    # version is not in the key but stored with the page, so that one round trip to the cache
    # (MGET) fetches both the current version and the page.
    # Scheme and host too: pages hold absolute links (hreflang alternates, feed URLs).
    parts = [
        request.scheme,
        request.get_host(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        request.path,
        query,
    ]
    # "page2": entries hold (response, gzipped body); entries of the earlier format, left by a
    # deploy, are never read.
    return "allas:page2:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def is_private(response):
    directives = response.get("Cache-Control", "").lower()
    return "private" in directives or "no-store" in directives


def variants_key(request, version):
    parts = [version, request.scheme, request.get_host(), timezone.localdate().isoformat()]
    digest = hashlib.sha256("|".join([*parts, request.path]).encode()).hexdigest()
    return "allas:variants:" + digest


def may_store_variant(request, version, seconds):
    """Whether one more variant of this path may be stored (counted in the cache, so across
    processes; a race may let a few more through). The bare path is always stored."""
    if not request.GET:
        return True
    return count_in_window(variants_key(request, version), seconds) <= MAX_VARIANTS_PER_PATH


def count_in_window(key, seconds):
    """One more event under ``key`` in the shared cache; how many there were in this window.

    A fixed window from the first event: add() sets the expiry, incr() keeps it."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, seconds)
        return 1


def list_params(filterset_class):
    """The query parameters a FilteredListView reads: its filters and the page number."""
    return (*filterset_class.base_filters, "page")


def cache_public_page(view=None, *, params=()):
    """Serve the full response of anonymous GETs from the cache.

    ``params`` names the query parameters the page reads; a request with any other parameter
    is served but not stored, and at most ``MAX_VARIANTS_PER_PATH`` query strings of one path
    are stored per content version. Use as ``@cache_public_page`` (no parameters) or
    ``@cache_public_page(params=("page",))``.

    Keyed by path, the known parameters (in a normalised order), language and date, and valid
    while the content version it was stored with is the current one. Only 200 responses that set
    no cookie are stored. The response is stored as the view returns it, before the middleware
    adds the security headers (CSP, ETag...), so those are added to cached responses too. A hit
    costs one cache round trip, or none when this process holds the page and read the version
    less than ``LOCAL_VERSION_SECONDS`` ago. Clients that accept gzip get the body compressed
    when it was stored (see gzipped()).
    """

    if view is None:
        return functools.partial(cache_public_page, params=tuple(params))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = page_cache_seconds()
        if not seconds or not is_anonymous_visit(request):
            return view(request, *args, **kwargs)
        key = page_key(request, params)
        if key is None:
            return view(request, *args, **kwargs)
        version = local_pages.trusted_version()
        if version is not None:
            blob = local_pages.get(key, version)
            if blob is not None:
                return reported(cached_response(request, blob), "hit")
        found = cache.get_many([VERSION_KEY, key])
        # Read before rendering: an edit made meanwhile leaves this entry stale, as it should.
        version = found.get(VERSION_KEY) or content_version()
        local_pages.remember_version(version)
        entry = found.get(key)
        if isinstance(entry, tuple) and entry[0] == version and isinstance(entry[1], bytes):
            local_pages.put(key, version, entry[1])
            return reported(cached_response(request, entry[1]), "hit")
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not is_private(response)
            and may_store_variant(request, version, seconds)
        ):
            # The ETag is computed once, here, instead of by ConditionalGetMiddleware on every
            # hit (a hash of the whole body: a tenth of a hit's cost for a 25 KB page).
            set_response_etag(response)
            blob = pickle.dumps((response, gzipped(response)), pickle.HIGHEST_PROTOCOL)
            cache.set(key, (version, blob), seconds)
            local_pages.put(key, version, blob)
            return reported(cached_response(request, blob), "miss")
        return reported(response, "miss")

    return wrapper


def reported(response, outcome):
    """With BENCHMARK_VIEWS on, says whether the page came from the cache (bench/mixed_load.py
    counts the hit rate from it)."""
    if settings.BENCHMARK_VIEWS:
        response["X-Page-Cache"] = outcome
    return response


def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header admits gzip: listed (or ``*`` when gzip is not listed)
    with a q-value above 0. ``gzip;q=0`` refuses it; ``identity`` alone does not offer it."""
    qualities = {}
    for item in accept_encoding.split(","):
        coding, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        coding = coding.lower()
        if coding:
            qualities[coding] = quality
    for coding in ("gzip", "x-gzip", "*"):
        if coding in qualities:
            return qualities[coding] > 0
    return False


COMPRESSIBLE_TYPES = ("text/", "application/json")
COMPRESS_MIN_BYTES = 200


def gzipped(response):
    """The body compressed once, when the page is stored, or None when not worth it. A hit
    then sends a feed of 500 events as 30 KB instead of 280 KB, at no cost per request.

    Only pages of the page cache are compressed: anonymous pages that set no cookie and
    therefore hold no secret (no CSRF token), so compression reveals nothing (BREACH)."""
    content_type = response.get("Content-Type", "")
    if (
        len(response.content) < COMPRESS_MIN_BYTES
        or response.has_header("Content-Encoding")
        or not content_type.startswith(COMPRESSIBLE_TYPES)
    ):
        return None
    body = gzip.compress(response.content, compresslevel=6, mtime=0)
    return body if len(body) < len(response.content) else None


def cached_response(request, blob):
    """A stored page, compressed for clients that accept gzip (as Django's GZipMiddleware
    would: Vary: Accept-Encoding, and a weak ETag for the compressed body)."""
    response, compressed = pickle.loads(blob)
    if compressed is None:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response["ETag"] = "W/" + etag
    return response
