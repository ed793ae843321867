"""Shared by the fuzz tests: a world with a few records of each kind, per-example rollback,
a single-query snapshot of row counts, and a tally printed at the end of the run."""

import collections
import contextlib
import time

import pytest
from django.db import connection, transaction
from django.template import Template
from django.test import utils as test_utils

from activities.models import Activity
from tests import factories
from tests.fuzz import strategies

# Tables whose rows a request may legitimately add even when a form is refused.
IGNORED_TABLES = ("django_session", "axes_")

TALLY = collections.Counter()
SERVER_ERRORS = collections.Counter()
SECONDS = collections.Counter()  # time spent inside the examples of each target


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
    start = time.perf_counter()
    with transaction.atomic():
        try:
            yield
        except Exception:
            SERVER_ERRORS[target] += 1
            raise
        finally:
            transaction.set_rollback(True)
            SECONDS[target] += time.perf_counter() - start


@contextlib.contextmanager
def without_template_capture():
    """Pages rendered here leave ``response.context`` and ``response.templates`` empty.

    Under test, Django sends a signal for every template rendered and the test client keeps a
    copy of each one's context. An admin form posted with a large inline count (a management
    form's TOTAL_FORMS of 2,000, the formset's cap) renders some 30,000 widget templates, and
    that bookkeeping costs a third of the request; tests that read the page's HTML instead do
    without it. The page is rendered in full all the same.
    """
    saved = getattr(test_utils._TestState, "saved_data", None)
    plain = getattr(saved, "template_render", None)
    instrumented = Template._render
    if plain is not None:
        Template._render = plain
    try:
        yield
    finally:
        Template._render = instrumented


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


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker hands its counts to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fuzz_tally"] = {
            target: (TALLY[target], SERVER_ERRORS[target], SECONDS[target]) for target in TALLY
        }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for target, (inputs, errors, seconds) in node.workeroutput.get("fuzz_tally", {}).items():
        TALLY[target] += inputs
        SERVER_ERRORS[target] += errors
        SECONDS[target] += seconds


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    terminalreporter.section(f"fuzz ({strategies.PROFILE} profile)")
    for target in sorted(TALLY):
        terminalreporter.write_line(
            f"{target:<62} {TALLY[target]:>6} inputs  {SERVER_ERRORS[target]} server errors"
            f"  {SECONDS[target] / TALLY[target]:7.3f} s/input"
        )
    terminalreporter.write_line(
        f"{'total':<62} {sum(TALLY.values()):>6} inputs  "
        f"{sum(SERVER_ERRORS.values())} server errors"
        f"  {sum(SECONDS.values()):7.0f} s in all"
    )
