"""The rows of a reporting round's tables (issue 20, item 3): each state's items reported of its
items with a bar, its "no change, confirmed" count, when it completed and whether late.

`{% load round_tables %}` then `{% round_rows rows cycle_slug %}` (a table body: `rows` as
`(StateProgress, standing)` pairs, each state's name linking to its follow-up report of the
cycle), or `{% round_cells progress %}` (a row's two cells, for a table of one state's rounds).

The markup is built here rather than by a template loop: a round of every state has 195 rows, and
their include and blocktranslate tags cost the page more than its queries. Every value is escaped
here; the words are the catalog's.
"""

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


class _Words:
    """The row's words in the active language, looked up once per table rather than per row."""

    def __init__(self):
        self.nothing = _("Nothing to report: the state tracks none of the round's items.")
        self.of = _("%(reported)s of %(items)s")
        self.not_yet = _("Not yet")
        self.not_started = _("Not started")
        self.late = _("late")
        self.date_format = get_format("SHORT_DATE_FORMAT")


def _cells(progress, words: _Words) -> str:
    if not progress.items:
        return f'<td colspan="2">{words.nothing}</td>'
    # Plain numbers: the site sets no thousands separator, and a round has at most ~1,000 items a state.
    count = words.of % {"reported": progress.reported, "items": progress.items}
    confirmed = ""
    if progress.confirmed:
        text = ngettext("%(counter)s confirmed unchanged", "%(counter)s confirmed unchanged", progress.confirmed)
        confirmed = f'\n        <span class="round-confirmed muted">{text % {"counter": progress.confirmed}}</span>'
    if progress.done:
        when = localtime(progress.completed_at)
        completed = f'<time datetime="{when.isoformat()}">{format_date(when, words.date_format)}</time>'
    else:
        completed = words.not_yet if progress.reported else words.not_started
    late = f' <span class="flag flag-warn">{words.late}</span>' if progress.late else ""
    return (
        f'<td><span class="round-count">{count}</span>\n'
        f'        <progress class="round-bar" max="{progress.items}" value="{progress.reported}" aria-hidden="true">'
        f"</progress>{confirmed}</td>\n      <td>{completed}{late}</td>"
    )


@register.simple_tag
def round_cells(progress):
    """One state's two cells in a round: its items reported, and when it completed."""
    return mark_safe(_cells(progress, _Words()))


@register.simple_tag
def round_rows(rows, cycle_slug):
    """A table body: one row per state, its name linking to its follow-up report of the cycle."""
    words = _Words()
    # One reverse for the table: every state's address differs only by its code.
    pattern = reverse("cycles:state-report", args=[cycle_slug, "XX"])
    head, tail = pattern.rsplit("/XX/", 1)
    out = []
    for progress, standing in rows:
        state = progress.state
        url = conditional_escape(f"{head}/{state.iso2}/{tail}")
        name = conditional_escape(state.localized_name)
        out.append(
            f'<tr class="standing-{standing}">\n'
            f'      <th scope="row"><a href="{url}">{name}</a></th>\n'
            f"      {_cells(progress, words)}\n    </tr>"
        )
    # The names and addresses are escaped above; the rest are numbers, dates and the catalog's words.
    return mark_safe("".join(out))
