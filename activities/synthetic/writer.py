"""Bulk writes of the synthetic data set: COPY on PostgreSQL, ``bulk_create`` elsewhere, with a
progress bar (tqdm) per table and the time each table took."""

import datetime
import io
import time

from django.db import connection
from tqdm import tqdm


def copy_value(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


class Writer:
    """Writes rows (tuples in the order of ``fields``) into a model's table and keeps, per
    label, the seconds spent and the rows written (``timings``)."""

    BATCH = 20_000

    def __init__(self, progress_file, show_progress):
        self.copy = connection.vendor == "postgresql"
        self.progress_file, self.show_progress = progress_file, show_progress
        self.timings = {}

    def write(self, label, model, fields, rows, total):
        started = time.monotonic()
        written = 0
        with tqdm(
            total=total,
            desc=f"{label:<25}",
            unit=" rows",
            file=self.progress_file,
            disable=not self.show_progress,
        ) as progress:
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= self.BATCH:
                    self.flush(model, fields, batch)
                    written += len(batch)
                    progress.update(len(batch))
                    batch = []
            if batch:
                self.flush(model, fields, batch)
                written += len(batch)
                progress.update(len(batch))
        seconds, rows_before = self.timings.get(label, (0.0, 0))
        self.timings[label] = (seconds + time.monotonic() - started, rows_before + written)
        return written

    def flush(self, model, fields, batch):
        if self.copy:
            columns = ", ".join(
                connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
            )
            buffer = io.StringIO()
            for row in batch:
                buffer.write("\t".join(map(copy_value, row)))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                    "FROM STDIN",
                    buffer,
                )
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch], batch_size=500
            )
