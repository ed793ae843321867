"""Restore an archive written by ``manage.py backup`` into an empty database.

    createdb allas && python manage.py restore /backups/allas-2025-01-31.tar.gz

Refuses a database that already has tables unless ``--force`` is given, in which case
everything in it is dropped first. Uploaded files are written into MEDIA_ROOT (files with the
same name are replaced, others left alone). Stop the app servers while restoring.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from allas import archive
from allas.cache import new_content_version


class Command(BaseCommand):
    help = "Restore a backup archive (database and uploaded files) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Drop everything in a non-empty database before restoring.",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Do not write the uploaded files."
        )

    def handle(self, *args, path, database, force, no_media, **options):
        try:
            name, media_note = self.restore(
                connections[database], path, force=force, no_media=no_media
            )
        except archive.ArchiveError as error:
            raise CommandError(str(error)) from error
        # The cached pages show the database as it was before: stale now (a shared cache may
        # hold them for other app servers too).
        new_content_version()
        self.stdout.write(
            self.style.SUCCESS(f"Restored database “{name}” from {path}; {media_note}.")
        )

    def restore(self, connection, path, *, force, no_media):
        """Restore the archive at ``path``; returns the database's name and what was done with
        the uploaded files."""
        archive.check_vendor(connection)
        if not Path(path).is_file():
            raise CommandError(f"No backup at {path}.")
        with archive.open_archive(path) as tar, tempfile.TemporaryDirectory() as work:
            manifest = archive.read_manifest(tar)
            if manifest["vendor"] != connection.vendor:
                raise CommandError(
                    f"This backup is of a {manifest['vendor']} database; the target is "
                    f"{connection.vendor}. Restore it into the same kind of database."
                )
            name = connection.settings_dict["NAME"]
            tables = archive.database_tables(connection)
            if tables and not force:
                raise CommandError(
                    f"The database “{name}” is not empty ({len(tables)} tables, e.g. "
                    f"{', '.join(sorted(tables)[:3])}). Restore into a new empty database, "
                    "or pass --force to drop everything in it first."
                )
            dump = archive.extract_database(tar, manifest, Path(work))
            if tables:
                archive.wipe_database(connection)
            archive.restore_database(connection, dump)
            media_note = "uploaded files not restored"
            root = archive.media_root()
            if not no_media and root is not None:
                count = archive.extract_media(tar, root)
                media_note = f"{count} uploaded files written to {root}"
        return name, media_note
