import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalChanges

from activities.models import Activity, Participation, Resource
from allas.cache import content_version
from partners.models import Agreement, AgreementStatusChange, Membership, Partner, Theme


def counts():
    models = [
        Partner, Membership, Agreement, AgreementStatusChange, Activity, Participation,
        Resource, Theme,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def history_rows():
    """Rows of every historical table (django-simple-history), by model."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }


def every_row():
    """Every row of every table: a no-op save would still change an "updated" timestamp."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed
    }


def make_run():
    """What `make run` loads (Makefile, target demo)."""
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("create_local_accounts", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_command_loads_the_network_described_in_the_product_brief():
    call_command("load_demo_data", stdout=io.StringIO())

    al_las = Partner.objects.get(slug="al-las", kind="network")
    coordinator = Membership.objects.get(network=al_las, role="coordinator")
    assert coordinator.member.slug == "mexico-city"
    assert set(
        Membership.objects.filter(network=al_las, role="partner").values_list(
            "member__slug", flat=True
        )
    ) == {"montevideo", "moron", "belo-horizonte", "quito", "medellin", "lima", "cuf", "famsi"}
    assert Partner.objects.get(slug="european-union").institution_type == "funder"
    assert set(Partner.objects.networks().values_list("slug", flat=True)) >= {
        "femp", "vng", "uclg",
    }  # fmt: skip
    assert Agreement.objects.get(slug="founding-partnership-agreement").status == "in_force"
    assert set(
        Agreement.objects.filter(status="under_evaluation").values_list("slug", flat=True)
    ) == {"partnership-italy-national-network", "partnership-portugal-national-network"}
    assert Activity.objects.get(slug="launch-of-al-las").starts_on.strftime("%Y-%m") == "2013-05"
    assert Activity.objects.get(slug="joint-training-session-with-femp").kind == "training"
    meeting = Activity.objects.get(slug="strategic-meeting-uclg-capacity-building")
    assert set(meeting.participants.values_list("slug", flat=True)) >= {"vng", "uclg"}
    assert Theme.objects.count() == 6
    # Whatever is not in the brief is marked as illustrative.
    assert "Illustrative" in meeting.notes
    assert "Illustrative" in coordinator.note


@pytest.mark.django_db
def test_the_demo_command_is_idempotent():
    call_command("load_demo_data", stdout=io.StringIO())
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_local_accounts_are_created_once_with_a_random_password(capsys):
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("create_local_accounts")
    first = capsys.readouterr().out
    call_command("create_local_accounts")
    second = capsys.readouterr().out

    assert "password" in first and "shown only this once" in first
    assert "already exists" in second and "shown only this once" not in second
    from django.contrib.auth.models import User

    coordinator = User.objects.get(username="coordinator")
    assert coordinator.is_staff and coordinator.groups.filter(name="Coordinators").exists()
    staff = User.objects.get(username="montevideo-staff")
    assert not staff.is_staff
    assert staff.partner_links.get().partner.slug == "montevideo"


@pytest.mark.django_db
def test_a_second_make_run_writes_nothing():
    # A save that changes nothing still writes a history row and, through the save signals,
    # empties the page cache of every visitor: a second run must do neither.
    make_run()
    history, rows, version = history_rows(), every_row(), content_version()
    with CaptureQueriesContext(connection) as queries:
        make_run()
    # Not even a write that changes nothing (an UPDATE to the same values, an INSERT that
    # conflicts and is ignored).
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert history_rows() == history
    assert every_row() == rows
    assert content_version() == version


@pytest.mark.django_db
def test_a_demo_value_changed_since_is_set_back_with_one_history_entry():
    # The command has always refreshed existing demo records to its values; it keeps doing so,
    # and now records it like any other edit: one history entry, the page cache cleared.
    call_command("load_demo_data", stdout=io.StringIO())
    al_las = Partner.objects.get(slug="al-las")
    demo_description = al_las.description
    al_las.description = "Changed by a coordinator."
    al_las.save()
    agreement = Agreement.objects.get(slug="founding-partnership-agreement")
    demo_title = agreement.title
    agreement.title = "Changed by a coordinator."
    agreement.save()
    launch = Activity.objects.get(slug="launch-of-al-las")
    demo_summary = launch.summary
    launch.summary = "Changed by a coordinator."
    launch.save()
    history, version = history_rows(), content_version()

    call_command("load_demo_data", stdout=io.StringIO())

    al_las.refresh_from_db()
    agreement.refresh_from_db()
    launch.refresh_from_db()
    assert (al_las.description, agreement.title, launch.summary) == (
        demo_description,
        demo_title,
        demo_summary,
    )
    added = {name: count - history[name] for name, count in history_rows().items()}
    assert {name: n for name, n in added.items() if n} == {
        "HistoricalPartner": 1,
        "HistoricalAgreement": 1,
        "HistoricalActivity": 1,
    }
    assert content_version() != version
