"""Caching of the public pages and of the values they compute, kept until an edit touches
what they show.

Each page and value is stored with the cache tags of what it read (allas/cache_tags.py): the
kinds of records its lists and counts read, and the records it shows. An edit of a record
touches its tags, so a coordinator's edit shows on the next request on every page that shows the
record, and the other pages stay cached.

With the default LocMemCache the edit numbers are per process: several workers (gunicorn) need
the shared cache of ``REDIS_URL`` so that an edit handled by one worker reaches the pages of all.

Each process also keeps the pages it served last in memory (``LOCAL_BYTES`` at most) and trusts
the edit number it read for ``LOCAL_VERSION_SECONDS``: a hit then costs no round trip to the
shared cache, which costs about as much as a whole bare request (bench/README.md). After an
edit, a page's first hit in a process reads its tags (one round trip). The process that records
an edit sees it at once; the other workers within that second. Signed-in users (coordinators,
partner staff) never get cached pages, so they always see their own edits.
"""

import functools
import gzip
import hashlib
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import urlencode

from allas import cache_tags
from allas.cache_tags import (  # noqa: F401  (new_content_version: for restore, bench, synthetic)
    EDIT_KEY,
    EPOCH_KEY,
    TAG_SECONDS,
    collecting,
    current_state,
    new_content_version,
)

# Long enough to absorb the load of a popular page, short enough that changes which bypass the
# signals (bulk updates) show soon. The setting PUBLIC_PAGE_CACHE_SECONDS overrides it; 0 turns
# the page cache off (the test suite does, except in tests/allas/test_page_cache.py).
PUBLIC_PAGE_SECONDS = 10 * 60

# Variants (query strings) of one path stored per window and day: the known
# parameters still take any value (?q=junk1, ?q=junk2...), and each variant is an entry that
# could push the popular pages out of the cache. Beyond this many, the path is served uncached.
MAX_VARIANTS_PER_PATH = 100

LOCAL_VERSION_SECONDS = 1.0
LOCAL_BYTES = 32 * 1024 * 1024
LOCAL_ENTRY_BYTES = 1024 * 1024


class Entry:
    """A stored page or value: rendered at ``edit`` of ``epoch``, depending on ``tags``."""

    __slots__ = ("epoch", "edit", "tags", "expires", "body", "checked")

    def __init__(self, epoch, edit, tags, expires, body):
        self.__setstate__((epoch, edit, tags, expires, body))

    def __getstate__(self):
        return (self.epoch, self.edit, self.tags, self.expires, self.body)

    def __setstate__(self, state):
        self.epoch, self.edit, self.tags, self.expires, self.body = state
        self.checked = self.edit  # the latest edit number it was found current at

    def current(self, epoch, edit):
        """Whether no edit since it was stored touched its tags (a tag read at most, the first
        time after each edit)."""
        if self.epoch != epoch or self.expires < time.time():
            return False
        if self.checked != edit:
            if cache_tags.touched_since(self.tags, self.edit, edit):
                return False
            self.checked = edit
        return True


class LocalPages:
    """This process's copy of the state (epoch, edit number) and of recent pages (least
    recently used evicted beyond ``LOCAL_BYTES``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.forget()

    def forget(self):
        with self.lock:
            self.epoch, self.edit, self.checked = None, 0, 0.0
            self.pages, self.size = OrderedDict(), 0

    def trusted_state(self):
        if self.epoch and time.monotonic() - self.checked < LOCAL_VERSION_SECONDS:
            return self.epoch, self.edit
        return None

    def remember_state(self, epoch, edit):
        with self.lock:
            if epoch != self.epoch:
                self.pages.clear()
                self.size = 0
            self.epoch, self.edit, self.checked = epoch, edit, time.monotonic()

    def remember_edit(self, edit):
        """An edit made by this process: its next requests check the tags of what they serve."""
        with self.lock:
            self.edit = max(self.edit, edit)

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        if len(entry.body) > LOCAL_ENTRY_BYTES:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.pages[key] = entry
            self.size += len(entry.body)
            while self.size > LOCAL_BYTES and self.pages:
                _key, evicted = self.pages.popitem(last=False)
                self.size -= len(evicted.body)

    def discard(self, key):
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)


local_pages = LocalPages()


def content_version():
    """A name that changes with every edit (one cache read), for what cannot say what it
    depends on, such as the address of the open-data files. A page that reads it depends on
    every edit."""
    cache_tags.depends_on((cache_tags.EVERYTHING,))
    epoch, edit = current_state()
    return f"{epoch}.{edit}"


def versioned(name, compute, seconds=PUBLIC_PAGE_SECONDS):
    """``compute()``, kept until an edit touches what it read (or ``seconds`` pass). The page
    that reads it depends on the same tags."""
    key = f"allas:data3:{name}:{cache_tags.scope_name()}"
    found = cache.get_many([EPOCH_KEY, EDIT_KEY, key])
    epoch, edit = current_state(found)
    entry = found.get(key)
    if not (isinstance(entry, Entry) and entry.current(epoch, edit)):
        entry, lock = rendered_elsewhere(key, epoch, edit)
        if entry is None:
            try:
                with collecting() as collector:
                    value = compute()
                seconds = min(seconds, TAG_SECONDS)
                entry = Entry(epoch, edit, collector.finished_tags(), time.time() + seconds, value)
                cache.set(key, entry, seconds)
            finally:
                if lock:
                    cache.delete(lock)
    cache_tags.depends_on(entry.tags)
    return entry.body


def page_cache_seconds():
    seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", PUBLIC_PAGE_SECONDS)
    return min(seconds, TAG_SECONDS)


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
    # The date: "upcoming" activities and the order of the lists change every day. The edit
    # number is not in the key but stored with the page, so that one round trip to the cache
    # (MGET) fetches both the current state and the page.
    # Scheme and host too: pages hold absolute links (hreflang alternates, feed URLs).
    parts = [
        request.scheme,
        request.get_host(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        request.path,
        query,
    ]
    # "page3": entries are Entry objects holding (response, gzipped body); entries of the
    # earlier formats, left by a deploy, are never read.
    return "allas:page3:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def is_private(response):
    directives = response.get("Cache-Control", "").lower()
    return "private" in directives or "no-store" in directives


def variants_key(request, epoch):
    parts = [epoch, request.scheme, request.get_host(), timezone.localdate().isoformat()]
    digest = hashlib.sha256("|".join([*parts, request.path]).encode()).hexdigest()
    return "allas:variants:" + digest


def may_store_variant(request, epoch, seconds):
    """Whether one more variant of this path may be stored (counted in the cache, so across
    processes; a race may let a few more through). The bare path is always stored."""
    if not request.GET:
        return True
    return count_in_window(variants_key(request, epoch), seconds) <= MAX_VARIANTS_PER_PATH


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


def cache_public_page(view=None, *, params=(), record_tables=None):
    """Serve the full response of anonymous GETs from the cache.

    ``params`` names the query parameters the page reads; a request with any other parameter
    is served but not stored, and at most ``MAX_VARIANTS_PER_PATH`` query strings of one path
    are stored per epoch and window. ``record_tables``, for a detail page, names the models
    (and their links between them) whose tables the page reads only through its own record:
    their edits reach it through record tags (allas/cache_tags.py), not as a new kind; its view
    takes ``RecordPageMixin`` (a page that read no record's links is not stored). Use as
    ``@cache_public_page`` (no parameters) or ``@cache_public_page(params=("page",))``.

    Keyed by path, the known parameters (in a normalised order), language and date, and
    served while no edit touched the tags of what it read. Only 200 responses that set no
    cookie are stored. The response is stored as the view returns it, before the middleware
    adds the security headers (CSP, ETag...), so those are added to cached responses too. A hit
    costs one cache round trip (two when an edit happened since the page was last found
    current), or none when this process holds the page and read the edit number less than
    ``LOCAL_VERSION_SECONDS`` ago. Clients that accept gzip get the body compressed when it was
    stored (see gzipped()).
    """

    if view is None:
        return functools.partial(
            cache_public_page, params=tuple(params), record_tables=record_tables
        )
    tables = cache_tags.tables_of(record_tables or ())

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = page_cache_seconds()
        if not seconds or not is_anonymous_visit(request):
            return view(request, *args, **kwargs)
        key = page_key(request, params)
        if key is None:
            return view(request, *args, **kwargs)
        state = local_pages.trusted_state()
        if state is not None:
            entry = local_pages.get(key)
            if entry is not None and entry.current(*state):
                return reported(cached_response(request, entry.body), "hit")
        found = cache.get_many([EPOCH_KEY, EDIT_KEY, key])
        # Read before rendering: an edit made meanwhile leaves this entry stale, as it should.
        epoch, edit = current_state(found)
        local_pages.remember_state(epoch, edit)
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.current(epoch, edit):
            local_pages.put(key, entry)
            return reported(cached_response(request, entry.body), "hit")
        local_pages.discard(key)
        shared, lock = rendered_elsewhere(key, epoch, edit)
        if shared is not None:
            local_pages.put(key, shared)
            return reported(cached_response(request, shared.body), "joined")
        try:
            with collecting(tables) as collector:
                response = view(request, *args, **kwargs)
                if callable(getattr(response, "render", None)):
                    response = response.render()
            if tables and not collector.shows_links():
                return reported(response, "miss")  # a record page without RecordPageMixin
            return store_page(request, response, key, epoch, edit, collector, seconds)
        finally:
            if lock:
                cache.delete(lock)

    return wrapper


def store_page(request, response, key, epoch, edit, collector, seconds):
    """The response, stored when it is the same for every visitor."""
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not is_private(response)
        and may_store_variant(request, epoch, seconds)
    ):
        # The ETag is computed once, here, instead of by ConditionalGetMiddleware on every
        # hit (a hash of the whole body: a tenth of a hit's cost for a 25 KB page).
        set_response_etag(response)
        blob = pickle.dumps((response, gzipped(response)), pickle.HIGHEST_PROTOCOL)
        entry = Entry(epoch, edit, collector.finished_tags(), time.time() + seconds, blob)
        cache.set(key, entry, seconds)
        local_pages.put(key, entry)
        return reported(cached_response(request, blob), "miss")
    return reported(response, "miss")


# Several workers missing one page at once (a popular page just after an edit) would each
# render it: the first takes a lock, the others wait for its entry and send it.
RENDER_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 3.0
RENDER_POLL_SECONDS = 0.01


def rendered_elsewhere(key, epoch, edit):
    """(entry, None) when another process was rendering ``key`` and stored an entry that holds
    every edit up to ``edit`` (the state this request read); else (None, lock): this process
    renders, holding ``lock`` (a key to delete when done) or, after waiting in vain, None."""
    lock = key + ":rendering"
    if cache.add(lock, 1, RENDER_LOCK_SECONDS):
        return None, lock
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        found = cache.get_many([key, lock])
        entry = found.get(key)
        if isinstance(entry, Entry) and (
            (entry.epoch == epoch and entry.edit >= edit) or entry.current(epoch, edit)
        ):
            return entry, None
        if lock not in found:
            break  # done without storing (a 404, a page with a cookie), or given up
    return None, None


def reported(response, outcome):
    """With BENCHMARK_VIEWS on, says whether the page came from the cache (bench/mixed_load.py
    counts the hit rate from it)."""
    if settings.BENCHMARK_VIEWS:
        response["X-Page-Cache"] = outcome
    return response


class RecordPageMixin:
    """For a DetailView cached with ``record_tables``: its page lists the records linked to
    its object, so it depends on the object's links (allas/cache_tags.py)."""

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        cache_tags.shows_links_of(record)
        return record


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
