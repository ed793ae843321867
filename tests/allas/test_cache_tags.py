"""Invalidation by cache tags (allas/cache_tags.py): an edit shows at once on every page that
shows the record, and the pages that do not show it stay cached."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from activities.models import Activity, Participation
from allas import cache as page_cache
from allas import cache_tags
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def visitor():
    return Client()


def is_cached(visitor, url):
    """Whether the page comes from the cache (a rendered page has a context)."""
    response = visitor.get(url)
    assert response.status_code == 200, url
    return response.context is None


def warm(visitor, *urls):
    for url in urls:
        assert visitor.get(url).status_code == 200, url
        assert is_cached(visitor, url), url


def text(visitor, url):
    return visitor.get(url).content.decode()


def test_a_renamed_partner_shows_on_every_page_that_shows_it_and_no_other(visitor):
    site = populate(3)
    partner = site.partners[0]  # organises activity 0, takes part in activity 2
    shows = [
        f"/en/partners/{partner.slug}/",
        "/en/partners/",
        f"/en/partners/{site.network.slug}/",  # a member
        f"/en/activities/{site.activities[0].slug}/",  # the organiser
        f"/en/activities/{site.activities[2].slug}/",  # a participant
        f"/en/agreements/{site.agreements[0].slug}/",  # a party
        f"/en/resources/{site.resources[0].slug}/",  # the publisher
    ]
    elsewhere = [
        f"/en/activities/{site.activities[1].slug}/",
        f"/en/partners/{site.partners[2].slug}/",  # city 1's shows city 0, its activity's venue
        f"/en/resources/{site.resources[1].slug}/",
        f"/en/agreements/{site.agreements[1].slug}/",
    ]
    warm(visitor, *shows, *elsewhere)
    for url in elsewhere:
        assert partner.name not in text(visitor, url), url
    partner.name = "Montevideo Renamed"
    partner.save()
    for url in shows:
        assert "Montevideo Renamed" in text(visitor, url), url
    for url in elsewhere:
        assert is_cached(visitor, url), url


def test_an_edited_activity_shows_on_its_partners_and_lists_and_no_other_detail(visitor):
    site = populate(3)
    activity = site.activities[1]  # organised by city 1, city 2 takes part
    shows = [
        f"/en/activities/{activity.slug}/",
        f"/en/partners/{site.partners[1].slug}/",
        f"/en/partners/{site.partners[2].slug}/",
        f"/en/resources/{site.resources[1].slug}/",
        "/en/activities/",
        "/en/",
        "/en/calendar/activities.ics",
    ]
    elsewhere = [
        f"/en/activities/{site.activities[0].slug}/",
        f"/en/partners/{site.partners[0].slug}/",
        f"/en/resources/{site.resources[0].slug}/",
        f"/en/agreements/{site.agreements[0].slug}/",
        "/en/agreements/",
        "/en/resources/",
    ]
    warm(visitor, *shows, *elsewhere)
    activity.title_en = "Renamed Workshop"
    activity.save()
    for url in shows:
        assert "Renamed Workshop" in text(visitor, url), url
    for url in elsewhere:
        assert is_cached(visitor, url), url


def test_an_activity_that_becomes_visible_appears_on_its_partners_profiles(visitor):
    site = populate(3)
    draft = site.hidden["activity"]  # a draft of city 0, never loaded by its profile
    profile = f"/en/partners/{site.partners[0].slug}/"
    warm(visitor, profile)
    assert "Hidden draft activity" not in text(visitor, profile)
    draft.status = Activity.Status.PUBLISHED
    draft.save()
    assert "Hidden draft activity" in text(visitor, profile)


def test_a_participation_moved_to_another_partner_leaves_the_first_profile(visitor):
    site = populate(3)
    participation = Participation.objects.get(activity=site.activities[1], partner=site.partners[2])
    newcomer = factories.make_partner(name="Newcomer Town", slug="newcomer")
    before, after = f"/en/partners/{site.partners[2].slug}/", "/en/partners/newcomer/"
    warm(visitor, before, after)
    assert "Activity 001" in text(visitor, before)
    participation.partner = newcomer
    participation.save()
    assert "Activity 001" not in text(visitor, before)
    assert "Activity 001" in text(visitor, after)


def test_a_hidden_partner_made_public_appears_on_the_activities_it_took_part_in(visitor):
    site = populate(3)
    hidden = site.hidden["partner"]  # took part in activity 0, never loaded by its page
    url = f"/en/activities/{site.activities[0].slug}/"
    warm(visitor, url)
    hidden.is_public = True
    hidden.save()
    assert "Hidden City" in text(visitor, url)


def test_links_added_and_cleared_show_on_both_sides(visitor):
    site = populate(3)
    resource, activity = site.resources[0], site.activities[1]
    activity_url = f"/en/activities/{activity.slug}/"
    resource_url = f"/en/resources/{resource.slug}/"
    warm(visitor, activity_url, resource_url)
    assert "Guide 000" not in text(visitor, activity_url)
    resource.activities.add(activity)
    assert "Guide 000" in text(visitor, activity_url)
    assert "Activity 001" in text(visitor, resource_url)
    warm(visitor, activity_url)
    resource.activities.clear()
    assert "Guide 000" not in text(visitor, activity_url)
    activity.resources.add(resource)  # from the other side
    assert "Guide 000" in text(visitor, activity_url)


def test_a_new_participation_changes_the_kept_totals_of_the_partner(visitor):
    """The training totals are a value kept in the cache (versioned()) inside the profile: it
    depends on the profile's record."""
    site = populate(3)
    partner = site.partners[1]
    url = f"/en/partners/{partner.slug}/"
    warm(visitor, url)
    training = site.activities[2]  # city 1 is not in it
    Participation.objects.create(activity=training, partner=partner, attendees=41)
    assert "41" in text(visitor, url)


def test_a_theme_change_makes_every_page_stale(visitor):
    site = populate(3)
    urls = [f"/en/activities/{site.activities[1].slug}/", "/en/agreements/"]
    warm(visitor, *urls)
    theme = site.themes[1]
    theme.name_en = "Advocacy"
    theme.save()
    for url in urls:
        assert not is_cached(visitor, url)


def test_a_change_reaching_too_many_records_makes_everything_stale(visitor, monkeypatch):
    site = populate(3)
    url = f"/en/activities/{site.activities[1].slug}/"
    warm(visitor, url)
    monkeypatch.setattr(cache_tags, "MAX_TAGS", 2)
    site.resources[2].save()  # its kind, itself, a partner, an activity: four tags
    assert not is_cached(visitor, url)


def test_a_lost_edit_count_makes_everything_stale(visitor):
    """Entries hold edit numbers; a count starting again from 0 would let old ones pass."""
    site = populate(3)
    url = f"/en/activities/{site.activities[1].slug}/"
    warm(visitor, url)
    cache.delete(cache_tags.EDIT_KEY)
    page_cache.local_pages.forget()
    site.partners[0].save()  # not shown on that page
    assert not is_cached(visitor, url)


def test_another_worker_sees_an_edit_once_its_copy_of_the_state_expires(visitor, monkeypatch):
    """Simulates a second process: the edit reaches the shared cache only."""
    site = populate(3)
    url = f"/en/partners/{site.partners[0].slug}/"
    warm(visitor, url)
    with monkeypatch.context() as patch:
        patch.setattr(page_cache, "LOCAL_VERSION_SECONDS", 3600)
        patch.setattr(page_cache.local_pages, "remember_edit", lambda edit: None)
        partner = site.partners[0]
        partner.name = "Renamed"
        partner.save()
        assert "Renamed" not in text(visitor, url)  # within the second it trusts its copy
    monkeypatch.setattr(page_cache, "LOCAL_VERSION_SECONDS", 0)
    assert "Renamed" in text(visitor, url)


def test_a_page_records_the_tags_of_what_it_read(visitor):
    site = populate(3)
    activity = site.activities[1]

    def tags_of(url):
        page_cache.local_pages.forget()
        visitor.get(url)
        (entry,) = page_cache.local_pages.pages.values()
        return entry.tags

    detail = tags_of(f"/en/activities/{activity.slug}/")
    assert f"activities_activity:{activity.pk}" in detail
    assert f"activities_activity:{activity.pk}:links" in detail
    assert f"partners_partner:{site.partners[1].pk}" in detail
    assert f"partners_partner:{site.partners[1].pk}:links" not in detail
    assert not any(tag.startswith("table:activities") for tag in detail)
    listing = tags_of("/en/activities/")
    assert "table:activities_activity" in listing
    assert f"activities_activity:{activity.pk}" not in listing  # its kind is there


def test_what_an_edit_touches():
    site = populate(3)
    participation = Participation.objects.get(activity=site.activities[1], partner=site.partners[2])
    tags = cache_tags.tags_of_change(Participation, participation, "default")
    assert tags == {
        "table:activities_participation",
        f"activities_participation:{participation.pk}",
        f"activities_activity:{site.activities[1].pk}:links",
        f"partners_partner:{site.partners[2].pk}:links",
    }
    activity_tags = cache_tags.tags_of_change(Activity, site.activities[1], "default")
    assert {
        f"partners_partner:{site.partners[1].pk}:links",  # organiser and venue
        f"partners_partner:{site.partners[2].pk}:links",  # participant
        f"activities_resource:{site.resources[1].pk}:links",  # linked resource
    } <= activity_tags


def counted_touches(monkeypatch):
    touches = []
    real = cache_tags.touch
    monkeypatch.setattr(cache_tags, "touch", lambda tags: touches.append(set(tags)) or real(tags))
    return touches


def test_a_transaction_touches_its_tags_again_once_at_the_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    partner = factories.make_partner()
    other = factories.make_partner(slug="other")
    touches = counted_touches(monkeypatch)
    with django_capture_on_commit_callbacks() as callbacks:
        partner.save()
        other.save()
    assert len(touches) == 2
    for callback in callbacks:  # what the commit runs
        callback()
    assert len(touches) == 3  # one at the commit, for both rows
    assert {f"partners_partner:{partner.pk}", f"partners_partner:{other.pk}"} <= touches[-1]


def test_a_rolled_back_savepoint_does_not_take_the_commit_touch_of_later_writes(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    partner = factories.make_partner()
    other = factories.make_partner(slug="other")
    touches = counted_touches(monkeypatch)
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            partner.save()
            transaction.set_rollback(True)
        other.save()
    for callback in callbacks:
        callback()
    assert len(touches) == 3
    assert f"partners_partner:{other.pk}" in touches[-1]


def test_a_rolled_back_transaction_touches_nothing_at_commit_and_the_next_one_does(
    django_capture_on_commit_callbacks, monkeypatch
):
    """(Not a transaction=True test: its flush would recreate the Coordinators group, which
    the serialized_rollback tests of test_migrations.py then fail to load.)"""
    from django.db import transaction

    partner = factories.make_partner()
    touches = counted_touches(monkeypatch)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        partner.name = "Rolled back"
        partner.save()
        transaction.set_rollback(True)
    assert len(touches) == 1  # the save's own
    assert callbacks == []  # none at the (absent) commit
    with django_capture_on_commit_callbacks() as callbacks:
        for name in ("One", "Two", "Three"):
            partner.name = name
            partner.save()
    assert len(touches) == 4
    for callback in callbacks:
        callback()
    assert len(touches) == 5  # one more at the commit, for three rows


def test_an_edit_made_while_a_page_renders_leaves_that_page_stale(visitor, monkeypatch):
    """The edit number is read before rendering: a save during the render touches a tag with
    a higher number than the page's."""
    site = populate(3)
    activity = site.activities[1]
    url = f"/en/activities/{activity.slug}/"
    real = Activity.objects.visible

    def edit_while_reading():
        Participation.objects.filter(activity=activity).first().save()
        return real()

    with monkeypatch.context() as patch:
        patch.setattr(Activity.objects, "visible", edit_while_reading, raising=False)
        visitor.get(url)
    assert not is_cached(visitor, url)


def test_today_changes_the_key_not_the_tags(visitor, monkeypatch):
    site = populate(3)
    url = f"/en/activities/{site.activities[1].slug}/"
    warm(visitor, url)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    assert not is_cached(visitor, url)


def test_a_page_being_rendered_by_another_worker_is_waited_for_not_rendered_again(
    visitor, monkeypatch, settings
):
    """Just after an edit, the workers missing a popular page at once: one renders it, the
    others send its entry when it holds every edit they must show."""
    import threading

    settings.BENCHMARK_VIEWS = True
    site = populate(3)
    url = f"/en/activities/{site.activities[1].slug}/"
    first = visitor.get(url)
    (key,) = page_cache.local_pages.pages
    page_cache.local_pages.forget()
    epoch, edit = cache_tags.current_state()
    site.activities[1].save()  # the stored page is stale now
    cache.add(key + ":rendering", 1, 30)  # another worker is rendering it
    stored = cache.get(key)

    def other_worker_stores():
        later = page_cache.Entry(epoch, edit + 1, stored.tags, stored.expires, stored.body)
        cache.set(key, later, 600)
        cache.delete(key + ":rendering")

    threading.Timer(0.1, other_worker_stores).start()
    joined = visitor.get(url)
    assert joined["X-Page-Cache"] == "joined"
    assert joined.content == first.content


def test_a_waiting_worker_renders_itself_when_the_other_stores_nothing(monkeypatch):
    monkeypatch.setattr(page_cache, "RENDER_WAIT_SECONDS", 0.2)
    assert page_cache.rendered_elsewhere("allas:test", "epoch", 3) == (None, "allas:test:rendering")
    assert page_cache.rendered_elsewhere("allas:test", "epoch", 3) == (None, None)  # waited
    cache.delete("allas:test:rendering")
    stale = page_cache.Entry("epoch", 2, ("*",), 2e9, b"old")
    cache.set("allas:test", stale)
    cache.add("allas:test:rendering", 1)
    # An entry rendered before this request's edit number, touched since: not sent.
    assert page_cache.rendered_elsewhere("allas:test", "epoch", 3) == (None, None)


def test_a_record_page_that_read_no_record_links_is_not_stored(rf, settings):
    """record_tables without RecordPageMixin would leave the page blind to its lists."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from partners.models import Partner

    @page_cache.cache_public_page(record_tables=(Partner,))
    def view(request):
        return HttpResponse(Partner.objects.count())

    page_cache.local_pages.forget()
    request = rf.get("/en/whatever/")
    request.user = AnonymousUser()
    assert view(request).status_code == 200
    assert not page_cache.local_pages.pages


def test_a_list_keeps_the_links_of_a_record_whose_kind_it_read():
    """The own fields of an activity add nothing to a page that reads the activities, but its
    links are touched by other kinds (a participation) and must stay."""
    site = populate(3)
    activity = site.activities[1]
    with cache_tags.collecting() as collector:
        cache_tags.shows_links_of(activity)
        list(Activity.objects.filter(pk=activity.pk))
    tags = collector.finished_tags()
    assert "table:activities_activity" in tags
    assert f"activities_activity:{activity.pk}" not in tags
    assert f"activities_activity:{activity.pk}:links" in tags
