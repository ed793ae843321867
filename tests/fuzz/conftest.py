"""Shared by the fuzz tests: a world with a few records of each kind, per-example rollback,
a single-query snapshot of row counts, and a tally printed at the end of the run."""

import collections
import contextlib

import pytest
from django.db import connection, transaction

from activities.models import Activity
from tests import factories
from tests.fuzz import strategies

# Tables whose rows a request may legitimately add even when a form is refused.
IGNORED_TABLES = ("django_session", "axes_")

TALLY = collections.Counter()
SERVER_ERRORS = collections.Counter()


def row_counts():
    """{table: rows} for every table, in one query (so it can run for each example)."""
    quote = connection.ops.quote_name
    tables = [t for t in connection.introspection.table_names() if not t.startswith(IGNORED_TABLES)]
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


@contextlib.contextmanager
def example(target):
    """One generated input: its writes are rolled back afterwards; a server error is counted
    (and fails the test)."""
    TALLY[target] += 1
    with transaction.atomic():
        try:
            yield
        except Exception:
            SERVER_ERRORS[target] += 1
            raise
        finally:
            transaction.set_rollback(True)


def response_status(target, response):
    if response.status_code >= 500:
        SERVER_ERRORS[target] += 1
    return response.status_code


@pytest.fixture
def fuzz_world(partner_a, partner_b, network, staff_a, coordinator):
    """Something to choose in every select: partners of each kind, memberships, an agreement,
    activities with participations, themes, a resource."""
    factories.make_theme()
    factories.make_theme()
    factories.make_membership(member=partner_a, network=network)
    factories.make_partner(kind="institution", name="Universidad", slug="universidad")
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    factories.make_activity(kind=Activity.Kind.TRAINING, partners=[partner_a, partner_b])
    factories.make_activity(agreement=agreement, partners=[partner_b])
    factories.make_resource()
    return {"staff": staff_a, "coordinator": coordinator}


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    terminalreporter.section(f"fuzz ({strategies.PROFILE} profile)")
    for target in sorted(TALLY):
        terminalreporter.write_line(
            f"{target:<62} {TALLY[target]:>6} inputs  {SERVER_ERRORS[target]} server errors"
        )
    terminalreporter.write_line(
        f"{'total':<62} {sum(TALLY.values()):>6} inputs  "
        f"{sum(SERVER_ERRORS.values())} server errors"
    )
