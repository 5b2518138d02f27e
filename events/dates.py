"""The honest bounds of a date as a source words it ("14-15 September", "Last week of July",
"Mid-February 2018 TBA", "Second/Third quarter of 2017 (TBC)").

`wording_bounds()` reads the wordings the sources use and returns the widest dates the wording
allows, the precision it has and whether it is tentative. The fixtures store those bounds; a test
and the seed loader check that stored bounds never contradict the wording. Parts of a month are
read as: early = days 1-10, mid = days 11-20, late = day 21 to the month's end; a week of a month
as days 1-7, 8-14, 15-21, 22-28, and "last week" as the month's last seven days.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from .choices import DatePrecision

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_YEAR = r"(?:\s+(?P<year>\d{4}))?"
_DASH = r"\s*[-–—]\s*"

TENTATIVE = re.compile(r"\(?\b(?:TBC|TBA|TBD)\b\)?", re.IGNORECASE)
_DAYS_COUNT = re.compile(r"\b\d+\s+days?\b", re.IGNORECASE)  # "February 3 days TBA": how long, not when
_WEEKDAY = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+", re.IGNORECASE)

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class Bounds:
    start: datetime.date | None
    end: datetime.date | None
    precision: str
    tentative: bool


def _last_day(year, month):
    return calendar.monthrange(year, month)[1]


def _month(name):
    return MONTHS[name.lower()]


def _patterns():
    return [
        # 29 Jun – 1 July
        (
            re.compile(
                rf"^(?P<d1>\d{{1,2}})\s*(?P<m1>{_MONTH}){_DASH}(?P<d2>\d{{1,2}})\s*(?P<m2>{_MONTH}){_YEAR}$", re.I
            ),
            "day_span",
        ),
        # 18-19 April, 26-28 September 2017
        (re.compile(rf"^(?P<d1>\d{{1,2}}){_DASH}(?P<d2>\d{{1,2}})\s+(?P<m1>{_MONTH}){_YEAR}$", re.I), "day_range"),
        # 2 March, 24-April, 4 October 2017
        (re.compile(rf"^(?P<d1>\d{{1,2}})(?:\s*-\s*|\s+)(?P<m1>{_MONTH}){_YEAR}$", re.I), "day"),
        # Last week of July
        (
            re.compile(rf"^(?P<which>first|second|third|fourth|last)\s+week\s+of\s+(?P<m1>{_MONTH}){_YEAR}$", re.I),
            "week",
        ),
        # early December, Mid-February 2018
        (re.compile(rf"^(?P<part>early|mid|late)(?:\s*-\s*|\s+)(?P<m1>{_MONTH}){_YEAR}$", re.I), "part"),
        # July, August 2017, June/July 2018
        (re.compile(rf"^(?P<m1>{_MONTH})(?:\s*/\s*(?P<m2>{_MONTH}))?{_YEAR}$", re.I), "month"),
        # Second Half of 2017
        (re.compile(r"^(?P<which>first|second)\s+half\s+of\s+(?P<year>\d{4})$", re.I), "half"),
        # Second/Third quarter of 2017
        (
            re.compile(
                r"^(?P<q1>first|second|third|fourth)(?:\s*/\s*(?P<q2>first|second|third|fourth))?\s+quarter\s+of\s+"
                r"(?P<year>\d{4})$",
                re.I,
            ),
            "quarter",
        ),
        # 2017
        (re.compile(r"^(?P<year>\d{4})$"), "year"),
    ]


PATTERNS = _patterns()


def wording_bounds(text: str, year: int | None = None) -> Bounds | None:
    """The bounds `text` allows, reading a year-less wording in `year`; None when it is not understood.

    A wording with no date at all ("TBC", "TBA", "") has no bounds: precision unknown.
    """
    tentative = bool(TENTATIVE.search(text or ""))
    core = TENTATIVE.sub(" ", text or "")
    core = _DAYS_COUNT.sub(" ", core)
    core = re.sub(r"\s+", " ", core).strip(" -–—,")
    core = _WEEKDAY.sub("", core)  # "Monday, 17 April 2017"
    if not core:
        return Bounds(None, None, DatePrecision.UNKNOWN, tentative)
    for pattern, shape in PATTERNS:
        match = pattern.match(core)
        if not match:
            continue
        groups = match.groupdict()
        y = int(groups["year"]) if groups.get("year") else year
        if y is None:
            return None
        try:
            return _bounds(shape, groups, y, tentative)
        except ValueError:  # 31 February and the like
            return None
    return None


def _bounds(shape, g, y, tentative):
    D = datetime.date
    if shape == "day_span":
        return Bounds(
            D(y, _month(g["m1"]), int(g["d1"])), D(y, _month(g["m2"]), int(g["d2"])), DatePrecision.DAY, tentative
        )
    if shape == "day_range":
        m = _month(g["m1"])
        return Bounds(D(y, m, int(g["d1"])), D(y, m, int(g["d2"])), DatePrecision.DAY, tentative)
    if shape == "day":
        day = D(y, _month(g["m1"]), int(g["d1"]))
        return Bounds(day, day, DatePrecision.DAY, tentative)
    if shape == "week":
        m = _month(g["m1"])
        last = _last_day(y, m)
        if g["which"].lower() == "last":
            return Bounds(D(y, m, last - 6), D(y, m, last), DatePrecision.WEEK, tentative)
        n = ORDINALS[g["which"].lower()]
        return Bounds(D(y, m, 7 * n - 6), D(y, m, 7 * n), DatePrecision.WEEK, tentative)
    if shape == "part":
        m = _month(g["m1"])
        first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, _last_day(y, m))}[g["part"].lower()]
        return Bounds(D(y, m, first), D(y, m, last), DatePrecision.PART_OF_MONTH, tentative)
    if shape == "month":
        m1 = _month(g["m1"])
        m2 = _month(g["m2"]) if g.get("m2") else m1
        return Bounds(D(y, m1, 1), D(y, m2, _last_day(y, m2)), DatePrecision.MONTH, tentative)
    if shape == "half":
        first = g["which"].lower() == "first"
        return Bounds(
            D(y, 1 if first else 7, 1), D(y, 6, 30) if first else D(y, 12, 31), DatePrecision.HALF_YEAR, tentative
        )
    if shape == "quarter":
        q1 = ORDINALS[g["q1"].lower()]
        q2 = ORDINALS[g["q2"].lower()] if g.get("q2") else q1
        end_month = 3 * q2
        return Bounds(D(y, 3 * q1 - 2, 1), D(y, end_month, _last_day(y, end_month)), DatePrecision.QUARTER, tentative)
    return Bounds(D(y, 1, 1), D(y, 12, 31), DatePrecision.YEAR, tentative)


def contradiction(date_text, start, end, precision, tentative, *, exact=True):
    """Why stored bounds contradict their wording, or "" when they do not.

    A tentative flag without TBC/TBA in the wording is allowed: a row may put its "TBC" after the
    title rather than the date. `exact` (a listing): the bounds, precision and tentative flag are those of the wording.
    Not exact (an event with several listings): the bounds contain the wording's, so that they
    cover every listing; precision and tentative flag still follow the wording shown.
    """
    year = start.year if start else (end.year if end else None)
    wording = wording_bounds(date_text, year)
    if wording is None:
        return f"the date wording {date_text!r} is not understood"
    if wording.tentative and not tentative:
        return f"{date_text!r} is tentative but not marked so"
    if precision != wording.precision:
        return f"{date_text!r} has precision {wording.precision}, not {precision}"
    if wording.start is None:
        if start or end:
            return f"{date_text!r} gives no date, yet bounds are stored"
        return ""
    if start is None or end is None:
        return f"{date_text!r} gives a date, yet the bounds are missing"
    if exact and (start, end) != (wording.start, wording.end):
        return f"{date_text!r} means {wording.start} to {wording.end}, not {start} to {end}"
    if not exact and (start > wording.start or end < wording.end):
        return f"{date_text!r} means {wording.start} to {wording.end}, outside {start} to {end}"
    return ""
