"""The activities back-office: pages, query counts, participation rules, bulk publishing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.admin.lists import LargeTablePaginator
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
        "original_language": "es",
        "title_es": "Joint training with FEMP",
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


def test_cancelling_a_published_activity_keeps_it_visible_as_cancelled(admin_client):
    published = factories.make_activity(status=Activity.Status.PUBLISHED)
    draft = factories.make_activity(status=Activity.Status.DRAFT)
    admin_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "cancel", "_selected_action": [published.pk, draft.pk]},
    )
    assert set(Activity.objects.values_list("status", flat=True)) == {"cancelled"}
    assert list(Activity.objects.visible()) == [published]


def test_publishing_is_one_service_that_reports_whether_anything_changed(coordinator):
    activity = factories.make_activity(status=Activity.Status.DRAFT)
    assert services.activity_publish(activity=activity, by=coordinator) is True
    first_published = Activity.objects.get().published_at
    assert services.activity_publish(activity=activity, by=coordinator) is False
    assert services.activity_cancel(activity=activity, by=coordinator) is True
    assert services.activity_publish(activity=activity, by=coordinator) is True
    assert Activity.objects.get().published_at == first_published
    assert activity.history.count() == 4


def test_a_resource_needs_a_file_or_a_link_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:activities_resource_add"),
        {
            "original_language": "es",
            "title_es": "Guide",
            "slug": "guide",
            "kind": "guide",
            "language": "es",
            "is_public": "on",
        },
    )
    assert response.status_code == 200
    assert "Upload a file or give a link." in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Large lists: search, filters and counts that stay cheap at a million participations.


def changelist(client, model, **params):
    return client.get(reverse(f"admin:activities_{model}_changelist"), params)


def test_searching_activities_finds_them_by_a_partner_name_and_lists_each_once(
    admin_client, partner_a, partner_b
):
    both = factories.make_activity(title="Urban mobility forum", partners=[partner_a, partner_b])
    factories.make_activity(title="Water forum", partners=[partner_b])
    # "o" is in both partners' names: a join would list the first activity twice.
    response = changelist(admin_client, "activity", q="Montevideo")
    assert list(response.context["cl"].result_list) == [both]
    response = changelist(admin_client, "activity", q="o forum")
    assert sorted(a.title for a in response.context["cl"].result_list) == [
        "Urban mobility forum",
        "Water forum",
    ]
    response = changelist(admin_client, "activity", q="mobility Quito")
    assert list(response.context["cl"].result_list) == [both]


def test_activities_filter_by_year_theme_and_partner_without_listing_every_partner(
    admin_client, partner_a, partner_b
):
    theme = factories.make_theme()
    old = factories.make_activity(partners=[partner_a], starts_on=datetime.date(2015, 5, 1))
    new = factories.make_activity(partners=[partner_b], starts_on=datetime.date(2024, 5, 1))
    new.themes.add(theme)
    response = changelist(admin_client, "activity", theme=theme.pk)
    assert list(response.context["cl"].result_list) == [new]

    response = changelist(admin_client, "activity", year="2015")
    assert list(response.context["cl"].result_list) == [old]
    page = response.content.decode()
    assert "2024" in page and "2016" in page  # every year from the first to the last

    response = changelist(admin_client, "activity", partner=partner_b.pk)
    assert list(response.context["cl"].result_list) == [new]
    page = response.content.decode()
    assert "Quito" in page and "Montevideo" not in page  # the chosen partner only

    response = changelist(admin_client, "participation", partner=partner_a.pk, year="2015")
    assert [p.partner for p in response.context["cl"].result_list] == [partner_a]


@pytest.mark.parametrize("params", [{"year": "abc"}, {"partner": "x"}, {"theme": "1'"}])
def test_a_bad_filter_value_gives_the_admin_error_not_a_server_error(admin_client, params):
    for model in ("activity", "participation"):
        if model == "participation" and "theme" in params:
            continue
        response = changelist(admin_client, model, **params)
        assert response.status_code == 302
        assert response.url.endswith("?e=1")


def test_a_long_list_says_more_than_the_cap_instead_of_counting_every_row(
    admin_client, partner_a, monkeypatch
):
    monkeypatch.setattr(LargeTablePaginator, "cap", 3)
    for _ in range(5):
        factories.make_activity(title="Forum", partners=[partner_a])
    page = changelist(admin_client, "activity", q="forum").content.decode()
    assert "more than 3" in page
    page = changelist(admin_client, "participation", role__exact="organiser").content.decode()
    assert "more than 3" in page
    monkeypatch.setattr(LargeTablePaginator, "cap", 10)
    page = changelist(admin_client, "activity", q="forum").content.decode()
    assert "more than" not in page and "5 results" in page


@pytest.mark.django_db
def test_searched_and_filtered_lists_cost_the_same_queries_for_few_and_many_rows(
    admin_client, coordinator, network, partner_a, django_assert_num_queries
):
    queries = [
        ("activity", {"q": "forum Montevideo", "kind__exact": "seminar", "year": "2024"}),
        ("activity", {"partner": partner_a.pk, "status__exact": "published"}),
        ("participation", {"q": "forum", "role__exact": "organiser", "year": "2024"}),
        ("participation", {"partner": partner_a.pk, "partner__region__exact": "latam"}),
    ]

    def add(n):
        for _ in range(n):
            factories.make_activity(title="Forum", partners=[partner_a, factories.make_partner()])

    add(2)
    for model, params in queries:
        changelist(admin_client, model, **params)  # warm the per-process caches
    few = []
    for model, params in queries:
        with CaptureQueriesContext(connection) as captured:
            assert changelist(admin_client, model, **params).status_code == 200
        few.append(len(captured.captured_queries))
    add(28)
    for (model, params), count in zip(queries, few, strict=True):
        with django_assert_num_queries(count):
            changelist(admin_client, model, **params)


def test_a_filter_on_a_partner_that_no_longer_exists_lists_nothing(admin_client, partner_a):
    factories.make_activity(partners=[partner_a])
    for model in ("activity", "participation"):
        response = changelist(admin_client, model, partner=partner_a.pk + 1000)
        assert list(response.context["cl"].result_list) == []
