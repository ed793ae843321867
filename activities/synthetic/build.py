"""Writes a synthetic data set: the sections in order, in one transaction, then what bulk
writes leave to do (sequences, the page cache, the planner's statistics)."""

import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction

from activities.demo.texts import THEMES, column_values
from activities.models import Activity, Resource
from activities.synthetic.activities_and_participations import (
    write_activities,
    write_participations,
)
from activities.synthetic.agreements import write_agreements
from activities.synthetic.dataset import SLUG_PREFIX, DataSet, SyntheticDataError, check_counts
from activities.synthetic.partners_and_memberships import write_memberships, write_partners
from activities.synthetic.resources import write_resources
from activities.synthetic.writer import Writer
from allas.cache import new_content_version
from partners.models import Agreement, Partner, Theme

# In this order: each section uses the ids the previous ones wrote.
SECTIONS = [
    write_partners,
    write_memberships,
    write_agreements,
    write_activities,
    write_participations,
    write_resources,
]


@dataclass(frozen=True)
class Timings:
    """Per label of the rows written, (seconds, rows); and the seconds of the whole run."""

    tables: dict
    seconds: float


def generate(counts, *, seed, today, progress_file=None, show_progress=True) -> Timings:
    """Write the data set of ``counts`` for ``seed`` and ``today``, with a progress bar per
    table on ``progress_file`` (stderr if None) unless ``show_progress`` is false.

    Raises SyntheticDataError if the counts cannot fit or the database already holds a
    synthetic data set (slugs starting with ``syn-``).
    """
    check_counts(counts)
    if Partner.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise SyntheticDataError(
            "This database already holds synthetic data (slugs starting with 'syn-'). "
            "Use a fresh database, or empty this one with `manage.py flush`."
        )
    data = DataSet(counts, seed=seed, today=today)
    writer = Writer(progress_file, show_progress)
    started = time.monotonic()
    with transaction.atomic():
        data.themes = ensure_themes()
        for write in SECTIONS:
            write(data, writer)
        reset_sequences()
    # Bulk writes send no signals: every cached page is stale now.
    new_content_version()
    if connection.vendor == "postgresql":
        analyse_started = time.monotonic()
        # VACUUM sets the visibility map, so counts can use index-only scans; it cannot run
        # inside a transaction (as in the test suite), where ANALYZE alone does.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for table in data.touched_tables():
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")
        writer.timings["vacuum analyze"] = (time.monotonic() - analyse_started, 0)
    return Timings(writer.timings, time.monotonic() - started)


def ensure_themes():
    """The demo data's themes, in four languages (created if missing); returns the ids of all
    themes."""
    for position, (slug, texts) in enumerate(THEMES.items()):
        Theme.objects.get_or_create(
            slug=slug,
            defaults={**column_values(texts, Theme.TRANSLATED_FIELDS), "position": position},
        )
    return list(Theme.objects.order_by("slug").values_list("pk", flat=True))


def reset_sequences():
    """Rows were written with their ids: the next ids the database gives must follow them."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Partner, Agreement, Activity, Resource]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
