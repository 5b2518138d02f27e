"""The events timeline (issue 19): phases and events on a time axis, drawn on the server as SVG.

Each event is drawn over its honest bounds (`start_date`–`end_date`, which cover every source's
listing), so the drawing shows how precisely the sources date it: a day is a short solid mark, a
week or a month a bar, a quarter, a half-year or a year a long pale bar; an event the sources
still marked "to be confirmed" has a dashed outline. Events the sources do not date are not drawn
(the list and the table beside the drawing give them). One lane per kind of event; events that
overlap in a lane go on rows below each other. The phases are bands behind the lanes.

x positions are percentages of the drawing's width (the text keeps the page's size on a phone),
mirrored on right-to-left pages as the other charts are (recommendations/templatetags/charts.py).
Nothing here queries the database: it lays out the events (with their phases) the page has.
"""

import datetime
import itertools

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from .choices import DatePrecision, EventKind

AXIS_HEIGHT = 44  # year labels, then month ticks and quarter labels
LANE_LABEL = 20
ROW = 14
BAR = 10
LANE_GAP = 8
MIN_WIDTH = 0.5  # percent: a one-day event is still visible on a phone

PRECISION_CLASS = {
    DatePrecision.DAY: "tl-day",
    DatePrecision.WEEK: "tl-month",
    DatePrecision.PART_OF_MONTH: "tl-month",
    DatePrecision.MONTH: "tl-month",
    DatePrecision.QUARTER: "tl-wide",
    DatePrecision.HALF_YEAR: "tl-wide",
    DatePrecision.YEAR: "tl-wide",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}

_ids = itertools.count(1)


def _num(value: float) -> str:
    return f"{round(value, 3):g}"


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _rows(spans) -> list[list]:
    """Greedy interval packing of (left, right, event) as drawn (a day is widened to MIN_WIDTH):
    each on the first row where it overlaps nothing."""
    rows: list[list] = []
    ends: list[float] = []
    for left, right, event in sorted(spans, key=lambda s: (s[0], s[1])):
        for i, end in enumerate(ends):
            if left >= end:
                rows[i].append(event)
                ends[i] = right
                break
        else:
            rows.append([event])
            ends.append(right)
    return rows


def events_timeline(events) -> dict | None:
    """The drawing's layout for `events` (with `phase` selected), or None when none is dated."""
    dated = [e for e in events if e.start_date and e.end_date]
    if not dated:
        return None
    phases = {e.phase.pk: e.phase for e in events if e.phase_id and e.phase.start_date and e.phase.end_date}
    start = _month_start(min([e.start_date for e in dated] + [p.start_date for p in phases.values()]))
    end = _next_month(max([e.end_date for e in dated] + [p.end_date for p in phases.values()]))
    days = (end - start).days
    rtl = get_language_bidi()

    def x(day: datetime.date) -> float:
        return 100 * (day - start).days / days

    def extent(first: datetime.date, last: datetime.date) -> tuple[float, float]:
        left = x(first)
        return left, min(max(x(last + datetime.timedelta(days=1)), left + MIN_WIDTH), 100)

    def span(first: datetime.date, last: datetime.date) -> dict:
        left, right = extent(first, last)
        width = right - left
        return {"x": _num(100 - left - width if rtl else left) + "%", "width": _num(width) + "%"}

    def at(day: datetime.date) -> str:
        value = x(day)
        return _num(100 - value if rtl else value) + "%"

    years, months = [], []
    month = start
    while month < end:
        if month.month == 1 or month == start:
            years.append({"x": at(month), "label": month.year})
        months.append({"x": at(month), "date": month, "quarter": month.month in (1, 4, 7, 10)})
        month = _next_month(month)

    kinds = dict(EventKind.choices)
    lanes, y = [], AXIS_HEIGHT
    for kind in EventKind.values:
        in_lane = [e for e in dated if e.kind == kind]
        if not in_lane:
            continue
        rows = _rows([(*extent(e.start_date, e.end_date), e) for e in in_lane])
        bars = []
        for number, row in enumerate(rows):
            for event in row:
                precision_class = PRECISION_CLASS.get(event.date_precision, "tl-wide")
                tentative = event.tentative or event.date_precision == DatePrecision.UNKNOWN
                bars.append(
                    {
                        **span(event.start_date, event.end_date),
                        "y": _num(y + LANE_LABEL + number * ROW),
                        "css": precision_class + (" tl-tentative" if tentative else ""),
                        "title": _("%(title)s: %(date)s") % {"title": event.title, "date": event.date_text or "?"}
                        + (f" ({_('to be confirmed')})" if event.tentative else ""),
                    }
                )
        lanes.append({"label": kinds[kind], "count": len(in_lane), "label_y": _num(y + 14), "bars": bars})
        y += LANE_LABEL + len(rows) * ROW + LANE_GAP
    bands = [
        {
            **span(phase.start_date, phase.end_date),
            "label": ROMAN.get(phase.number, str(phase.number)),
            "label_x": at(phase.start_date + (phase.end_date - phase.start_date) / 2),
            "name": phase.localized_name,
            "css": f"tl-phase-{phase.number % 2}",
        }
        for phase in sorted(phases.values(), key=lambda p: p.number)
    ]
    return {
        "id": f"timeline-{next(_ids)}",
        "rtl": rtl,
        "label_x": "100%" if rtl else "0",
        "height": _num(y),
        "plot_top": _num(AXIS_HEIGHT - 4),
        "years": years,
        "months": months,
        "lanes": lanes,
        "bands": bands,
        "bar_height": BAR,
        "drawn": len(dated),
        "undated": len(events) - len(dated),
        "first": start,
        "last": end - datetime.timedelta(days=1),
    }
