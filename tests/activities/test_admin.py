"""The activities back-office: pages, query counts, participation rules, bulk publishing."""

import pytest
from django.urls import reverse

from activities.models import Activity, Participation
from tests import factories
from tests.partners.test_admin import assert_pages_do_not_grow


@pytest.fixture
def admin_client(coordinator_client):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return coordinator_client


@pytest.fixture
def anchor(network, partner_a, partner_b):
    agreement = factories.make_agreement(parties=[partner_a, partner_b])
    activity = factories.make_activity(partners=[partner_a, partner_b], kind=Activity.Kind.TRAINING)
    return {"agreement": agreement, "activity": activity, "network": network}


@pytest.mark.django_db
def test_every_activities_admin_page_answers_with_a_constant_query_count(
    admin_client, coordinator, anchor
):
    assert_pages_do_not_grow(admin_client, coordinator, anchor, {"activities"})


def activity_post(participations, **fields):
    data = {
        "title": "Joint training with FEMP",
        "slug": "joint-training-femp",
        "kind": "training",
        "status": "draft",
        "starts_on": "2014-03-10",
        "venue_type": "online",
        "hours": "6",
        "format": "online",
        "participations-TOTAL_FORMS": str(len(participations)),
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
    }
    for index, (partner, attendees) in enumerate(participations):
        data |= {
            f"participations-{index}-partner": str(partner.pk),
            f"participations-{index}-role": "participant",
            f"participations-{index}-attendees": str(attendees),
        }
    return data | fields


def test_a_coordinator_adds_an_activity_with_its_participations(
    admin_client, coordinator, partner_a, partner_b
):
    response = admin_client.post(
        reverse("admin:activities_activity_add"),
        activity_post([(partner_a, 12), (partner_b, 8)]),
    )
    assert response.status_code == 302
    activity = Activity.objects.get(slug="joint-training-femp")
    assert activity.created_by == coordinator
    assert activity.participations.count() == 2
    assert activity.history.get().history_user == coordinator


def test_a_partner_listed_twice_on_an_activity_gets_a_message(admin_client, partner_a):
    response = admin_client.post(
        reverse("admin:activities_activity_add"),
        activity_post([(partner_a, 12), (partner_a, 8)]),
    )
    assert response.status_code == 200
    assert "This partner is already listed for this activity." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_duplicate_participation_added_on_its_own_gets_a_message(admin_client, partner_a):
    activity = factories.make_activity(partners=[partner_a])
    response = admin_client.post(
        reverse("admin:activities_participation_add"),
        {"activity": activity.pk, "partner": partner_a.pk, "role": "participant", "attendees": 3},
    )
    assert response.status_code == 200
    assert "This partner is already listed for this activity." in response.content.decode()
    assert Participation.objects.count() == 1


def test_the_model_rules_of_an_activity_reach_the_form(admin_client):
    response = admin_client.post(
        reverse("admin:activities_activity_add"),
        activity_post([], kind="seminar", ends_on="2014-03-01", venue_type="place"),
    )
    html = response.content.decode()
    assert "The end date cannot be before the start date." in html
    assert "Only trainings have hours; leave it empty." in html
    assert "Name the place where the activity happens." in html


def test_publishing_selected_activities_keeps_their_history(admin_client, coordinator):
    drafts = [factories.make_activity(status=Activity.Status.DRAFT) for _ in range(3)]
    response = admin_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "publish", "_selected_action": [a.pk for a in drafts]},
    )
    assert response.status_code == 302
    for activity in drafts:
        activity.refresh_from_db()
        assert activity.status == Activity.Status.PUBLISHED
        assert activity.published_at is not None
        latest, first = activity.history.all()[:2]
        assert (first.status, latest.status) == ("draft", "published")
        assert latest.history_user == coordinator


def test_a_resource_needs_a_file_or_a_link_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:activities_resource_add"),
        {"title": "Guide", "slug": "guide", "kind": "guide", "language": "es", "is_public": "on"},
    )
    assert response.status_code == 200
    assert "Upload a file or give a link." in response.content.decode()
