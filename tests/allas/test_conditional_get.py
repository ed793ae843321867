import pytest
from django.urls import reverse

from tests.factories import make_activity


@pytest.fixture
def activity(partner_a):
    return make_activity(partners=[partner_a], title="Seminar on city diplomacy")


def revalidate(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.has_header("ETag")
    return client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]), first["ETag"]


@pytest.mark.django_db
def test_an_activity_page_answers_304_to_a_revalidation(client, activity):
    again, _etag = revalidate(client, activity.get_absolute_url())

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_a_partner_profile_and_a_calendar_feed_answer_304_to_a_revalidation(
    client, activity, partner_a
):
    for url in (partner_a.get_absolute_url(), reverse("activities:feed-all")):
        again, _etag = revalidate(client, url)
        assert again.status_code == 304, url


@pytest.mark.django_db
def test_a_changed_activity_gets_a_new_etag_and_the_full_page(client, activity):
    url = activity.get_absolute_url()
    _again, etag = revalidate(client, url)
    activity.title = "Seminar on city diplomacy, second edition"
    activity.save()

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"second edition" in response.content


@pytest.mark.django_db
def test_the_bare_benchmark_view_is_not_served_unless_switched_on(client, settings):
    assert settings.BENCHMARK_VIEWS is False
    assert client.get("/bench/bare/").status_code == 404
