"""Write a consistent backup of the database and the uploaded files into one archive.

    python manage.py backup /backups/allas-$(date +%F).tar.gz

Safe while the site runs: PostgreSQL is dumped in one snapshot (pg_dump, custom format),
SQLite through its online backup API; uploaded files are copied afterwards. Restore with
``manage.py restore``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from allas import archive


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Where to write the archive (.tar.gz).")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded files out.")

    def handle(self, *args, path, database, no_media, **options):
        connection = connections[database]
        try:
            manifest = archive.write_archive(
                path,
                connection=connection,
                include_media=not no_media,
                now=timezone.now().isoformat(),
            )
        except archive.ArchiveError as error:
            raise CommandError(str(error)) from error
        media = archive.media_root()
        if no_media or media is None:
            media_note = "uploaded files not included"
        else:
            media_note = f"{manifest['media_files']} uploaded files from {media}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {connection.vendor} database "
                f"“{connection.settings_dict['NAME']}” and {media_note} to {path} "
                f"({Path(path).stat().st_size:,} bytes)."
            )
        )
