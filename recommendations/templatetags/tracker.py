"""Template tags of the public pages: status badges, the two tracks side by side, fuzzy dates,
sortable column headers, pagination links.

`{% load tracker %}` in a template; the chart and map tags live in `charts`.
"""

import re

from django import template
from django.template.defaulttags import querystring
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.choices import DatePrecision
from events.dates import wording_bounds
from recommendations.choices import Status

register = template.Library()

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_WITHIN_A_MONTH = {DatePrecision.MONTH, DatePrecision.WEEK, DatePrecision.PART_OF_MONTH}


_STATUS_LABELS = dict(Status.choices)


def status_label(status: str) -> str:
    return str(_STATUS_LABELS.get(status, status))


@register.simple_tag
def status_badge(status):
    """A coloured badge whose text, not its colour, carries the meaning; public and staff pages alike.

    Built here rather than by a template: a long table has two badges a row, and rendering a
    template for each was a good part of the page's time.
    """
    return format_html('<span class="badge status-{}">{}</span>', status, status_label(status))


@register.inclusion_tag("includes/_two_tracks.html")
def two_tracks(implementation):
    """The state's report and the secretariat's assessment side by side, flagged when they differ."""
    return {
        "status": implementation.status,
        "assessment": implementation.assessment,
        "disagrees": implementation.disagrees,
    }


@register.inclusion_tag("includes/_fuzzy_date.html")
def fuzzy_date(event):
    """An event's date in the source's own words, never turned into a day the source did not give.

    The year is added (from the honest bounds) only when the wording has none and the bounds lie in
    one year, so "14-15 September" reads "14-15 September (2017)" and "TBC" stays "TBC".
    """
    text = (event.date_text or "").strip()
    start, end = event.start_date, event.end_date
    # An event's bounds cover all its listings; the machine-readable date is that of the wording shown.
    wording = wording_bounds(text, start.year if start else None) if text else None
    if wording is not None and wording.start is not None:
        start, end = wording.start, wording.end
    year = None
    if text and start and end and start.year == end.year and not _YEAR.search(text):
        year = start.year
    machine = ""
    if start and event.date_precision == DatePrecision.DAY:
        machine = start.isoformat()
    elif (
        start
        and event.date_precision in _WITHIN_A_MONTH
        and end
        and (start.year, start.month)
        == (
            end.year,
            end.month,
        )
    ):
        machine = f"{start:%Y-%m}"
    elif start and end and start.year == end.year and event.date_precision != DatePrecision.UNKNOWN:
        machine = f"{start:%Y}"
    return {"text": text, "year": year, "machine": machine, "tentative": event.tentative}


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, current, numeric=False):
    """A column header that sorts the table by following a link (no script needed), as markup built
    here (nine a table; a template each cost more than the rest of the table's head).

    `current` is the active sort key ("state" or "-state"). The link keeps every filter and
    goes back to the first page.
    """
    ascending = current == key
    descending = current == f"-{key}"
    href = querystring(context, sort=f"-{key}" if ascending else key, page=None)
    if ascending:
        aria, hint, arrow = "ascending", _("sorted ascending; activate to sort descending"), " ▲"
    elif descending:
        aria, hint, arrow = "descending", _("sorted descending; activate to sort ascending"), " ▼"
    else:
        aria, hint, arrow = "", _("activate to sort"), ""
    return format_html(
        '<th scope="col"{}{}><a href="{}">{}<span class="visually-hidden"> ({})</span>{}</a></th>\n',
        mark_safe(' class="num"') if numeric else "",
        format_html(' aria-sort="{}"', aria) if aria else "",
        href,
        label,
        hint,
        format_html(' <span aria-hidden="true">{}</span>', arrow.strip()) if arrow else "",
    )


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page", anchor=""):
    """Django's `{% querystring %}` for page `number` of one list on the page, under a parameter
    name given as a variable (which `querystring` cannot take), with an anchor.

    A page with several paginated lists (a state's recommendations, evidence and history) gives
    each its own parameter, so turning one list's page leaves the others, the filters and the
    "as of" date where they were; `anchor` brings the reader back to that list, not the top.
    """
    return querystring(context, **{param or "page": number}) + (f"#{anchor}" if anchor else "")


@register.filter
def human_duration(delta):
    """A timedelta as people say it ("1 hour"), where django-axes gives ISO 8601 ("PT1H")."""
    from gcmtracker.login import human_duration as say

    return say(delta)


@register.simple_tag
def site_url():
    """The site's public address (settings.SITE_URL), for citations."""
    from django.conf import settings

    return settings.SITE_URL
