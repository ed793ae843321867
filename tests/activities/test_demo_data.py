import io

import pytest
from django.core.management import call_command

from activities.models import Activity, Participation, Resource
from partners.models import Agreement, AgreementStatusChange, Membership, Partner, Theme


def counts():
    models = [
        Partner, Membership, Agreement, AgreementStatusChange, Activity, Participation,
        Resource, Theme,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


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
