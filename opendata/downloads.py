"""The bulk downloads of /data/v1/: a CSV per table, the located partners as GeoJSON, the data
package and the DCAT catalogue, written from the tables of opendata/tables.py (the API's
serialisation).

Each file is written once per content version (allas/cache.py), to
``OPEN_DATA_ROOT/<key>/<name>`` with a gzip copy beside it. The first request for a file
streams it to the client while writing it (a tee; gzipped if the client accepts it): the first
bytes leave at once, and memory stays flat whatever the size (rows come in chunks, text leaves
in pieces of ``PIECE_CHARACTERS``). The file appears under its name only once complete (a
temporary file, renamed); later requests get the finished file. Two first requests at the same
moment both write, and the last rename wins: their contents are the same.

The key changes with the content version (any edit through the site or the admin), with the
files' format (the data package describes every column: a new column is a new format), and at
least every ``FILES_SECONDS``: writes that send no signal (bulk imports, the synthetic data set)
show in the downloads within that time, as they do on the pages.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from allas.cache import content_version
from opendata import catalogue
from opendata.tables import PARTNERS, TABLES

logger = logging.getLogger(__name__)

# Bump when the files change in a way the data package does not describe (their layout).
FILES_REVISION = 1
FILES_SECONDS = 3600
# A folder of an older key is removed once untouched this long: a download still being written
# there loses its file (the next request writes it again), never its response.
STALE_SECONDS = 600
KEY_LENGTH = 20
KEY_PATTERN = re.compile(rf"^[0-9a-f]{{{KEY_LENGTH}}}$")

ROWS_PER_BATCH = 500
PIECE_CHARACTERS = 64 * 1024

# The partners' columns each feature of the GeoJSON carries: what a map needs to name a partner
# in any language and link to it, and what a GIS user filters on. The rest is in partners.csv.
GEOJSON_COLUMNS = (
    "slug",
    "url",
    "name",
    "short_name",
    "official_name",
    "kind",
    "country",
    "locality",
    "wikidata_id",
)


@dataclass(frozen=True)
class Download:
    name: str
    content_type: str
    text: Callable[[], Iterator[str]]  # the file's text, in pieces
    attachment: bool = False


def batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def machine_language():
    # Conversions that depend on the language (the profile addresses) use the machine files'
    # language, whatever the request's. Entered per batch, never across a yield: the server's
    # own code runs between the pieces.
    return translation.override(catalogue.MACHINE_LANGUAGE)


def csv_text(table):
    """The table as CSV (RFC 4180: commas, double quotes, CRLF), a header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.flat_header())
    for batch in batches(table.rows(), ROWS_PER_BATCH):
        with machine_language():
            writer.writerows(table.flat_row(row) for row in batch)
        if buffer.tell() >= PIECE_CHARACTERS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def geojson_properties(columns, row):
    properties = {}
    for column in columns:
        if column.translated:
            properties.update(
                (f"{column.name}_{language}", text) for language, text in column.texts(row).items()
            )
        else:
            properties[column.name] = column.value(row)
    return properties


def geojson_features(columns, batch):
    latitude, longitude = PARTNERS.column("latitude"), PARTNERS.column("longitude")
    return [
        {
            "type": "Feature",
            "id": row["slug"],
            "geometry": {
                "type": "Point",
                # RFC 7946: longitude first, WGS 84 decimal degrees, as numbers.
                "coordinates": [longitude.value(row), latitude.value(row)],
            },
            "properties": geojson_properties(columns, row),
        }
        for row in batch
    ]


def geojson_text():
    """The public partners that have a location, as an RFC 7946 FeatureCollection."""
    columns = [PARTNERS.column(name) for name in GEOJSON_COLUMNS]
    rows = PARTNERS.rows(PARTNERS.queryset().located())
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for batch in batches(rows, ROWS_PER_BATCH):
        with machine_language():
            features = geojson_features(columns, batch)
        pieces = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
        yield separator + ",".join(pieces)
        separator = ","
    yield "]}\n"


def json_text(build):
    def text():
        yield json.dumps(build(), ensure_ascii=False, indent=2) + "\n"

    return text


DOWNLOADS = {
    **{
        catalogue.csv_name(table): Download(
            catalogue.csv_name(table),
            "text/csv; charset=utf-8",
            functools.partial(csv_text, table),
            attachment=True,
        )
        for table in TABLES
    },
    catalogue.GEOJSON_NAME: Download(
        catalogue.GEOJSON_NAME, catalogue.GEOJSON_MEDIA_TYPE, geojson_text
    ),
    catalogue.DATA_PACKAGE_NAME: Download(
        catalogue.DATA_PACKAGE_NAME, "application/json", json_text(catalogue.data_package)
    ),
    catalogue.CATALOGUE_NAME: Download(
        catalogue.CATALOGUE_NAME, "application/ld+json", json_text(catalogue.catalogue)
    ),
}


# Where the files are kept -------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def format_digest(site_url):
    """Changes with the files' format: their description (columns, types, keys, addresses)
    and FILES_REVISION. Once per process and site address."""
    described = json.dumps(
        [catalogue.data_package(), GEOJSON_COLUMNS, FILES_REVISION], sort_keys=True
    )
    return hashlib.sha256(described.encode()).hexdigest()


def files_key():
    """The name of the current files' folder (one cache read)."""
    period = int(time.time() // FILES_SECONDS)
    parts = f"{content_version()}:{format_digest(settings.SITE_URL)}:{period}"
    return hashlib.sha256(parts.encode()).hexdigest()[:KEY_LENGTH]


def folder_of(key):
    return Path(settings.OPEN_DATA_ROOT) / key


def gzip_name(name):
    return name + ".gz"


def open_finished(key, name, *, compressed):
    """The finished file (or its gzip copy), open, or None while it is not written."""
    path = folder_of(key) / (gzip_name(name) if compressed else name)
    try:
        return path.open("rb")
    except OSError:  # not written yet (or its folder cannot be: it is then streamed each time)
        return None


def prepare_folder(key):
    """The folder of ``key``, made if needed; making it removes the stale folders of older
    keys. None when it cannot be written (the download is then streamed, not kept)."""
    folder = folder_of(key)
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return folder
    except OSError:
        logger.exception("Open data folder %s cannot be made; downloads are not kept", folder)
        return None
    remove_stale_folders(folder.parent, keep=key)
    return folder


def remove_stale_folders(root, *, keep):
    # Only folders named like a key: OPEN_DATA_ROOT could point somewhere that holds more.
    now = time.time()
    with os.scandir(root) as entries:
        for entry in entries:
            if (
                entry.name != keep
                and KEY_PATTERN.match(entry.name)
                and entry.is_dir(follow_symlinks=False)
                and now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            ):
                shutil.rmtree(entry.path, ignore_errors=True)


class FileWriter:
    """Writes a download to temporary files in its folder, the text and its gzip copy (both
    given: the copy is what a client that accepts gzip is sent), and puts them under their
    names when complete."""

    def __init__(self, folder, name):
        self.folder, self.name = folder, name
        self.files = []
        try:
            self.files.append(self.temporary(name))
            self.files.append(self.temporary(gzip_name(name)))
        except OSError:
            self.discard()
            raise
        self.plain, self.packed = self.files

    def temporary(self, name):
        return tempfile.NamedTemporaryFile(
            dir=self.folder, prefix=f".{name}.", suffix=".tmp", delete=False
        )

    def write(self, data, packed):
        self.plain.write(data)
        self.packed.write(packed)

    def finish(self):
        for file in self.files:
            file.close()
            # mkstemp makes files only their owner may read; a web server may serve these.
            os.chmod(file.name, 0o644)
        # The copy first: a finished plain file means its copy is there too.
        os.replace(self.packed.name, self.folder / gzip_name(self.name))
        os.replace(self.plain.name, self.folder / self.name)

    def discard(self):
        for file in self.files:
            with contextlib.suppress(OSError):
                file.close()
            with contextlib.suppress(OSError):
                Path(file.name).unlink(missing_ok=True)


def open_writer(folder, name):
    if folder is None:
        return None
    try:
        return FileWriter(folder, name)
    except OSError:
        logger.exception("Open data file %s cannot be written; it is streamed only", name)
        return None


def gzip_compressor():
    # A gzip stream (wbits 31) without a file name or a date: the same bytes for the same text.
    return zlib.compressobj(6, zlib.DEFLATED, 31)


def write_while_streaming(key, download, *, compressed=False):
    """The bytes of ``download`` (gzipped if ``compressed``), written to its file and its
    gzip copy as they are sent (see the module's docstring). A client that leaves early
    leaves no file; a write that fails (disk full) stops the writing, not the download."""
    writer = open_writer(prepare_folder(key), download.name)
    compressor = gzip_compressor()
    unsent = b""
    try:
        for text in download.text():
            data = text.encode()
            # A sync flush per piece: the compressed bytes leave with their piece.
            packed = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
            writer = write_or_stop(writer, data, packed)
            # One piece behind: the file is renamed into place before its last piece is sent.
            if unsent:
                yield unsent
            unsent = packed if compressed else data
        end = compressor.flush()
        writer = write_or_stop(writer, b"", end)
        if writer is not None:
            try:
                writer.finish()
            except OSError:
                # Its folder was removed meanwhile (stale), or the disk is full.
                logger.warning("Open data file %s could not be kept", download.name)
                writer.discard()
            writer = None
        yield unsent + end if compressed else unsent
    finally:
        if writer is not None:
            writer.discard()


def write_or_stop(writer, data, packed):
    """The writer, or None once a write failed (its files are removed)."""
    if writer is None:
        return None
    try:
        writer.write(data, packed)
    except OSError:
        logger.exception("Open data file %s: writing failed", writer.name)
        writer.discard()
        return None
    return writer


def write_file(key, download):
    """Writes the file without sending it (for a HEAD request, which needs its length)."""
    for _piece in write_while_streaming(key, download):
        pass
