"""Migrations: each one can be undone, and the whole chain applies from an empty schema.

pytest-django builds the test database by running every migration, so "applies from an empty
database" is exercised by every run on SQLite and on PostgreSQL; these tests add the way back.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

PROJECT_APPS = ("allas", "partners", "activities")


def project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(
        (
            migration
            for (app, _), migration in loader.disk_migrations.items()
            if app in PROJECT_APPS
        ),
        key=lambda m: (m.app_label, m.name),
    )


def project_tables():
    return {
        table
        for table in connection.introspection.table_names()
        if table.split("_", 1)[0] in PROJECT_APPS
    }


def test_the_project_has_migrations_to_check():
    assert len(project_migrations()) >= 4


@pytest.mark.parametrize("migration", project_migrations(), ids=str)
def test_every_operation_of_every_migration_can_be_reversed(migration):
    """A RunPython or RunSQL without its reverse makes a deployment impossible to roll back;
    if one truly cannot be undone, give it ``migrations.RunPython.noop`` and say why."""
    irreversible = [op.describe() for op in migration.operations if not op.reversible]
    assert not irreversible, f"{migration.app_label}.{migration.name}: {irreversible}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_unapplies_one_by_one_to_zero_and_applies_again():
    tables = project_tables()
    assert tables
    loader = MigrationLoader(connection)
    try:
        # Newest first: undo each migration of each app separately, so a broken reverse is
        # pinned to the migration that has it.
        for app in reversed(PROJECT_APPS):
            names = sorted(name for a, name in loader.disk_migrations if a == app)
            if not names:
                continue
            for previous in [*reversed(names[:-1]), "zero"]:
                call_command("migrate", app, previous, verbosity=0)
        assert project_tables() == set()
    finally:
        call_command("migrate", verbosity=0)

    assert project_tables() == tables
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
