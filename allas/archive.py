"""The backup archive written by ``manage.py backup`` and read by ``manage.py restore``.

One ``.tar.gz`` holding:

- ``manifest.json``: format version, when, which database engine, how many media files;
- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``: one consistent snapshot taken
  in a single repeatable-read transaction while the site keeps running) or ``database.sqlite3``
  (SQLite, the online backup API: a consistent copy of every page);
- ``media/…``: the uploaded files (MEDIA_ROOT), copied *after* the database so every file a
  dumped row refers to is in the archive (files are written before their row and never deleted).

The database connection used is the one Django uses (``DATABASES[alias]``), so the commands act
on whatever database the settings point at, including pytest's ``test_…`` database.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class ArchiveError(Exception):
    """A backup that cannot be written or read, or a database it cannot go into; the message
    says why (the commands show it as their error)."""


def check_vendor(connection):
    if connection.vendor not in DUMP_NAMES:
        raise ArchiveError(
            f"Backups support PostgreSQL and SQLite; this database is {connection.vendor}."
        )


def media_root():
    """The folder of uploaded files, or None when uploads live elsewhere (object storage)."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(settings.MEDIA_ROOT)


def pg_command(program, settings_dict, *arguments):
    """The argument list and environment to run a PostgreSQL client program on the database
    of ``settings_dict`` (password and TLS options go through the environment, never argv)."""
    options = settings_dict.get("OPTIONS") or {}
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", settings_dict.get("HOST")),
        ("PGPORT", settings_dict.get("PORT")),
        ("PGUSER", settings_dict.get("USER")),
        ("PGPASSWORD", settings_dict.get("PASSWORD")),
        ("PGDATABASE", settings_dict.get("NAME")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
        ("PGSSLCERT", options.get("sslcert")),
        ("PGSSLKEY", options.get("sslkey")),
        ("PGPASSFILE", options.get("passfile")),
        ("PGSERVICE", options.get("service")),
    ):
        if value:
            env[variable] = str(value)
    return [program, *arguments], env


def run(command, env=None):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise ArchiveError(
            f"{command[0]} is not installed; install the PostgreSQL client programs "
            "(the same major version as the server or newer)."
        ) from error
    if result.returncode != 0:
        raise ArchiveError(f"{command[0]} failed ({result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


# -- database -------------------------------------------------------------------------------


def dump_database(connection, destination: Path):
    if connection.vendor == "postgresql":
        command, env = pg_command(
            "pg_dump", connection.settings_dict, "--format=custom", f"--file={destination}"
        )
        run(command, env)
    else:
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()


def database_tables(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor, include_views=True)


def wipe_database(connection):
    """Drop every table, view, sequence, function and text search configuration and
    dictionary of the application's schema, leaving an empty database. Extensions and what
    they own stay (the dump re-creates them with IF NOT EXISTS)."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
            for name, kind in cursor.fetchall():
                keyword = "VIEW" if kind == "VIEW" else "TABLE"
                cursor.execute(f"DROP {keyword} IF EXISTS {quote(name)} CASCADE")
            cursor.execute(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(name)} CASCADE")
            cursor.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND NOT EXISTS ("
                "  SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
            )
            for (signature,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
            # The search's configurations (allas_es, …), which restoring would create again.
            for kind, catalog, namespace, cast in (
                ("CONFIGURATION", "pg_ts_config", "cfgnamespace", "regconfig"),
                ("DICTIONARY", "pg_ts_dict", "dictnamespace", "regdictionary"),
            ):
                cursor.execute(
                    f"SELECT t.oid::{cast}::text FROM {catalog} t "
                    f"JOIN pg_namespace n ON n.oid = t.{namespace} "
                    "WHERE n.nspname = current_schema() AND NOT EXISTS ("
                    "  SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')"
                )
                for (name,) in cursor.fetchall():
                    cursor.execute(f"DROP TEXT SEARCH {kind} IF EXISTS {name} CASCADE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(
                "SELECT type, name FROM sqlite_master "
                "WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%'"
            )
            for kind, name in cursor.fetchall():
                cursor.execute(f"DROP {kind.upper()} IF EXISTS {quote(name)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def restore_database(connection, source: Path):
    if connection.vendor == "postgresql":
        # Leave out the comments on extensions: only their owner (a superuser) may set them,
        # and they are not data.
        command, env = pg_command("pg_restore", connection.settings_dict, "--list", str(source))
        entries = [
            line for line in run(command, env).splitlines() if " COMMENT - EXTENSION " not in line
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as listing:
            listing.write("\n".join(entries) + "\n")
        try:
            command, env = pg_command(
                "pg_restore",
                connection.settings_dict,
                f"--dbname={connection.settings_dict['NAME']}",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={listing.name}",
                str(source),
            )
            run(command, env)
        finally:
            os.unlink(listing.name)
    else:
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise ArchiveError("Cannot restore SQLite inside a transaction.")
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    # Cached content types and permissions would point at ids of the old database.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


# -- archive --------------------------------------------------------------------------------


def write_archive(path: Path, *, connection, include_media=True, now=None):
    """Write the archive to ``path`` (atomically: a failed backup leaves no partial file).
    Returns the manifest."""
    check_vendor(connection)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="allas-backup-") as work:
        dump = Path(work) / DUMP_NAMES[connection.vendor]
        dump_database(connection, dump)
        root = media_root() if include_media else None
        media_files = []
        if root is not None and root.is_dir():
            media_files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
        manifest = {
            "format": FORMAT_VERSION,
            "created": now,
            "vendor": connection.vendor,
            "database": DUMP_NAMES[connection.vendor],
            "media_files": len(media_files),
        }
        partial = path.with_name(path.name + ".partial")
        try:
            # Created 0600 (O_EXCL after removing a leftover, so a file someone else made is not
            # reused): the archive holds password hashes and sessions; the mode is set when the
            # file is created, never loosened first and tightened later.
            partial.unlink(missing_ok=True)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with (
                os.fdopen(descriptor, "wb") as output,
                tarfile.open(fileobj=output, mode="w:gz") as archive,
            ):
                data = json.dumps(manifest, indent=2).encode()
                manifest_path = Path(work) / MANIFEST
                manifest_path.write_bytes(data)
                archive.add(manifest_path, arcname=MANIFEST)
                archive.add(dump, arcname=dump.name)
                for file in media_files:
                    archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(root).as_posix())
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()
    return manifest


def read_manifest(archive: tarfile.TarFile):
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, TypeError) as error:
        raise ArchiveError("This is not a backup made by `manage.py backup`.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise ArchiveError(f"Unsupported backup format {manifest.get('format')!r}.")
    return manifest


def open_archive(path: Path):
    try:
        return tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise ArchiveError(f"Cannot read the backup {path}: {error}") from error


def extract_database(archive, manifest, directory: Path) -> Path:
    name = manifest["database"]
    if name not in DUMP_NAMES.values():
        raise ArchiveError(f"Unexpected database file {name!r} in the backup.")
    target = directory / name
    with archive.extractfile(archive.getmember(name)) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


def extract_media(archive, root: Path):
    """Copy the archive's media files into ``root``; names that would escape it (absolute,
    ``..``) and anything but regular files are skipped. Returns the number written."""
    root = root.resolve()
    written = 0
    for member in archive.getmembers():
        if not member.name.startswith(MEDIA_PREFIX) or not member.isfile():
            continue
        relative = member.name[len(MEDIA_PREFIX) :]
        target = (root / relative).resolve()
        if root not in target.parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        written += 1
    return written
