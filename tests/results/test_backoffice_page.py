"""The coordinators' results page of a period (figures, how each is obtained, charts with their
CSV, closing and reopening) and the page of the records behind a computed figure."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from results import measures
from results.models import Indicator, Measure, Period, ReportedFigure, Target
from results.services import period_close
from tests import factories
from tests.results.work_plan import make_indicator, make_objective, make_period

pytestmark = pytest.mark.django_db
Status = ReportedFigure.Status
IN_2014 = datetime.date(2014, 3, 1)


@pytest.fixture(autouse=True)
def _in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def period():
    return make_period(starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31))


@pytest.fixture
def plan(period):
    """An objective with a computed indicator (activities: 3 of 4), one narrowed to a theme
    (trainings of that theme: 1 of 1) and one entered by hand (12 of 10, with its source)."""
    theme = factories.make_theme(name_en="Lobbying")
    objective = make_objective(title_en="Strengthen the network", themes=[theme])
    activities = make_indicator(
        objective=objective, name_en="Activities held", targets={period: 4}, position=1
    )
    trainings = make_indicator(
        objective=objective,
        measure=Measure.TRAININGS,
        theme=theme,
        name_en="Lobbying trainings",
        targets={period: 1},
        position=2,
    )
    by_hand = make_indicator(
        objective=objective,
        measure="",
        name_en="Press articles",
        unit_en="articles",
        targets={period: 10},
        position=3,
    )
    Target.objects.filter(indicator=by_hand).update(
        actual=12, source_note="Press review of the secretariat", source_url="https://example.org/p"
    )
    for _ in range(2):
        factories.make_activity(starts_on=IN_2014)
    training_on(theme)
    factories.make_activity(starts_on=IN_2014, status=Activity.Status.DRAFT)
    factories.make_activity(starts_on=datetime.date(2015, 1, 1))
    return {"activities": activities, "trainings": trainings, "by_hand": by_hand}


def training_on(theme):
    activity = factories.make_activity(starts_on=IN_2014, kind=Activity.Kind.TRAINING)
    activity.themes.set([theme])
    return activity


def results_url(period):
    return reverse("admin:results_period_results", args=[period.pk])


def records_url(period, indicator):
    return reverse("admin:results_period_records", args=[period.pk, indicator.pk])


def figures_of(response):
    return {f.indicator.pk: f for f in response.context["progress"].figures}


def test_a_coordinator_sees_the_figures_the_measures_compute(coordinator_client, period, plan):
    response = coordinator_client.get(results_url(period))
    assert response.status_code == 200
    figures = figures_of(response)
    for indicator in (plan["activities"], plan["trainings"]):
        assert figures[indicator.pk].actual == measures.compute(indicator, period)
    assert figures[plan["activities"].pk].actual == 3
    assert figures[plan["trainings"].pk].actual == 1
    assert figures[plan["by_hand"].pk].actual == 12
    html = response.content.decode()
    assert "Strengthen the network" in html and "Lobbying" in html
    assert "75 %" in html and "120 %" in html
    # The status in words, not only in colour.
    assert str(Status.EXCEEDED.label) in html
    assert "Published trainings, on the theme “Lobbying”" in html
    assert "Press review of the secretariat" in html and "https://example.org/p" in html
    assert records_url(period, plan["activities"]) in html
    assert records_url(period, plan["by_hand"]) not in html


def test_an_edit_shows_at_once_though_the_figures_are_kept(coordinator_client, period, plan):
    """The figures are kept per content version (kept_progress): a new record, a changed
    target and a changed threshold each show on the next request."""
    assert figures_of(coordinator_client.get(results_url(period)))[plan["trainings"].pk].actual == 1
    training_on(plan["trainings"].theme)
    target = Target.objects.get(indicator=plan["trainings"], period=period)
    target.value = 7
    target.save()
    figure = figures_of(coordinator_client.get(results_url(period)))[plan["trainings"].pk]
    assert (figure.actual, figure.target) == (2, 7)


def test_the_page_links_the_four_languages_of_the_report(coordinator_client, period, plan):
    html = coordinator_client.get(results_url(period)).content.decode()
    for name in ("report", "report_pdf", "report_xlsx"):
        for code in ("es", "pt", "fr", "en"):
            assert (
                f"{reverse(f'admin:results_period_{name}', args=[period.pk])}?lang={code}" in html
            )


def test_back_office_users_who_are_not_coordinators_get_404(client, period):
    client.force_login(factories.make_user("clerk", is_staff=True))
    assert client.get(results_url(period)).status_code == 404
    assert client.post(results_url(period)).status_code == 404
    assert client.get(records_url(period, make_indicator())).status_code == 404
    for name in ("close", "reopen"):
        url = reverse(f"admin:results_period_{name}", args=[period.pk])
        assert client.post(url).status_code == 404
        assert client.get(url).status_code == 404
    assert not Period.objects.get(pk=period.pk).is_closed


def test_partner_staff_and_visitors_are_sent_to_the_login(client, staff_a, period):
    login = reverse("admin:login")
    assert client.get(results_url(period)).url.startswith(login)
    client.force_login(staff_a)
    assert client.get(results_url(period)).url.startswith(login)
    assert client.get(records_url(period, make_indicator())).url.startswith(login)


@pytest.mark.parametrize("object_id", ["999999", "abc", "99999999999999999999999"])
def test_a_period_that_does_not_exist_is_404(coordinator_client, object_id):
    url = reverse("admin:results_period_results", args=[object_id])
    assert coordinator_client.get(url).status_code == 404


def test_closing_freezes_the_figures_and_the_page_says_when_a_live_one_differs(
    coordinator_client, coordinator, period, plan
):
    response = coordinator_client.post(reverse("admin:results_period_close", args=[period.pk]))
    assert response.status_code == 302 and response.url == results_url(period)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"“{period.name_en}” is closed: its figures are reported and frozen."
    ]
    period.refresh_from_db()
    assert period.is_closed and period.closed_by == coordinator
    assert ReportedFigure.objects.filter(period=period).count() == 3

    factories.make_activity(starts_on=IN_2014)
    response = coordinator_client.get(results_url(period))
    figure = figures_of(response)[plan["activities"].pk]
    assert (figure.actual, figure.live) == (3, 4)
    html = response.content.decode()
    assert "Live figure today: 4 (reported: 3)" in html
    assert "Closed on" in html and "coordinator" in html
    assert "Reopen the period" in html
    assert html.count("Live figure today") == 1


def test_closing_twice_says_so_instead_of_failing(coordinator_client, period, plan):
    url = reverse("admin:results_period_close", args=[period.pk])
    coordinator_client.post(url)
    response = coordinator_client.post(url, follow=True)
    assert response.status_code == 200
    assert "This period is closed already." in [str(m) for m in get_messages(response.wsgi_request)]


def test_reopening_makes_the_figures_live_again(coordinator_client, period, plan):
    period_close(period=period)
    factories.make_activity(starts_on=IN_2014)
    response = coordinator_client.post(
        reverse("admin:results_period_reopen", args=[period.pk]), follow=True
    )
    assert response.status_code == 200
    assert not Period.objects.get(pk=period.pk).is_closed
    assert not ReportedFigure.objects.filter(period=period).exists()
    assert figures_of(response)[plan["activities"].pk].actual == 4
    assert "Close the period" in response.content.decode()
    reopened = coordinator_client.post(
        reverse("admin:results_period_reopen", args=[period.pk]), follow=True
    )
    assert "This period is open." in [str(m) for m in get_messages(reopened.wsgi_request)]


def test_closing_and_reopening_take_only_a_post(coordinator_client, period):
    for name in ("close", "reopen"):
        url = reverse(f"admin:results_period_{name}", args=[period.pk])
        assert coordinator_client.get(url).status_code == 405
    assert not Period.objects.get(pk=period.pk).is_closed


def test_each_chart_has_its_csv(coordinator_client, period, plan):
    objective = plan["activities"].objective
    response = coordinator_client.get(results_url(period), {"csv": f"objective-{objective.pk}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="allas-results-{period.slug}-objective-{objective.pk}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "objective",
            "indicator",
            "unit",
            "baseline",
            "target",
            "actual",
            "share_percent",
            "status",
            "reported",
        ],
        ["Strengthen the network", "Activities held", "activities", "0", "4", "3", "75", "behind"]
        + ["no"],
        ["Strengthen the network", "Lobbying trainings", "activities", "0", "1", "1", "100"]
        + ["exceeded", "no"],
        ["Strengthen the network", "Press articles", "articles", "0", "10", "12", "120"]
        + ["exceeded", "no"],
    ]


def test_a_reported_figure_is_marked_in_the_csv(coordinator_client, period, plan):
    period_close(period=period, today=datetime.date(2014, 12, 31))
    objective = plan["activities"].objective
    response = coordinator_client.get(results_url(period), {"csv": f"objective-{objective.pk}"})
    assert {row[-1] for row in list(csv.reader(io.StringIO(response.content.decode())))[1:]} == {
        "yes"
    }


@pytest.mark.parametrize("name", ["nope", "", "objective-999999"])
def test_an_unknown_chart_is_404(coordinator_client, period, plan, name):
    assert coordinator_client.get(results_url(period), {"csv": name}).status_code == 404


def test_the_records_page_lists_exactly_the_records_behind_the_figure(
    coordinator_client, period, plan
):
    indicator = plan["activities"]
    response = coordinator_client.get(records_url(period, indicator))
    assert response.status_code == 200
    listed = {record.pk for record in response.context["page"]}
    assert listed == set(measures.records(indicator, period).values_list("pk", flat=True))
    assert len(listed) == 3
    html = response.content.decode()
    for pk in listed:
        assert reverse("admin:activities_activity_change", args=[pk]) in html
    assert "3 activities in" in html and "Published activities" in html


def test_the_records_page_is_paginated(coordinator_client, period, plan, settings):
    indicator = plan["activities"]
    for _ in range(99):
        factories.make_activity(starts_on=IN_2014)
    first = coordinator_client.get(records_url(period, indicator))
    second = coordinator_client.get(records_url(period, indicator), {"page": "2"})
    assert len(first.context["page"]) == 100 and len(second.context["page"]) == 2
    for page in ("x", "0", "99999999999999999999"):
        assert (
            coordinator_client.get(records_url(period, indicator), {"page": page}).status_code
            == 200
        )


def test_only_a_computed_indicator_has_records(coordinator_client, period, plan):
    assert coordinator_client.get(records_url(period, plan["by_hand"])).status_code == 404
    url = reverse("admin:results_period_records", args=[period.pk, 999999])
    assert coordinator_client.get(url).status_code == 404


def test_the_records_page_of_a_closed_period_gives_the_reported_figure(
    coordinator_client, period, plan
):
    period_close(period=period)
    factories.make_activity(starts_on=IN_2014)
    html = coordinator_client.get(records_url(period, plan["activities"])).content.decode()
    assert "4 activities in" in html and "Reported when the period closed: 3." in html


def test_a_by_hand_value_with_a_document_links_it(coordinator_client, period, plan):
    from django.core.files.base import ContentFile

    target = Target.objects.get(indicator=plan["by_hand"])
    target.source_document.save("review.pdf", ContentFile(b"%PDF-1.4"), save=True)
    html = coordinator_client.get(results_url(period)).content.decode()
    assert target.source_document.url in html


def _many_activities(count, theme):
    for _ in range(count):
        training_on(theme)


def _queries(client, url, *, computed=True):
    """The queries of one request; ``computed``: with the figures computed, not read from the
    cache they are kept in until the content changes (results.progress.kept_progress)."""
    if computed:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_queries_for_one_or_thirty_activities(
    coordinator_client, period, plan
):
    """Prevents N+1: the count depends on the indicators, not on the records."""
    theme = plan["trainings"].theme
    for _ in range(2):  # a network narrowing too: its name is read with the themes'
        network = factories.make_network()
        make_indicator(objective=plan["activities"].objective, network=network, targets={period: 1})
    coordinator_client.get(results_url(period))  # warm the session and the content types
    urls = [
        results_url(period),
        records_url(period, plan["activities"]),
        records_url(period, plan["trainings"]),
    ]
    few = [_queries(coordinator_client, url) for url in urls]
    _many_activities(29, theme)
    many = [_queries(coordinator_client, url) for url in urls]
    assert few == many
    computed = Indicator.objects.filter(source="computed").count()
    # Session, user, coordinator check, period; indicators, themes, targets; one per computed
    # indicator; the admin menu's permissions (two).
    assert few[0] == 4 + 3 + computed + 2
    # Until a record changes, the figures are read from the cache.
    coordinator_client.get(results_url(period))
    assert _queries(coordinator_client, results_url(period), computed=False) == 4 + 2


def test_a_closed_period_costs_the_same_queries_for_one_or_thirty_activities(
    coordinator_client, period, plan
):
    period_close(period=period)
    coordinator_client.get(results_url(period))
    few = _queries(coordinator_client, results_url(period))
    _many_activities(29, plan["trainings"].theme)
    assert _queries(coordinator_client, results_url(period)) == few


def test_the_dashboard_links_the_results(coordinator_client):
    html = coordinator_client.get(reverse("admin:dashboard")).content.decode()
    assert reverse("admin:results_period_changelist") in html


def test_a_period_without_indicators_says_so(coordinator_client, period):
    response = coordinator_client.get(results_url(period))
    assert response.status_code == 200
    assert "The work plan has no indicators yet." in response.content.decode()


def test_each_bar_is_the_share_in_the_colour_of_its_status(coordinator_client, period, plan):
    response = coordinator_client.get(results_url(period))
    (_objective, chart, _svg) = response.context["sections"][0]
    # Series: target met or exceeded, on track, behind.
    assert dict(chart.rows) == {
        "Activities held": [0, 0, 75],
        "Lobbying trainings": [100, 0, 0],
        "Press articles": [120, 0, 0],
    }
