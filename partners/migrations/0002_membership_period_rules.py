"""Database rules on memberships that Django's constraint classes cannot express portably.

- Periods of the same member in the same network must not overlap. PostgreSQL: an exclusion
  constraint over a closed date range (needs the btree_gist extension for the equality parts).
  SQLite: a trigger that aborts the write.
- The network of a membership must be a partner of kind "network": a trigger on both.

Each trigger raises with the rule's name, so a direct insert fails with an IntegrityError that
says which rule it broke. Reversible: the reverse drops what the forward created.
"""

from django.db import migrations

OVERLAP = "partners_membership_periods_do_not_overlap"
NETWORK_KIND = "partners_membership_network_is_network"

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""
    ALTER TABLE partners_membership ADD CONSTRAINT {OVERLAP}
    EXCLUDE USING gist (
        member_id WITH =,
        network_id WITH =,
        daterange(joined_on, left_on, '[]') WITH &&
    )
    """,
    f"""
    CREATE FUNCTION {NETWORK_KIND}() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM partners_partner WHERE id = NEW.network_id AND kind = 'network'
        ) THEN
            RAISE EXCEPTION '{NETWORK_KIND}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER {NETWORK_KIND} BEFORE INSERT OR UPDATE ON partners_membership
    FOR EACH ROW EXECUTE FUNCTION {NETWORK_KIND}()
    """,
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {NETWORK_KIND} ON partners_membership",
    f"DROP FUNCTION IF EXISTS {NETWORK_KIND}()",
    f"ALTER TABLE partners_membership DROP CONSTRAINT IF EXISTS {OVERLAP}",
]

_SQLITE_OVERLAP_CONDITION = """
    EXISTS (
        SELECT 1 FROM partners_membership other
        WHERE other.member_id = NEW.member_id
          AND other.network_id = NEW.network_id
          AND other.id != COALESCE(NEW.id, -1)
          AND (other.left_on IS NULL OR other.left_on >= NEW.joined_on)
          AND (NEW.left_on IS NULL OR other.joined_on <= NEW.left_on)
    )
"""
_SQLITE_KIND_CONDITION = """
    NOT EXISTS (SELECT 1 FROM partners_partner WHERE id = NEW.network_id AND kind = 'network')
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {OVERLAP}_{event.lower()} BEFORE {event} ON partners_membership
    WHEN {_SQLITE_OVERLAP_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{OVERLAP}'); END
    """
    for event in ("INSERT", "UPDATE")
] + [
    f"""
    CREATE TRIGGER {NETWORK_KIND}_{event.lower()} BEFORE {event} ON partners_membership
    WHEN {_SQLITE_KIND_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{NETWORK_KIND}'); END
    """
    for event in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}_{event}"
    for name in (OVERLAP, NETWORK_KIND)
    for event in ("insert", "update")
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
