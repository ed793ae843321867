"""What each cached page depends on, and what each edit makes stale: cache tags.

A tag names a kind of record (a table: ``table:activities_activity``), one record's own fields
(``activities_activity:17``) or the records linked to it as its page lists them
(``activities_activity:17:links``). Each tag has, in the shared cache, the number of the last
edit that touched it; a cached page keeps the edit number current when it was rendered and the
tags it read, and is served while none of its tags was touched since.

An edit of a record touches:

- its kind (every list, count, map and feed of that kind reads the table);
- its own fields' tag (every page that loaded it);
- the links of the records it is shown with on their pages: those its foreign keys point to,
  before and after the save (a participation is listed on its activity's page and on its
  partner's), and those reached by the paths given to ``connect_invalidation`` (an activity is
  listed on the profiles of its partners: ``participations__partner``);
- for a many-to-many change, the link table's kind and both sides' links.

What a page depends on is collected while it renders (``collecting``): the kind of every table
its SQL reads, and the fields of every record it loads. A detail page names the tables it reads
only through its own record (``record_tables``), whose reads add no kind, and depends on its
record's links (``RecordPageMixin``). So an edit of one activity makes stale its own page, its
partners' profiles and the pages listing activities, and leaves the other 99,999 activity pages
cached; renaming a partner makes stale the pages that show its name, not those that show its
network's.

Some records are shown nearly everywhere (the themes): a change of one is an edit of everything
(``everything=True``), as is a change that would touch more than ``MAX_TAGS`` records, and a
page reading ``content_version()`` (an address that changes with every edit, like the open-data
files') depends on every edit.

Writes that send no signals (``QuerySet.update()``, ``bulk_create``, raw SQL) touch nothing:
they show when the cached entries expire; ``new_content_version()`` makes everything stale.
"""

import contextlib
import contextvars
import functools
import re
import threading
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, transaction

EPOCH_KEY = "allas:epoch"
EDIT_KEY = "allas:edit"
TAG_KEY = "allas:tag:"
# A tag's edit number must outlive every entry that may depend on it (entries live 10 minutes
# by default; PUBLIC_PAGE_CACHE_SECONDS and versioned() are capped to this).
TAG_SECONDS = 24 * 60 * 60
EVERYTHING = "*"
# Beyond this many tags an edit makes everything stale: one write instead of thousands (a
# world network's record reaches its 30,000 members' profiles).
MAX_TAGS = 5000

_everything_models = set()
_paths = {}  # model -> the paths of the records it is shown with (connect_invalidation)
_tables = set()  # the tables whose reads count (those of the connected models)


def kind_tag(table):
    return f"table:{table}"


def record_tag(model, pk):
    """The record's own fields."""
    return f"{model._meta.db_table}:{pk}"


def links_tag(model, pk):
    """The records linked to it, as its own page lists them."""
    return f"{model._meta.db_table}:{pk}:links"


# The state: which epoch (changed by new_content_version) and which edit number ---------------


def current_state(found=None):
    """(epoch, edit number), from ``found`` (a get_many() that asked for both) or the cache."""
    if found is None:
        found = cache.get_many([EPOCH_KEY, EDIT_KEY])
    epoch = found.get(EPOCH_KEY)
    if epoch is None:
        epoch = uuid.uuid4().hex
        # add(): if another process created one meanwhile, use theirs.
        if not cache.add(EPOCH_KEY, epoch, None):
            epoch = cache.get(EPOCH_KEY) or epoch
    return epoch, found.get(EDIT_KEY) or 0


def touched_since(tags, edit, current_edit):
    """Whether any of ``tags`` was touched by an edit after ``edit`` (one cache round trip;
    none when no edit happened since)."""
    if current_edit == edit:
        return False
    if EVERYTHING in tags:
        return True
    found = cache.get_many([TAG_KEY + tag for tag in tags])
    return any(number > edit for number in found.values())


def _listeners():
    from allas.cache import local_pages

    return (local_pages,)


def new_content_version():
    """Everything cached becomes stale (a restore, a bulk load, a deploy that changes pages)."""
    epoch = uuid.uuid4().hex
    cache.set(EPOCH_KEY, epoch, None)
    for listener in _listeners():
        listener.forget()


def touch(tags):
    """An edit: a new edit number, written on each of ``tags``."""
    if EVERYTHING in tags or len(tags) > MAX_TAGS:
        new_content_version()
        return
    if cache.add(EDIT_KEY, 0, None):
        # The count was missing (never set, or evicted): entries may hold higher numbers than
        # the ones it will now give, so none of them can be trusted.
        new_content_version()
    try:
        edit = cache.incr(EDIT_KEY)
    except ValueError:  # evicted between add() and incr()
        new_content_version()
        return
    cache.set_many({TAG_KEY + tag: edit for tag in tags}, TAG_SECONDS)
    for listener in _listeners():
        listener.remember_edit(edit)


# What a page depends on ----------------------------------------------------------------------

_collector = contextvars.ContextVar("allas_cache_collector", default=None)
_quoted = re.compile(r'"(\w+)"')


class Collector:
    def __init__(self, record_tables, tags):
        self.record_tables = record_tables
        self.tags = set(tags)

    def read(self, execute, sql, params, many, context):
        for table in _tables.intersection(_quoted.findall(sql)):
            if table not in self.record_tables:
                self.tags.add(kind_tag(table))
        return execute(sql, params, many, context)

    def shows_links(self):
        return any(tag.endswith(":links") for tag in self.tags)

    def finished_tags(self):
        """The tags, without the own fields of records whose kind is already there (a list
        page depends on its kinds: those tags would only lengthen the check). Links tags stay:
        they are touched by edits of other kinds (a participation touches its activity's)."""
        if EVERYTHING in self.tags:
            return (EVERYTHING,)
        kinds = {tag[len("table:") :] for tag in self.tags if tag.startswith("table:")}
        return tuple(
            sorted(
                tag
                for tag in self.tags
                if tag.startswith("table:")
                or tag.endswith(":links")
                or tag.split(":", 1)[0] not in kinds
            )
        )


@contextlib.contextmanager
def collecting(record_tables=None):
    """Collects the tags of what is read inside. Nested, the inner collection starts from the
    outer one's tags (a value computed for a page depends on the page's record) and its scope,
    and gives its tags back to it."""
    parent = _collector.get()
    if record_tables is None:
        record_tables = parent.record_tables if parent else frozenset()
    collector = Collector(record_tables, parent.tags if parent else ())
    token = _collector.set(collector)
    try:
        with connection.execute_wrapper(collector.read):
            yield collector
    finally:
        _collector.reset(token)
        if parent is not None:
            parent.tags |= collector.tags


def shows_links_of(record):
    """The page being collected lists the records linked to ``record`` (its detail view's
    object)."""
    depends_on((links_tag(type(record), record.pk),))


def depends_on(tags):
    """The page being collected depends on ``tags`` too (a value read from the cache)."""
    collector = _collector.get()
    if collector is not None:
        collector.tags.update(tags)


def scope_name():
    """The current collection's record tables, as a name part (values computed for a detail
    page and for a list page are kept apart: their tags differ)."""
    collector = _collector.get()
    return ",".join(sorted(collector.record_tables)) if collector else ""


def tables_of(models):
    """The tables of ``models`` and their many-to-many links between them."""
    models = set(models)
    tables = {model._meta.db_table for model in models}
    for model in models:
        for field in model._meta.many_to_many:
            if field.related_model in models:
                tables.add(field.remote_field.through._meta.db_table)
    return frozenset(tables)


def _loaded(sender, instance, **kwargs):
    collector = _collector.get()
    if collector is not None and instance.pk is not None:
        collector.tags.add(record_tag(sender, instance.pk))


# What an edit touches ------------------------------------------------------------------------


def _foreign_keys(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model in _paths
    ]


def _tags_of_keys(model, values):
    """The links of the foreign keys' targets, from {attname: value}."""
    return {
        links_tag(field.related_model, values[field.attname])
        for field in _foreign_keys(model)
        if values.get(field.attname) is not None
    }


def tags_of_change(model, instance, using):
    """The kind, the record, and the links of its foreign keys' targets and of the records of
    its paths."""
    if model in _everything_models:
        return {EVERYTHING}
    tags = {kind_tag(model._meta.db_table), record_tag(model, instance.pk)}
    keys = {field.attname: getattr(instance, field.attname) for field in _foreign_keys(model)}
    tags |= _tags_of_keys(model, keys)
    manager = model._base_manager.using(using).filter(pk=instance.pk)
    for path in _paths[model]:
        target = _path_model(model, path)
        for pk in manager.values_list(path, flat=True):
            if pk is not None:
                tags.add(links_tag(target, pk))
    return tags


@functools.cache
def _path_model(model, path):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


_before_save = threading.local()


def _pending_old_keys():
    try:
        return _before_save.tags
    except AttributeError:
        _before_save.tags = {}
        return _before_save.tags


def _on_pre_save(sender, instance, raw=False, using=None, **kwargs):
    """A record moved to another parent leaves the old parent's pages too: read its foreign
    keys as they are before the save."""
    if raw or instance._state.adding or instance.pk is None or not _foreign_keys(sender):
        return
    attnames = [field.attname for field in _foreign_keys(sender)]
    old = sender._base_manager.using(using).filter(pk=instance.pk).values(*attnames).first()
    if old:
        _pending_old_keys()[(sender, instance.pk)] = _tags_of_keys(sender, old)


def _on_save(sender, instance, raw=False, using=None, **kwargs):
    using = using or DEFAULT_DB_ALIAS
    tags = tags_of_change(sender, instance, using)
    tags |= _pending_old_keys().pop((sender, instance.pk), set())
    touch_now_and_at_commit(tags, using)


def _on_delete(sender, instance, using=None, **kwargs):
    # pre_delete: the paths still lead to the records the deleted one was shown with. Deletes
    # run in a transaction, so the touch at its commit covers pages rendered meanwhile.
    using = using or DEFAULT_DB_ALIAS
    touch_now_and_at_commit(tags_of_change(sender, instance, using), using)


_cleared = threading.local()


def _on_m2m(sender, instance, action, model, pk_set, using=None, **kwargs):
    using = using or DEFAULT_DB_ALIAS
    if type(instance) in _everything_models or model in _everything_models:
        if action.startswith("post_"):
            touch_now_and_at_commit({EVERYTHING}, using)
        return
    if action == "pre_clear":
        _cleared.pks = _linked_pks(sender, instance, model, using)
        return
    if not action.startswith("post_"):
        return
    if action == "post_clear":
        pk_set, _cleared.pks = getattr(_cleared, "pks", set()), set()
    tags = {
        kind_tag(sender._meta.db_table),
        kind_tag(type(instance)._meta.db_table),
        kind_tag(model._meta.db_table),
        links_tag(type(instance), instance.pk),
    }
    tags |= {links_tag(model, pk) for pk in pk_set or ()}
    touch_now_and_at_commit(tags, using)


def _linked_pks(through, instance, model, using):
    """The keys of ``model`` linked to ``instance`` through ``through`` (before a clear)."""
    keys = [field for field in through._meta.concrete_fields if field.many_to_one]
    to_instance = [f for f in keys if f.related_model is type(instance)]
    to_model = [f for f in keys if f.related_model is model]
    if len(to_instance) != 1 or len(to_model) != 1:
        return set()
    return set(
        through._base_manager.using(using)
        .filter(**{to_instance[0].attname: instance.pk})
        .values_list(to_model[0].attname, flat=True)
    )


# Per thread (a connection belongs to one thread): the tags touched in each alias's transaction,
# waiting for its commit. Filled by every write in a transaction, emptied by the first of its
# callbacks that runs.
_at_commit = threading.local()


def _pending_tags(alias):
    try:
        pending = _at_commit.tags
    except AttributeError:
        pending = _at_commit.tags = {}
    return pending.setdefault(alias, set())


def _touch_at_commit(alias):
    tags = _pending_tags(alias)
    if tags:
        touched = set(tags)
        tags.clear()
        touch(touched)


def touch_now_and_at_commit(tags, using=DEFAULT_DB_ALIAS):
    """Touch ``tags`` at once, and again when the transaction commits: a page rendered by
    another request between the save and the commit holds the old data under the new edit
    number. One touch at the commit, however many rows the transaction saves (an import).

    Each write in a transaction registers its own ``transaction.on_commit`` callback (a list
    append: cheap for thousands of rows), because Django discards the callbacks of a rolled-back
    transaction or savepoint without telling: registering only the first write's callback
    would lose the touch when that write's savepoint is rolled back and later ones are not. The
    callbacks of one commit share the pending tags of this module, so only the first one run
    writes. A rolled-back transaction runs none (its tags left pending are only touched by the
    next transaction's commit: more than needed, never less)."""
    touch(tags)
    if not transaction.get_connection(using).in_atomic_block:
        return  # autocommit: the row is already committed
    _pending_tags(using).update(tags)
    transaction.on_commit(functools.partial(_touch_at_commit, using), using=using)


def connect_invalidation(model, *paths, everything=False):
    """Cached pages that show ``model``'s records become stale when one is saved, deleted or
    linked (see the module's docstring). ``paths`` lead to the records a record is shown with
    beyond its foreign keys' targets (``"participations__partner"``); ``everything``: a change
    makes every cached page stale."""
    from django.db.models.signals import (
        m2m_changed,
        post_init,
        post_save,
        pre_delete,
        pre_save,
    )

    _paths[model] = tuple(paths)
    _tables.add(model._meta.db_table)
    if everything:
        _everything_models.add(model)
    uid = f"allas-cache-{model._meta.label_lower}"
    post_init.connect(_loaded, sender=model, dispatch_uid=uid + "-init")
    pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid + "-pre-save")
    post_save.connect(_on_save, sender=model, dispatch_uid=uid + "-save")
    pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid + "-delete")
    for field in model._meta.many_to_many:
        # Auto-created links and models given as ``through`` alike: add() with
        # ``through_defaults`` writes the rows in bulk, without their own signals.
        through = field.remote_field.through
        _tables.add(through._meta.db_table)
        m2m_changed.connect(
            _on_m2m, sender=through, dispatch_uid=f"allas-cache-{through._meta.label_lower}"
        )
