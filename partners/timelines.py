"""Membership timelines on the profiles, drawn on the server as SVG (no script).

A network's timeline counts its public members per year in SQL (two grouped queries whatever
the number of periods: 30,000 over 30 years cost the same as three) and keeps the figures until
the content changes; the drawing and its texts are made per request, in the page's language,
from those figures. A member's own periods are few and already on the page: each is drawn.

The geometry is computed here and the SVG written by the templates
(templates/includes/member_timeline.html, templates/includes/membership_periods.html), with
CSS classes rather than inline styles (the Content-Security-Policy forbids inline styles).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from allas.cache import versioned
from partners.models import Membership

# Geometry of the SVGs, in user units; the SVG scales to the width of its box (viewBox).
WIDTH = 640
AXIS_WIDTH = 56  # room for the counts left of the members' bars
RIGHT_MARGIN = 20  # half a year label (on a phone) past the last bar
TOP_MARGIN = 10
MEMBERS_HEIGHT = 180
GAP = 24
FLOWS_HEIGHT = 64
YEAR_LABELS_HEIGHT = 20
MAX_YEAR_LABELS = 10
# Periods: the network's name above its bar, so the bars keep the full width on a phone.
PERIOD_LABEL_HEIGHT = 22
PERIOD_BAR_HEIGHT = 14
PERIOD_ROW_GAP = 10
LABEL_LENGTH = 60
# Room either side of the periods for half a year label centred on its tick (20 units a
# character on a phone, see site.css).
PERIOD_SIDE = 28

ROLES = [role.value for role in Membership.Role]


@dataclass
class YearFigures:
    """One year of a network's members: those at the year's end (on ``today`` for the current
    year) by role, and the periods that started and ended during it."""

    year: int
    members: dict = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    joined: int = 0
    left: int = 0
    role_changes: int = 0

    @property
    def total(self):
        return sum(self.members.values())


def count_members_per_year(memberships, today):
    """The ``YearFigures`` of ``memberships`` (one network's) from the first year a member
    joined to ``today``'s. Two grouped queries.

    A period that starts the day after the same member's previous one ended continues it: with
    another role it is a change of role, not a leave and a join; a period that starts later is
    a rejoin and counts as a join."""
    starts = list(memberships.count_starts_per_year(today))
    if not starts:
        return []
    ends = list(memberships.count_ends_per_year(today))
    first = min(row["year"] for row in starts)
    years = {year: YearFigures(year) for year in range(first, today.year + 1)}
    # Members at a year's end: every period started up to then less every period ended.
    change = {year: dict.fromkeys(ROLES, 0) for year in years}
    for row in starts:
        figures = years[row["year"]]
        change[row["year"]][row["role"]] += row["periods"]
        if row["previous_role"] is None:
            figures.joined += row["periods"]
        elif row["previous_role"] != row["role"]:
            figures.role_changes += row["periods"]
    for row in ends:
        if row["year"] not in years:  # ended before any recorded start: inconsistent data
            continue
        change[row["year"]][row["role"]] -= row["periods"]
        if not row["continued"]:
            years[row["year"]].left += row["periods"]
    running = dict.fromkeys(ROLES, 0)
    for year, figures in years.items():
        for role in ROLES:
            running[role] += change[year][role]
            figures.members[role] = running[role]
    return list(years.values())


def network_member_figures(network, today):
    """The public members' ``YearFigures`` of ``network``, kept until the content changes (and
    for the day: the current year is counted on ``today``)."""
    memberships = network.member_links.of_public_members()
    return versioned(
        f"network-member-timeline:{network.pk}:{today.isoformat()}",
        lambda: count_members_per_year(memberships, today),
    )


def role_labels():
    return dict(Membership.Role.choices)


def _nice_ceiling(count):
    """The smallest of 1, 2, 5 × 10^n at least ``count`` (and at least 1): round axis ends."""
    power = 10 ** math.floor(math.log10(max(count, 1)))
    return next(step * power for step in (1, 2, 5, 10) if count <= step * power)


def _year_ticks(years, x_of):
    """At most ``MAX_YEAR_LABELS`` years, evenly spaced, always the last."""
    step = max(1, math.ceil(len(years) / MAX_YEAR_LABELS))
    shown = years[::-1][::step][::-1]
    return [{"x": round(x_of(year), 1), "label": str(year)} for year in shown]


def member_timeline(network, today):
    """What the template needs to draw ``network``'s members per year and the table behind it,
    or None when it has no public member yet. Two queries, none when cached."""
    figures = network_member_figures(network, today)
    if not figures:
        return None
    labels = role_labels()
    years = [figures_.year for figures_ in figures]
    plot_width = WIDTH - AXIS_WIDTH - RIGHT_MARGIN
    slot = plot_width / len(years)
    bar_width = round(max(slot * 0.72, 1), 1)

    def x_of(year):
        return AXIS_WIDTH + (year - years[0]) * slot + slot / 2

    top = max(figures_.total for figures_ in figures)
    members_max = _nice_ceiling(top)
    members_scale = MEMBERS_HEIGHT / members_max
    members_bottom = TOP_MARGIN + MEMBERS_HEIGHT
    flows_top = members_bottom + GAP
    flows_middle = flows_top + FLOWS_HEIGHT / 2
    flows_max = _nice_ceiling(max(max(f.joined, f.left) for f in figures))
    flows_scale = (FLOWS_HEIGHT / 2) / flows_max

    bars = []
    for year_figures in figures:
        year = year_figures.year
        x = round(x_of(year) - bar_width / 2, 1)
        at_end = (
            _("on %(date)s") % {"date": date_format(today, "DATE_FORMAT")}
            if year == today.year
            else _("at the end of %(year)s") % {"year": year}
        )
        segments = []
        y = members_bottom
        for role in ROLES:
            count = year_figures.members[role]
            if not count:
                continue
            height = count * members_scale
            y -= height
            segments.append(
                {
                    "css": f"timeline-role-{role}",
                    "y": round(y, 1),
                    "height": round(max(height, 0.5), 1),
                    "title": _("%(role)s %(when)s: %(count)s")
                    % {"role": labels[role], "when": at_end, "count": number_format(count)},
                }
            )
        joined_height = year_figures.joined * flows_scale
        left_height = year_figures.left * flows_scale
        bars.append(
            {
                "x": x,
                "segments": segments,
                "joined": year_figures.joined
                and {
                    "y": round(flows_middle - joined_height, 1),
                    "height": round(max(joined_height, 1), 1),
                    "title": _("Joined in %(year)s: %(count)s")
                    % {"year": year, "count": number_format(year_figures.joined)},
                },
                "left": year_figures.left
                and {
                    "y": flows_middle,
                    "height": round(max(left_height, 1), 1),
                    "title": _("Left in %(year)s: %(count)s")
                    % {"year": year, "count": number_format(year_figures.left)},
                },
                "role_changes": year_figures.role_changes
                and {
                    "cx": round(x_of(year), 1),
                    "title": _("Changes of role in %(year)s: %(count)s")
                    % {"year": year, "count": number_format(year_figures.role_changes)},
                },
            }
        )
    last = figures[-1]
    return {
        "width": WIDTH,
        "height": flows_top + FLOWS_HEIGHT + YEAR_LABELS_HEIGHT,
        "bar_width": bar_width,
        "axis_x": AXIS_WIDTH,
        "axis_label_x": AXIS_WIDTH - 6,
        "right_x": WIDTH - RIGHT_MARGIN,
        "members_top": TOP_MARGIN,
        "members_bottom": members_bottom,
        "members_middle": round(TOP_MARGIN + MEMBERS_HEIGHT / 2, 1),
        # Labels sit on their line: the baseline a third of a line below.
        "members_top_label_y": TOP_MARGIN + 4,
        "members_middle_label_y": round(TOP_MARGIN + MEMBERS_HEIGHT / 2 + 4, 1),
        "members_max": number_format(members_max),
        # The middle line is labelled where its count is whole (not for 1 or 5).
        "members_half": number_format(members_max // 2) if members_max % 2 == 0 else "",
        "flows_top": flows_top,
        "flows_label_y": flows_top + 12,
        "flows_middle": flows_middle,
        "flows_bottom": flows_top + FLOWS_HEIGHT,
        "flows_max": number_format(flows_max),
        "year_label_y": flows_top + FLOWS_HEIGHT + YEAR_LABELS_HEIGHT - 5,
        "years": _year_ticks(years, x_of),
        "bars": bars,
        "legend": [{"css": f"timeline-role-{role}", "label": labels[role]} for role in ROLES],
        "summary": _(
            "%(count)s public members on %(date)s; the first joined in %(year)s. "
            "The table below gives the figures of each year."
        )
        % {
            "count": number_format(last.total),
            "date": date_format(today, "DATE_FORMAT"),
            "year": years[0],
        },
        "roles": [labels[role] for role in ROLES],
        "rows": [
            {
                "year": year_figures.year,
                "members": [year_figures.members[role] for role in ROLES],
                "total": year_figures.total,
                "joined": year_figures.joined,
                "left": year_figures.left,
                "role_changes": year_figures.role_changes,
            }
            for year_figures in figures
        ],
    }


def membership_periods(memberships, today):
    """What the template needs to draw a partner's ``memberships`` (already fetched, with their
    networks) as a bar per period, a row per network, or None when there are none. No query."""
    if not memberships:
        return None
    labels = role_labels()
    by_network = {}
    for membership in sorted(memberships, key=lambda m: (m.joined_on, m.pk)):
        by_network.setdefault(membership.network_id, []).append(membership)
    start = datetime.date(min(m.joined_on for m in memberships).year, 1, 1)
    last_day = max([today, *(m.left_on or today for m in memberships)])
    end = datetime.date(last_day.year + 1, 1, 1)
    plot_width = WIDTH - 2 * PERIOD_SIDE
    scale = plot_width / (end - start).days

    def x_of(day):
        return PERIOD_SIDE + (day - start).days * scale

    rows = []
    y = TOP_MARGIN
    for periods in by_network.values():
        network = periods[0].network
        name = network.display_name
        bars = []
        for period in periods:
            until = period.left_on or today
            x = x_of(period.joined_on)
            texts = {
                "network": name,
                "role": labels.get(period.role, period.role),
                "since": date_format(period.joined_on, "DATE_FORMAT"),
            }
            if period.left_on:
                texts["until"] = date_format(period.left_on, "DATE_FORMAT")
                title = _("%(network)s: %(role)s, from %(since)s to %(until)s") % texts
            else:
                title = _("%(network)s: %(role)s, since %(since)s") % texts
            bars.append(
                {
                    "css": f"timeline-role-{period.role}",
                    "x": round(x, 1),
                    # A period of a day still shows.
                    "width": round(max(x_of(until) - x, 2), 1),
                    "current": period.left_on is None,
                    "title": title,
                }
            )
        rows.append(
            {
                "label": name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1] + "…",
                "full_label": name,
                "label_y": y + PERIOD_LABEL_HEIGHT - 4,
                "bar_y": y + PERIOD_LABEL_HEIGHT,
                "bars": bars,
            }
        )
        y += PERIOD_LABEL_HEIGHT + PERIOD_BAR_HEIGHT + PERIOD_ROW_GAP
    years = list(range(start.year, end.year))
    axis_y = y
    used_roles = {m.role for m in memberships}
    return {
        "width": WIDTH,
        "height": axis_y + YEAR_LABELS_HEIGHT,
        "bar_height": PERIOD_BAR_HEIGHT,
        "left_x": PERIOD_SIDE,
        "right_x": WIDTH - PERIOD_SIDE,
        "axis_y": axis_y,
        "year_label_y": axis_y + YEAR_LABELS_HEIGHT - 5,
        "years": _year_ticks(years, lambda year: x_of(datetime.date(year, 1, 1))),
        "today_x": round(x_of(today), 1),
        "rows": rows,
        "legend": [
            {"css": f"timeline-role-{role}", "label": labels[role]}
            for role in ROLES
            if role in used_roles
        ],
    }
