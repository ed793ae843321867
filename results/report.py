"""The funder's report for a period, generated from the data: a printable HTML page, the same
page as a PDF (WeasyPrint) and an XLSX of every figure.

For coordinators only (others get 404, like the dashboard); wired into the admin by
``PeriodAdmin.get_urls()`` (results/admin.py). ``?lang=es|pt|fr|en`` chooses the report's
language (default: the request's); every word, figure and date is written in it. The report
counts every record (not the public subset): it is ``period_progress(period)`` as the
back-office shows it.

The PDF never reaches the network: WeasyPrint's URL fetcher (``static_files_fetcher``, on
the ``URLFetcher`` class of WeasyPrint 68 and later) serves the project's own static
files from disk and refuses every other address. WeasyPrint draws inline SVG with the styles
written inside each ``<svg>`` only, not the page's, so the chart's colours are copied into
each chart of the PDF (``with_chart_styles``); the browser reads them from the stylesheet.

Queries: the period, then those of ``period_progress`` (three, and one per computed
indicator), and the themes and networks that narrow a definition (two at most): none grows
with the number of records.
"""

import datetime
import mimetypes
import posixpath
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from allas.roles import is_coordinator
from allas.spreadsheets import escape, xlsx_safe
from allas.translation import LANGUAGE_CODES, LANGUAGE_NAMES, active_language, with_language_note
from results.charts import share_chart
from results.models import Period, ReportedFigure
from results.progress import period_progress

Status = ReportedFigure.Status
CHART_CSS = "results/chart.css"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- The views ---------------------------------------------------------------------------


@require_safe
def report_html(request, object_id):
    period, language = _report_request(request, object_id)
    if language is None:
        return _bad_language(request)
    with override(language):
        html = render_report(period, language, links=_links(period, language))
    response = HttpResponse(html)
    response["Content-Language"] = language
    return response


@require_safe
def report_pdf(request, object_id):
    period, language = _report_request(request, object_id)
    if language is None:
        return _bad_language(request)
    base_url = request.build_absolute_uri("/")
    with override(language):
        html = with_chart_styles(render_report(period, language, for_pdf=True))
    import weasyprint  # here: loading Pango costs a moment, and only the PDF needs it

    pdf = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=static_files_fetcher(base_url)
    ).write_pdf()
    return _attachment(pdf, "application/pdf", _filename(period, language, "pdf"))


@require_safe
def report_xlsx(request, object_id):
    period, language = _report_request(request, object_id)
    if language is None:
        return _bad_language(request)
    with override(language):
        content = report_workbook(period, language)
    return _attachment(content, XLSX_TYPE, _filename(period, language, "xlsx"))


def _report_request(request, object_id):
    """The period a coordinator asks the report of, and the report's language (None when
    ``?lang=`` names no site language). Anyone else: 404, the page does not exist for them."""
    if not is_coordinator(request.user):
        raise Http404("No such page.")
    try:
        period = Period.objects.get(pk=int(object_id))
    except (ValueError, OverflowError, Period.DoesNotExist):
        raise Http404("No such period.") from None
    language = request.GET.get("lang") or active_language()
    return period, language if language in LANGUAGE_CODES else None


def _bad_language(request):
    message = _("The report's language must be one of: %(languages)s.") % {
        "languages": ", ".join(LANGUAGE_CODES)
    }
    return render(request, "bad_request.html", {"message": message}, status=400)


def _filename(period, language, extension):
    return f"allas-results-{period.slug}-{language}.{extension}"


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _links(period, language):
    """The report's other formats and languages, for the screen (hidden in print)."""

    def url(name, lang):
        try:
            return reverse(f"admin:{name}", args=[period.pk]) + f"?lang={lang}"
        except NoReverseMatch:  # an admin site without the period's pages
            return ""

    return {
        "pdf": url("results_period_report_pdf", language),
        "xlsx": url("results_period_report_xlsx", language),
        "languages": [
            {"code": code, "name": LANGUAGE_NAMES[code], "url": url("results_period_report", code)}
            for code in LANGUAGE_CODES
            if code != language
        ],
    }


# --- What the report says ----------------------------------------------------------------


def localized_figure(value):
    """A figure in the active language, grouped (1.234,5 in Portuguese): whole numbers
    without decimals, others with the one or two they have. "–" when there is none."""
    if value is None:
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        places = 0
    elif value * 10 == (value * 10).to_integral_value():
        places = 1
    else:
        places = 2
    return formats.number_format(value, places, force_grouping=True)


def localized_share(share):
    if share is None:
        return "–"
    return _("%(share)s%%") % {"share": formats.number_format(round(share), 0, force_grouping=True)}


def source_of(entry):
    """Where a figure entered by hand comes from: its note, link and document."""
    if entry is None:
        return ""
    parts = [entry.source_note.strip(), entry.source_url]
    if entry.source_document:
        parts.append(_("document “%(name)s”") % {"name": Path(entry.source_document.name).name})
    return " · ".join(part for part in parts if part)


def how_obtained(indicator, entry):
    """The sentence that says how a figure is obtained: its definition, or its source."""
    if indicator.is_computed:
        sentence = _("Computed from the records: %(definition)s") % {
            "definition": indicator.definition()
        }
    elif source := source_of(entry):
        sentence = _("Entered by hand. Source: %(source)s") % {"source": source}
    else:
        sentence = _("Entered by hand; no source given yet")
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def report_data(period, today=None):
    """Everything the report shows, for the HTML page and the XLSX alike: the progress, and
    per figure its definition or source in words and its figures written in the active
    language."""
    today = today or timezone.localdate()
    progress = period_progress(period, today=today)
    objectives = []
    for objective_progress in progress.objectives:
        rows = []
        for figure in objective_progress.figures:
            indicator = figure.indicator
            rows.append(
                {
                    "figure": figure,
                    "indicator": indicator,
                    "how": how_obtained(indicator, figure.entry),
                    "baseline": localized_figure(figure.baseline),
                    "target": localized_figure(figure.target),
                    "actual": localized_figure(figure.actual),
                    "share": localized_share(figure.share),
                    "live": localized_figure(figure.live) if figure.differs else "",
                }
            )
        objective = objective_progress.objective
        objectives.append(
            {
                "objective": objective,
                "themes": list(objective.themes.all()),  # prefetched by period_progress
                "rows": rows,
                "differences": [row for row in rows if row["figure"].differs],
                "status_counts": [
                    sum(row["figure"].status == status for row in rows) for status in Status
                ],
                "chart": _chart(objective_progress),
            }
        )
    counts = progress.count_by_status()
    return {
        "period": period,
        "today": today,
        "closed_on": timezone.localdate(period.closed_at) if period.is_closed else None,
        "objectives": objectives,
        "statuses": [{"code": status.value, "label": status.label} for status in Status],
        "status_counts": [(status.label, counts[status]) for status in Status],
        "indicator_count": len(progress.figures),
    }


def _chart(objective_progress):
    chart = share_chart(objective_progress)
    return {"chart": chart, "svg": chart.svg()}


def render_report(period, language, *, links=None, for_pdf=False, today=None):
    """The report as a standalone HTML document, in the active language. ``for_pdf``: without
    the chart stylesheet, which WeasyPrint reads inside each chart instead."""
    context = {
        **report_data(period, today),
        "language": language,
        "links": links or {},
        "for_pdf": for_pdf,
    }
    return render_to_string("results/report.html", context)


# --- PDF ---------------------------------------------------------------------------------

_SVG_OPENING = re.compile(r"(<svg\b[^>]*>)")


def with_chart_styles(html):
    """The page with the chart stylesheet written inside each ``<svg>`` (WeasyPrint styles an
    inline SVG from its own ``<style>`` only). The stylesheet is the project's own file."""
    css = Path(static_file(CHART_CSS)).read_text(encoding="utf-8")
    # Without its comments: inside <svg>, markup in a <style> is read as markup.
    style = "<style>{}</style>".format(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    return _SVG_OPENING.sub(lambda match: match.group(1) + style, html)


def static_file(name):
    """The path on disk of the project's static file ``name`` (as ``{% static %}`` names it:
    hashed once collected), or None. Never outside the static folders."""
    name = posixpath.normpath(unquote(name)).lstrip("/")
    if name.startswith("..") or "\x00" in name:
        return None
    found = finders.find(name)
    if found:
        return found
    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:  # a storage without local files
        return None
    return path if Path(path).is_file() else None


def static_files_fetcher(base_url):
    """WeasyPrint's URL fetcher for the report: the project's static files under
    ``base_url``, read from disk; every other address is refused (WeasyPrint then leaves the
    resource out and warns). Built here: WeasyPrint is imported only when a PDF is made."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_url = urljoin(base_url, settings.STATIC_URL)
    static_path = urlsplit(static_url).path

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = None
            if url.startswith(static_url):
                path = static_file(urlsplit(url).path[len(static_path) :])
            if path is None:
                raise ValueError(f"The report reads the project's static files only: {url[:200]}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(path).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesOnly()


# --- XLSX --------------------------------------------------------------------------------


def _text(value):
    """Text typed by people, safe in a cell: no control character, no formula."""
    return escape(xlsx_safe(with_language_note(value))) if value else ""


def _sheet_title(title):
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31]


def excel_date_format():
    """Django's short date format of the active language, written as Excel's."""
    django_format = formats.get_format("SHORT_DATE_FORMAT")
    codes = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy"}
    return "".join(codes.get(char, char) for char in django_format)


def report_workbook(period, language, today=None):
    """The report's figures as an XLSX file (bytes): one row per indicator on the first
    sheet, the period's facts on the second. Numbers and dates are cells of their type."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    data = report_data(period, today)
    date_format = excel_date_format()
    workbook = Workbook()
    figures = workbook.active
    figures.title = _sheet_title(_("Figures"))
    headers = [
        _("Period"),
        _("Objective"),
        _("Themes"),
        _("Indicator"),
        _("Unit"),
        _("Definition or source"),
        _("Baseline"),
        _("Target"),
        _("Actual"),
        _("Share achieved"),
        _("Status"),
        _("Reported"),
        _("Today's figure, where it differs"),
    ]
    figures.append([str(header) for header in headers])
    for objective in data["objectives"]:
        themes = ", ".join(with_language_note(theme.name) for theme in objective["themes"])
        for row in objective["rows"]:
            figure, indicator = row["figure"], row["indicator"]
            figures.append(
                [
                    _text(period.name),
                    _text(objective["objective"].title),
                    _text(themes),
                    _text(indicator.name),
                    _text(indicator.unit),
                    _text(row["how"]),
                    figure.baseline,
                    figure.target,
                    figure.actual,
                    figure.share / 100 if figure.share is not None else None,
                    str(figure.status_label),
                    str(_("yes") if figure.reported is not None else _("no")),
                    figure.live if figure.differs else None,
                ]
            )
    for cells in figures.iter_rows(min_row=2, min_col=7, max_col=13):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0" if cell.value % 1 == 0 else "#,##0.00"
        cells[3].number_format = "0.0%"
    widths = [18, 30, 24, 36, 14, 40, 10, 10, 10, 10, 18, 10, 14]
    for index, width in enumerate(widths, start=1):
        figures.column_dimensions[get_column_letter(index)].width = width
    for cell in figures[1]:
        cell.font = Font(bold=True)
    figures.freeze_panes = "A2"

    facts = workbook.create_sheet(_sheet_title(_("Period")))
    rows = [
        (_("Period"), _text(period.name)),
        (_("Starts on"), period.starts_on),
        (_("Ends on"), period.ends_on),
        (
            _("State"),
            _("Closed and reported") if period.is_closed else _("Provisional: the period is open"),
        ),
        (_("Closed on"), data["closed_on"]),
        (_("Generated on"), data["today"]),
        (_("Language"), str(LANGUAGE_NAMES[language])),
        (_("Indicators"), data["indicator_count"]),
        *((label, count) for label, count in data["status_counts"]),
    ]
    for label, value in rows:
        facts.append([str(label), value])
        if isinstance(value, datetime.date):
            facts.cell(row=facts.max_row, column=2).number_format = date_format
    facts.column_dimensions["A"].width = 30
    facts.column_dimensions["B"].width = 40
    for cell in facts["A"]:
        cell.font = Font(bold=True)

    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
