"""manage.py backup / restore: every table's rows and the uploaded files come back as they were.

Runs on both databases (PostgreSQL through pg_dump/pg_restore, SQLite through its backup API).
The tests are transactional: pg_dump reads through its own connection, so the rows must be
committed; a failure half-way re-creates the schema so the next tests still have a database.
"""

import datetime
import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from activities.models import Activity
from allas import archive
from allas import cache as page_cache
from partners.models import Agreement, Partner
from partners.services import agreement_change_status
from tests import factories
from tests.allas.test_uploads import png_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def every_row():
    """{table: sorted rows} for every table of the database."""
    snapshot = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            snapshot[table] = sorted(cursor.fetchall(), key=repr)
    return snapshot


@pytest.fixture
def network_with_history(partner_a, partner_b, network, coordinator, settings):
    """A little of everything: memberships, an agreement moved through its lifecycle, a
    training with participations and texts in several languages, a resource, a logo (an
    uploaded file), history rows."""
    partner_a.logo.save("montevideo.png", ContentFile(png_bytes()), save=True)
    factories.make_membership(member=partner_a, network=network)
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    agreement_change_status(
        agreement=agreement,
        to_status=Agreement.Status.UNDER_EVALUATION,
        on=datetime.date(2020, 2, 1),
        by=coordinator,
    )
    factories.make_activity(
        kind=Activity.Kind.TRAINING,
        partners=[partner_a, partner_b],
        original_language="pt",
        title="Formação em cooperação",
        title_es="Formación en cooperación",
        summary_fr="Trois jours « à Recife »",
    )
    factories.make_resource(title="Guide to city diplomacy")
    return partner_a


@pytest.fixture
def schema_guard(django_db_blocker):
    """If a test dies with the schema dropped, migrate again so later tests have tables."""
    yield
    if not archive.database_tables(connection):
        call_command("migrate", verbosity=0)


def test_backup_then_restore_into_an_empty_database_brings_back_every_row_and_file(
    network_with_history, tmp_path, settings, schema_guard
):
    before = every_row()
    assert sum(len(rows) for rows in before.values()) > 50
    logo_name = network_with_history.logo.name
    logo_bytes = (settings.MEDIA_ROOT / logo_name).read_bytes()
    path = tmp_path / "backup.tar.gz"

    call_command("backup", str(path), verbosity=0)

    archive.wipe_database(connection)
    (settings.MEDIA_ROOT / logo_name).unlink()
    assert archive.database_tables(connection) == []

    call_command("restore", str(path), verbosity=0)

    after = every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert (settings.MEDIA_ROOT / logo_name).read_bytes() == logo_bytes
    assert Partner.objects.get(slug="montevideo").logo.name == logo_name


def test_restore_refuses_a_database_that_has_tables(network_with_history, tmp_path):
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), verbosity=0)
    factories.make_partner(name="Added after the backup")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), verbosity=0)

    assert Partner.objects.filter(name="Added after the backup").exists()


def test_restore_with_force_replaces_what_the_database_holds(
    network_with_history, tmp_path, schema_guard
):
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), verbosity=0)
    before = every_row()
    factories.make_partner(name="Added after the backup")
    Activity.objects.all().delete()

    version = page_cache.content_version()

    call_command("restore", str(path), "--force", verbosity=0)

    assert every_row() == before
    assert page_cache.content_version() != version  # cached pages showed the replaced data


def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_message(tmp_path, db):
    path = tmp_path / "notes.tar.gz"
    path.write_bytes(b"not an archive")

    with pytest.raises(CommandError, match="Cannot read the backup"):
        call_command("restore", str(path), verbosity=0)


def test_media_names_that_would_escape_the_media_folder_are_not_written(tmp_path):
    import io
    import tarfile

    path = tmp_path / "evil.tar"
    with tarfile.open(path, "w") as tar:
        for name in ("media/../../outside.txt", "media/logos/ok.png"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"hi"))
    root = tmp_path / "media"
    root.mkdir()

    with tarfile.open(path) as tar:
        written = archive.extract_media(tar, root)

    assert written == 1
    assert (root / "logos" / "ok.png").exists()
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_backup_is_readable_by_its_owner_only_from_the_start(db, tmp_path, monkeypatch):
    """The archive holds password hashes and sessions: 0600 even with a permissive umask, and
    the mode is set when the file is created (no window where others could open it)."""
    path = tmp_path / "backup.tar.gz"
    modes_when_written = []
    real_open = archive.tarfile.open

    def spy(*args, **kwargs):
        tar = real_open(*args, **kwargs)
        modes_when_written.append(
            stat.S_IMODE(os.stat(path.with_name(path.name + ".partial")).st_mode)
        )
        return tar

    monkeypatch.setattr(archive.tarfile, "open", spy)
    previous = os.umask(0o000)
    try:
        call_command("backup", str(path), verbosity=0)
    finally:
        os.umask(previous)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert modes_when_written == [0o600]
