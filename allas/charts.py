"""Bar charts drawn on the server as SVG (no script, no CDN), each with the table behind it
as a CSV: the coordinator dashboard's and the work plan's results. The template that draws one
is ``templates/includes/chart.html``."""

import csv
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import number_format

from allas.spreadsheets import escape

# Geometry of the SVG charts, in px.
LABEL_WIDTH = 250
BAR_WIDTH = 360
VALUE_WIDTH = 70
ROW_HEIGHT = 22
BAR_HEIGHT = 15
TOP_MARGIN = 4


@dataclass
class Chart:
    """A horizontal stacked bar chart and the table behind it (for the CSV)."""

    name: str
    title: str
    series: list  # labels of the stacked series
    rows: list  # (label, [value per series])
    csv_header: list = field(default_factory=list)
    csv_rows: list = field(default_factory=list)
    note: str = ""
    unit: str = ""  # after each bar's total: "%" for shares

    def csv_response(self, filename):
        """The figures behind the chart as a CSV download. Texts typed by people (partner
        names) are escaped, so that none opens as a formula (allas/spreadsheets.py)."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow(self.csv_header)
        writer.writerows([escape(value) for value in row] for row in self.csv_rows)
        return response

    @property
    def total_max(self):
        return max((sum(values) for _label, values in self.rows), default=0)

    def svg(self):
        """Geometry for the template: one bar per row, one segment per non-zero value."""
        scale = BAR_WIDTH / float(self.total_max) if self.total_max else 0
        bars = []
        for index, (label, values) in enumerate(self.rows):
            y = TOP_MARGIN + index * ROW_HEIGHT
            x = LABEL_WIDTH
            segments = []
            for series_index, value in enumerate(values):
                width = float(value) * scale
                if value:
                    segments.append(
                        {
                            "x": round(x, 1),
                            "width": round(max(width, 1), 1),
                            "css": f"s{series_index % 8}",
                            "title": f"{label} – {self.series[series_index]}: "
                            f"{localized(value)}{self.unit}",
                        }
                    )
                x += width
            bars.append(
                {
                    "label": _short(str(label)),
                    "full_label": str(label),
                    "y": y,
                    "text_y": y + BAR_HEIGHT - 3,
                    "segments": segments,
                    "total": f"{localized(sum(values))}{self.unit}",
                    "total_x": round(x + 6, 1),
                }
            )
        # The legend is HTML next to the chart, so long series names wrap.
        legend = [
            {"css": f"s{series_index % 8}", "label": label}
            for series_index, label in enumerate(self.series if len(self.series) > 1 else [])
        ]
        return {
            "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
            "height": TOP_MARGIN + max(len(self.rows), 1) * ROW_HEIGHT + 4,
            "bar_height": BAR_HEIGHT,
            "label_x": LABEL_WIDTH - 8,
            "bars": bars,
            "legend": legend,
        }


def localized(value):
    """A bar's total in the reader's language (1.234,5 in Spanish), to one decimal."""
    value = round(Decimal(value), 1)
    return number_format(value, 0 if value == int(value) else 1, force_grouping=True)


def figure_text(value):
    """A figure as the chart writes it: whole numbers without decimals, others to one."""
    if isinstance(value, Decimal | float):
        value = round(float(value), 1)
        return str(int(value)) if value == int(value) else str(value)
    return str(value)


def _short(text, length=36):
    return text if len(text) <= length else text[: length - 1] + "…"
