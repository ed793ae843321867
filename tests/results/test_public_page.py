"""The public Results pages (results/views.py): a period's public indicators with figures from
public records only, the records behind a figure, the CSV, the latest period, in the page's
language; nothing that is not public shows or counts; bad input is a 4xx; the same number of
queries for few and many records."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, Participation
from partners.models import Agreement
from results.models import Measure, Target
from results.progress import period_progress
from results.services import period_close
from tests import factories
from tests.results.work_plan import make_indicator, make_objective, make_period

pytestmark = pytest.mark.django_db

IN_2014 = datetime.date(2014, 3, 1)


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"results:{name}", args=args)


def page(client, name, *args, language="en", status=200):
    response = client.get(url(name, *args, language=language))
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def period():
    return make_period(slug="year-2014", name_en="Year 2014", name_es="Año 2014")


@pytest.fixture
def activities_indicator(period):
    return make_indicator(name_en="Activities held", targets={period: 4})


def test_results_sends_to_the_latest_period_with_public_indicators(client, activities_indicator):
    older = make_period(
        slug="year-2013",
        starts_on=datetime.date(2013, 1, 1),
        ends_on=datetime.date(2013, 12, 31),
    )
    later_but_hidden = make_period(
        slug="year-2015",
        starts_on=datetime.date(2015, 1, 1),
        ends_on=datetime.date(2015, 12, 31),
    )
    Target.objects.create(indicator=activities_indicator, period=older, value=2)
    make_indicator(is_public=False, targets={later_but_hidden: 1})

    response = client.get(url("results"))

    assert response.status_code == 302
    assert response["Location"] == "/en/results/year-2014/"


def test_results_says_that_none_are_published_yet(client):
    hidden_only = make_period(slug="hidden-period")
    make_indicator(is_public=False, targets={hidden_only: 1})

    text = page(client, "results")

    assert "No results are published yet" in text
    assert "hidden-period" not in text


def test_a_period_shows_each_public_indicator_with_its_figures(client, period):
    objective = make_objective(title_en="Train the teams", description_en="Courses and more.")
    theme = objective.themes.get()
    indicator = make_indicator(
        objective=objective,
        name_en="Activities held",
        unit_en="activities",
        baseline=2,
        targets={period: 4},
    )
    for day in (1, 2, 3):
        factories.make_activity(starts_on=datetime.date(2014, 3, day))

    text = page(client, "period", "year-2014")

    assert "Results: Year 2014" in text
    assert "Train the teams" in text and "Courses and more." in text
    assert str(theme.name_en) in text
    assert "Activities held" in text and ">activities<" in text
    assert '<td class="number">2</td>' in text  # baseline
    assert '<td class="number">4</td>' in text  # target
    assert '<td class="number">3</td>' in text  # actual
    assert "75%" in text
    assert "On track" in text or "Behind" in text  # the 2014 period is over: a status in words
    assert url("records", "year-2014", indicator.pk) in text
    assert url("period-csv", "year-2014") in text
    assert 'role="img" aria-labelledby="heading-objective-' in text
    assert "figures are provisional" in text  # not closed


def test_the_status_is_told_in_words_and_a_symbol_not_colour_alone(client, period):
    make_indicator(name_en="Met", targets={period: 1})
    factories.make_activity(starts_on=IN_2014)

    text = page(client, "period", "year-2014")

    assert '<span class="results-status-symbol" aria-hidden="true">✓</span> Target met' in text


def test_numbers_and_dates_follow_the_language_of_the_page(client, period):
    make_indicator(measure="", baseline=Decimal("1234.5"), targets={period: 2000})

    spanish = page(client, "period", "year-2014", language="es")
    english = page(client, "period", "year-2014", language="en")

    assert "1\xa0234,50" in spanish and "1 de enero de 2014" in spanish
    assert "1,234.50" in english and "Jan. 1, 2014" in english
    assert "Año 2014" in spanish and "Year 2014" in english


def test_an_indicator_that_is_not_public_never_shows(client, period, activities_indicator):
    hidden = make_indicator(name_en="Secret indicator", is_public=False, targets={period: 9})

    assert "Secret indicator" not in page(client, "period", "year-2014")
    assert "Secret indicator" not in page(client, "period-csv", "year-2014")
    page(client, "records", "year-2014", hidden.pk, status=404)


def test_a_period_without_public_indicators_is_not_found(client, period):
    make_indicator(is_public=False, targets={period: 9})

    page(client, "period", "year-2014", status=404)
    page(client, "period-csv", "year-2014", status=404)
    page(client, "results")  # the "none yet" page, not a link to it


def test_a_period_with_public_indicators_but_no_target_for_them_is_not_found(client, period):
    make_indicator()  # public, but without a target in any period

    page(client, "period", "year-2014", status=404)


def test_a_partner_that_is_not_public_does_not_count_in_the_public_figure(client, period):
    shown = factories.make_partner(name="Shown City")
    hidden = factories.make_partner(name="Hidden City", is_public=False)
    indicator = make_indicator(
        measure=Measure.PARTNERS_TAKING_PART, name_en="Cities taking part", targets={period: 5}
    )
    factories.make_activity(starts_on=IN_2014, partners=[shown, hidden])

    public_figure = period_progress(period, public=True).figures[0].actual
    back_office_figure = period_progress(period).figures[0].actual
    text = page(client, "period", "year-2014")
    records = page(client, "records", "year-2014", indicator.pk)

    assert (public_figure, back_office_figure) == (1, 2)
    assert '<td class="number">1</td>' in text and "20%" in text
    assert "Shown City" in records and "Hidden City" not in records


def test_attendees_of_a_partner_that_is_not_public_do_not_count(client, period):
    shown = factories.make_partner()
    hidden = factories.make_partner(is_public=False)
    make_indicator(measure=Measure.ATTENDEES, targets={period: 100})
    factories.make_activity(starts_on=IN_2014, partners=[shown, hidden])  # 10 attendees each

    assert '<td class="number">10</td>' in page(client, "period", "year-2014")


def test_signed_in_users_see_the_public_figures_too(client, period, coordinator, staff_a):
    hidden = factories.make_partner(is_public=False)
    make_indicator(measure=Measure.PARTNERS_TAKING_PART, targets={period: 5})
    factories.make_activity(starts_on=IN_2014, partners=[staff_a.partner_links.get().partner])
    factories.make_activity(starts_on=IN_2014, partners=[hidden])

    for user in (coordinator, staff_a):
        client.force_login(user)
        assert "20%" in page(client, "period", "year-2014")


def test_a_closed_period_shows_its_reported_figure_and_says_when_today_differs(client, period):
    make_indicator(name_en="Activities held", targets={period: 4})
    factories.make_activity(starts_on=IN_2014)
    period_close(period=period, today=datetime.date(2015, 1, 10))
    factories.make_activity(starts_on=IN_2014)  # recorded after the report

    text = page(client, "period", "year-2014")

    assert '<td class="number">1</td>' in text  # as reported, not 2
    assert "Reported on" in text and ": 1. Today's records give 2." in text
    assert "provisional" not in text


def test_a_figure_entered_by_hand_shows_its_source_but_not_its_document(client, period):
    indicator = make_indicator(measure="", name_en="Newsletter readers", targets={period: 500})
    target = Target.objects.get(indicator=indicator)
    target.actual = 320
    target.source_note = "From the mailing service."
    target.source_url = "https://example.org/stats"
    target.source_document.save("readers-secret.pdf", ContentFile(b"%PDF-1.4"), save=True)

    text = page(client, "period", "year-2014")

    assert "320" in text and "64%" in text
    assert "From the mailing service." in text
    assert 'href="https://example.org/stats"' in text
    assert "readers-secret" not in text and target.source_document.url not in text
    page(client, "records", "year-2014", indicator.pk, status=404)  # no records behind it


def test_the_periods_are_a_navigation_between_public_periods(client, period, activities_indicator):
    other = make_period(
        slug="year-2015",
        name_en="Year 2015",
        starts_on=datetime.date(2015, 1, 1),
        ends_on=datetime.date(2015, 12, 31),
    )
    Target.objects.create(indicator=activities_indicator, period=other, value=1)
    make_period(
        slug="year-2016", starts_on=datetime.date(2016, 1, 1), ends_on=datetime.date(2016, 12, 31)
    )

    text = page(client, "period", "year-2014")

    assert 'href="/en/results/year-2015/"' in text
    assert 'href="/en/results/year-2014/" aria-current="page"' in text
    assert "year-2016" not in text


@pytest.mark.parametrize(
    ("measure", "detail"),
    [
        (Measure.ACTIVITIES, "activities:activity-detail"),
        (Measure.PARTNERS_TAKING_PART, "partners:partner-detail"),
        (Measure.AGREEMENTS_REACHING, "partners:agreement-detail"),
        (Measure.RESOURCES_PUBLISHED, "activities:resource-detail"),
    ],
)
def test_the_records_behind_a_figure_link_to_their_public_pages(client, period, measure, detail):
    partner = factories.make_partner(slug="shown-city")
    activity = factories.make_activity(slug="shown-activity", starts_on=IN_2014, partners=[partner])
    agreement = factories.make_agreement(
        slug="shown-agreement",
        parties=[partner],
        status=Agreement.Status.SIGNED,
        proposed_on=datetime.date(2014, 1, 5),
        signed_on=datetime.date(2014, 2, 1),
    )
    resource = factories.make_resource(slug="shown-guide", published_on=IN_2014)
    slug = {
        "activities:activity-detail": activity.slug,
        "partners:partner-detail": partner.slug,
        "partners:agreement-detail": agreement.slug,
        "activities:resource-detail": resource.slug,
    }[detail]
    indicator = make_indicator(measure=measure, targets={period: 1})

    text = page(client, "records", "year-2014", indicator.pk)

    with translation.override("en"):
        assert f'href="{reverse(detail, args=[slug])}"' in text
    assert "1 record" in text


def test_the_records_of_a_closed_period_say_what_was_reported(client, period):
    indicator = make_indicator(targets={period: 4})
    factories.make_activity(starts_on=IN_2014)
    period_close(period=period, today=datetime.date(2015, 1, 10))
    factories.make_activity(starts_on=IN_2014)

    text = page(client, "records", "year-2014", indicator.pk)

    assert "Today's public records give 2" in text
    assert "Reported on" in text and ": 1. The list below is of today's records." in text


def test_the_records_are_paginated_and_a_bad_page_number_is_handled(client, period):
    indicator = make_indicator(targets={period: 4})
    for day in range(1, 23):
        factories.make_activity(starts_on=datetime.date(2014, 1, day))
    address = url("records", "year-2014", indicator.pk)

    first = client.get(address).content.decode()
    second = client.get(address, {"page": "2"}).content.decode()
    not_a_number = client.get(address, {"page": "abc"})

    assert "22 records" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert not_a_number.status_code == 200
    assert "is not a page number" in not_a_number.content.decode()
    assert client.get(address, {"page": "3"}).status_code == 404
    assert client.get(address, {"page": "-1"}).status_code == 404
    assert client.get(address, {"page": "9" * 40}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/results/no-such-period/",
        "/en/results/no-such-period/figures.csv",
        "/en/results/year-2014/indicators/abc/",
        "/en/results/year-2014/indicators/999999/",
        "/en/results/year-2014/indicators/-1/",
        "/en/results/year-2014/indicators/99999999999999999999999/",
        "/en/results/year-2014/figures.json",
    ],
)
def test_addresses_that_name_nothing_are_not_found(client, activities_indicator, path):
    assert client.get(path).status_code == 404


def test_the_records_of_an_indicator_in_a_period_that_is_not_public_are_not_found(
    client, activities_indicator
):
    hidden_period = make_period(slug="hidden-period")
    make_indicator(is_public=False, targets={hidden_period: 1})

    page(client, "records", "hidden-period", activities_indicator.pk, status=404)


def test_a_nul_in_the_query_string_is_a_bad_request(client, activities_indicator):
    address = url("records", "year-2014", activities_indicator.pk)

    assert client.get(address + "?page=%00").status_code == 400
    assert client.get(url("period", "year-2014") + "?x=%00").status_code == 400


def test_the_figures_download_as_csv_with_texts_escaped(client, period):
    objective = make_objective(title_en="=Objective")
    make_indicator(
        objective=objective, name_en="@Activities", unit_en="activities", targets={period: 4}
    )
    make_indicator(objective=objective, measure="", name_en="By hand", targets={period: 3})
    factories.make_activity(starts_on=IN_2014)
    factories.make_activity(starts_on=IN_2014)

    response = client.get(url("period-csv", "year-2014"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="results-year-2014-en.csv"' in response["Content-Disposition"]
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
        ["'=Objective", "'@Activities", "activities", "0", "4", "2", "50", "behind", "no"],
        ["'=Objective", "By hand", "activities", "0", "3", "", "", "no_value", "no"],
    ]


def test_a_period_page_takes_the_same_queries_for_few_or_many_records(
    client, period, django_assert_num_queries
):
    """Prevents N+1: the periods (1), the indicators, the objectives' themes and the targets
    (3), then one query per computed indicator (here 2), whatever the number of records."""
    make_indicator(targets={period: 4})
    make_indicator(measure=Measure.ATTENDEES, targets={period: 40})
    make_indicator(measure="", targets={period: 3})
    partner = factories.make_partner()
    factories.make_activity(starts_on=IN_2014, partners=[partner])
    address = url("period", "year-2014")
    with django_assert_num_queries(6):
        assert client.get(address).status_code == 200
    for day in range(1, 30):
        factories.make_activity(starts_on=datetime.date(2014, 4, day), partners=[partner])
    with django_assert_num_queries(6):
        assert client.get(address).status_code == 200


def test_a_closed_period_page_takes_the_same_queries_for_few_or_many_records(
    client, period, django_assert_num_queries
):
    """The reported figures are one query more."""
    make_indicator(targets={period: 4})
    factories.make_activity(starts_on=IN_2014)
    period_close(period=period, today=datetime.date(2015, 1, 10))
    address = url("period", "year-2014")
    with django_assert_num_queries(6):
        assert client.get(address).status_code == 200
    for day in range(1, 30):
        factories.make_activity(starts_on=datetime.date(2014, 4, day))
    with django_assert_num_queries(6):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("closed", [False, True])
def test_the_records_page_takes_the_same_queries_for_few_or_many_records(
    client, period, django_assert_num_queries, closed
):
    """Prevents N+1: the period, the indicator, the figure, the count and the page (5), and the
    reported figure of a closed period."""
    indicator = make_indicator(measure=Measure.ATTENDEES, targets={period: 4})
    partner = factories.make_partner()
    factories.make_activity(starts_on=IN_2014, partners=[partner])
    if closed:
        period_close(period=period, today=datetime.date(2015, 1, 10))
    address = url("records", "year-2014", indicator.pk)
    expected = 6 if closed else 5
    with django_assert_num_queries(expected):
        assert client.get(address).status_code == 200
    for day in range(1, 30):
        factories.make_activity(starts_on=datetime.date(2014, 4, day), partners=[partner])
    with django_assert_num_queries(expected):
        assert client.get(address).status_code == 200


def test_the_csv_takes_the_same_queries_for_few_or_many_records(
    client, period, django_assert_num_queries
):
    """The period (1), the progress (3) and one query per computed indicator (1)."""
    make_indicator(targets={period: 4})
    factories.make_activity(starts_on=IN_2014)
    address = url("period-csv", "year-2014")
    with django_assert_num_queries(5):
        assert client.get(address).status_code == 200
    for day in range(1, 30):
        factories.make_activity(starts_on=datetime.date(2014, 4, day))
    with django_assert_num_queries(5):
        assert client.get(address).status_code == 200


def test_the_page_is_cached_for_visitors_until_a_record_changes(
    client, settings, period, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    make_indicator(name_en="Activities held", targets={period: 4})
    activity = factories.make_activity(starts_on=IN_2014)
    address = url("period", "year-2014")

    first = client.get(address).content.decode()
    with django_assert_num_queries(0):
        assert client.get(address).content.decode() == first
    activity.status = Activity.Status.DRAFT
    activity.save()

    assert '<td class="number">1</td>' in first
    assert '<td class="number">0</td>' in client.get(address).content.decode()


def test_a_new_participation_changes_the_cached_public_figure(client, settings, period):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    make_indicator(measure=Measure.PARTNERS_TAKING_PART, targets={period: 4})
    activity = factories.make_activity(starts_on=IN_2014, partners=[factories.make_partner()])
    address = url("period", "year-2014")
    assert "25%" in client.get(address).content.decode()

    Participation.objects.create(activity=activity, partner=factories.make_partner())

    assert "50%" in client.get(address).content.decode()


def test_the_sitemap_lists_the_public_periods_in_four_languages(client, period):
    make_indicator(targets={period: 4})
    hidden = make_period(slug="hidden-period")
    make_indicator(is_public=False, targets={hidden: 1})

    response = client.get("/sitemap-results.xml")

    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.content)
    paths = sorted(loc.text.split("/", 3)[3] for loc in root.findall(".//s:loc", namespace))
    assert paths == [f"{code}/results/year-2014/" for code in ("en", "es", "fr", "pt")]


def test_every_public_page_links_to_the_results(client):
    assert f'href="{url("results")}"' in client.get("/en/").content.decode()


def test_the_pages_are_valid_html(client, tmp_path, period):
    """The pages the shared validity test does not reach: no results yet, the records with a
    notice about a bad page number, a closed period."""
    from tests.allas.test_html_valid import assert_valid

    pages = ["/es/results/", "/pt/results/"]
    responses = {path: client.get(path) for path in pages}
    indicator = make_indicator(targets={period: 4})
    make_indicator(measure="", targets={period: 4})
    factories.make_activity(starts_on=IN_2014)
    period_close(period=period, today=datetime.date(2015, 1, 10))
    factories.make_activity(starts_on=IN_2014)
    for path in [
        f"/fr/results/year-2014/indicators/{indicator.pk}/?page=abc",
        "/en/results/year-2014/",
    ]:
        responses[path] = client.get(path)

    class Prepared:
        def get(self, path):
            return responses[path]

    assert_valid(Prepared(), list(responses), tmp_path)
