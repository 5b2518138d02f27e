"""Template filters for long tables, where a cell's cost is paid 195 times a page.

`{% load tables %}` then:

- `{{ implementation|display:"position" }}`: what `implementation.get_position_display` gives;
- `{{ implementation.last_reviewed|time_element }}`: `<time datetime="2024-05-01">1 May 2024</time>`,
  or nothing for no date; a format name as argument for another format (`"DATE_FORMAT"`);
- `{% implementation_rows implementations as rows %}`, `{% evidence_items evidence "state" as items %}`,
  `{% state_rows states as rows %}`, `{% latest_changes changes as items %}`: the long lists' rows,
  each kept under its state's scope (`gcmtracker.cache.fragments`);
- `{% change_item update %}`: one entry of a state's public history.

The filters give what Django's own would, once per language instead of once per cell:
`get_FOO_display` rebuilds a hashable copy of the field's choices on every call and the `date`
filter parses its format on every call, which on a page with a row per state was a third of the
rendering time. The rows are built here with `format_html` (every value escaped, every word
translated) rather than by a template each (issue 18: 2): a template per row of the state list's
195 was more than half of that page's time. Their markup is the templates' they replaced, byte for
byte (checked on the full-scale benchmark pages in four languages; tests/test_table_rows.py).
"""

import datetime
from functools import cache, lru_cache

from django import template
from django.template.defaulttags import querystring
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from gcmtracker import scopes
from gcmtracker.cache import fragments
from recommendations.models import Implementation

from .tracker import status_badge

register = template.Library()


@cache
def _choice_labels(model, field_name: str, language: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


@register.filter
def display(instance, field_name: str):
    """The label of a field with choices, as `instance.get_<field_name>_display()` gives it."""
    value = getattr(instance, field_name)
    return _choice_labels(type(instance), field_name, get_language()).get(value, value)


# Days repeat across rows and pages; a bounded cache keeps a busy process from growing.
@lru_cache(maxsize=4096)
def _time_element(day: datetime.date, format_name: str, language: str) -> str:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, format_name))


@register.filter
def time_element(value, format_name: str = "SHORT_DATE_FORMAT"):
    """A date, or a datetime on its day in the current time zone, in a <time> element; "" for none."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return _time_element(value, format_name, get_language())


def _by_state(context, objects, render_one, state_of, vary) -> list:
    """Each object's markup (`render_one(object)`), kept in the shared cache under the scope of its
    state (`state_of(object)`, an ISO code), read for all of them in one round trip
    (`gcmtracker.cache.fragments`); `vary`: what else the markup depends on. Rendered every time
    where the page could not be cached (staff, the cache off, a write pending) and on pages "as
    of" a date."""
    objects = list(objects)
    by_pk = {o.pk: o for o in objects}
    request = context.get("request")
    if request is None or context.get("as_of"):
        return [render_one(o) for o in objects]
    rendered = fragments(
        request, {o.pk: ([scopes.state(state_of(o))], vary) for o in objects}, lambda pk: render_one(by_pk[pk])
    )
    return [mark_safe(rendered[o.pk]) for o in objects]  # markup rendered by render_one


def _implementation_row(i, *, item_column: bool, evidence_href, words: dict) -> str:
    """One row of `recommendations/_implementation_table.html`, built here rather than by a template:
    it is the longest table of the commitment and state pages (50 and 35 rows), and a template per
    row was a fifth of their rendering time. Every text is escaped (format_html), every label
    translated (the words and the tables filters, in the active language)."""
    if item_column:
        item = i.commitment if i.commitment_id else i.recommendation
        head = format_html('<th scope="row"><a href="{}">{}</a></th>\n    ', item.get_absolute_url(), item)
    else:
        head = format_html(
            '<th scope="row"><a href="{}">{}</a></th>\n    <td>{}</td>',
            i.state.get_absolute_url(),
            i.state.localized_name,
            display(i.state, "regional_group"),
        )
    disagrees = i.disagrees
    differs = format_html(' <span class="flag flag-disagree">{}</span>', words["differs"]) if disagrees else ""
    lead = format_html("<bdi>{}</bdi>", i.lead_agency) if i.lead_agency else "—"
    stale = (
        format_html(' <span class="flag flag-warn">{}</span>', words["out_of_date"])
        if getattr(i, "out_of_date", False)
        else ""
    )
    count = getattr(i, "evidence_count", 0)
    evidence = (
        format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>', evidence_href(i), count, words["pieces"]
        )
        if count
        else "0"
    )
    return format_html(
        "<tr{}>\n    {}\n    <td>{}</td>\n    <td>{}{}</td>\n    <td>{}</td>\n    <td>{}</td>\n"
        '    <td>{}</td>\n    <td>{}{}</td>\n    <td class="num">{}</td>\n  </tr>',
        mark_safe(' class="disagrees"') if disagrees else "",
        head,
        status_badge(i.status),
        status_badge(i.assessment),
        differs,
        display(i, "position"),
        lead,
        time_element(i.last_reviewed) or "—",
        time_element(getattr(i, "last_evidenced", None)) or "—",
        stale,
        evidence,
    )


@register.simple_tag(takes_context=True)
def implementation_rows(context, implementations) -> list:
    """The rows of `recommendations/_implementation_table.html`, one markup string per implementation
    (`_implementation_row`), each kept under its state's scope: when a write in one state retires
    a commitment's page, the other states' rows come back from the cache instead of being built again."""
    page_state = context.get("state")

    def state_of(i):
        return (i.state if Implementation.state.is_cached(i) else page_state).iso2

    item_column, local_evidence = bool(context.get("item_column")), bool(context.get("local_evidence"))
    request = context.get("request")
    if item_column:

        def evidence_href(i):
            return f"?evidence_item={i.pk}#evidence"
    elif local_evidence:

        def evidence_href(i):
            return querystring(context, evidence_of=i.state.iso2, evidence=None) + "#evidence"
    else:

        def evidence_href(i):
            return f"{i.state.get_absolute_url()}?evidence_item={i.pk}#evidence"

    # What a row's markup depends on besides its state's facts: its columns and, for the links to
    # the page's own evidence list, the page's query string.
    vary = [item_column, local_evidence]
    if local_evidence and request:
        vary.append(request.GET.urlencode())
    words = {
        "differs": gettext("differs from the report"),
        "out_of_date": gettext("out of date"),
        "pieces": gettext("pieces of evidence"),
    }

    def render(i):
        return _implementation_row(i, item_column=item_column, evidence_href=evidence_href, words=words)

    return _by_state(context, implementations, render, state_of, vary)


def _evidence_link(item) -> str:
    """What `recommendations/_evidence_link.html` renders (the title, isolated; a web link's host)."""
    if item.url:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow"><bdi>{}</bdi></a>'
            ' <span class="muted evidence-host">({})</span>',
            item.url,
            item.title,
            item.url_host,
        )
    if item.file:
        return format_html('<a href="{}"><bdi>{}</bdi></a>', item.get_download_url(), item.title)
    return format_html("<bdi>{}</bdi>", item.title)


def _evidence_item(item, *, from_state=None, about=None) -> str:
    """One item of the published evidence list, built here rather than by a template (25 a page on
    the state and commitment pages), as `recommendations/_evidence_item.html` renders it: its link,
    then the state it is from (a commitment's page) or the item it is about (a state's page), its
    kind, date and publication date, and its description; escaped and translated."""
    context = ""
    if from_state is not None:
        context += format_html('· <a href="{}">{}</a> ', from_state.get_absolute_url(), from_state.localized_name)
    if about is not None:
        if about.commitment_id:
            label = gettext("Commitment %(number)s") % {"number": conditional_escape(about.commitment.number)}
            url = about.commitment.get_absolute_url()
        else:
            label = gettext("Recommendation %(code)s") % {"code": conditional_escape(about.recommendation.code)}
            url = about.recommendation.get_absolute_url()
        context += format_html('· <a href="{}">{}</a> ', url, mark_safe(label))  # the translation is the template's
    context += format_html("· {}", display(item, "kind"))
    if item.date:
        context += format_html(" · {}", time_element(item.date, "DATE_FORMAT"))
    if item.published_at:
        day = conditional_escape(date_format(timezone.localtime(item.published_at), "SHORT_DATE_FORMAT"))
        context += " · " + gettext("published %(date)s") % {"date": day}
    description = format_html("<br><bdi>{}</bdi>", item.description) if item.description else ""
    return format_html(
        '<li>\n  {}\n\n  <span class="muted">{}</span>\n  {}\n</li>\n',
        _evidence_link(item),
        mark_safe(context),  # built of escaped parts above
        description,
    )


@register.simple_tag(takes_context=True)
def evidence_items(context, evidence, side: str) -> list:
    """The published evidence list's items (`_evidence_item`), each kept under its state's scope like
    the table rows. `side`: "state" names each item's state (a commitment's page), "item" the
    commitment or recommendation it is about (a state's page)."""
    if side == "state":
        return _by_state(
            context,
            evidence,
            lambda item: _evidence_item(item, from_state=item.implementation.state),
            lambda item: item.implementation.state.iso2,
            [side],
        )
    return _by_state(
        context,
        evidence,
        lambda item: _evidence_item(item, about=item.implementation),
        lambda item: context["state"].iso2,
        [side],
    )


def _item_link(implementation) -> str:
    """A link to the commitment or recommendation an implementation is about, named as the templates name it."""
    if implementation.commitment_id:
        number = implementation.commitment.number
        url, label = reverse("recommendations:commitment-detail", args=[number]), gettext("Commitment %(number)s")
        return format_html('<a href="{}">{}</a>', url, mark_safe(label % {"number": conditional_escape(number)}))
    code = implementation.recommendation.code
    url, label = reverse("recommendations:recommendation-detail", args=[code]), gettext("Recommendation %(code)s")
    return format_html('<a href="{}">{}</a>', url, mark_safe(label % {"code": conditional_escape(code)}))


def _change(update, *, show_state: bool) -> str:
    """One status update of a public history (a state's page, the dashboard's latest changes),
    built here rather than by a template (25 a page), as `_change.html` rendered it: its date, its
    state (`show_state`) and item, the track, the move (or "confirmed, unchanged"), the author's
    role, the public rationale and the published evidence; escaped and translated."""
    implementation = update.implementation
    state = ""
    if show_state:
        url = reverse("recommendations:state-detail", args=[implementation.state.iso2])
        state = format_html('· <a href="{}">{}</a>', url, implementation.state.localized_name)
    # The interface's own words, as {% translate %} gives them: not escaped (they hold no markup).
    track = gettext("Secretariat's assessment") if update.track == "assessed" else gettext("State's report")
    track = mark_safe(track)
    if update.previous_status == update.status:
        move = format_html(
            '{} <span class="muted">{}</span>', status_badge(update.status), mark_safe(gettext("confirmed, unchanged"))
        )
    else:
        move = format_html(
            '{} <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> {}',
            status_badge(update.previous_status),
            mark_safe(gettext("changed to")),
            status_badge(update.status),
        )
    role = ""
    if update.author_role:
        by = gettext("by a %(role)s") % {"role": conditional_escape(update.get_author_role_display())}
        role = format_html('<span class="muted">({})</span>', mark_safe(by))
    rationale = format_html('<p class="rationale" dir="auto">{}</p>', update.rationale) if update.rationale else ""
    evidence = ""
    if update.public_evidence:
        links = mark_safe("; ".join(_evidence_link(item) + "\n" for item in update.public_evidence))
        evidence = format_html('<p class="muted">{} {}</p>', mark_safe(gettext("Evidence:")), links)
    return format_html(
        '<li>\n  <p class="change-head">{}\n  {}\n  · {}</p>\n  <p>{}:\n    {}\n    {}</p>\n  {}\n  {}\n</li>\n',
        time_element(update.effective_date, "DATE_FORMAT"),
        state,
        _item_link(implementation),
        track,
        move,
        role,
        rationale,
        evidence,
    )


@register.simple_tag
def change_item(update, show_state=False) -> str:
    """`{% change_item update %}`: one entry of a public history (`_change`)."""
    return _change(update, show_state=show_state)


@register.simple_tag(takes_context=True)
def latest_changes(context, updates) -> list:
    """The dashboard's latest status changes (`_change`, with their state), each kept under its
    state's scope: every write retires the dashboard, and the changes it lists before were written
    in other states, or are in the cache already."""
    return _by_state(
        context,
        updates,
        lambda update: _change(update, show_state=True),
        lambda update: update.implementation.state.iso2,
        ["with-state"],
    )


def _state_row(state, observer: str) -> str:
    """One row of the state list, built here rather than by a template (195 a page); `observer`:
    "observer State", translated once a table."""
    marker = format_html(' <span class="muted">({})</span>', observer) if state.membership == "observer" else ""
    return format_html(
        '<tr>\n    <th scope="row"><a href="{}">{}</a>{}</th>\n    <td>{}</td>\n    <td class="num">{}</td>\n'
        '    <td class="num">{}</td>\n    <td class="num">{}</td>\n    <td>{}</td>\n  </tr>',
        state.get_absolute_url(),
        state.localized_name,
        marker,
        display(state, "regional_group"),
        state.commitments_reported,
        state.commitments_implemented,
        state.public_evidence,
        time_element(state.last_update) or "—",
    )


@register.simple_tag(takes_context=True)
def state_rows(context, states) -> list:
    """The state list's rows (`_state_row`), each kept under its state's scope: every write retires
    the list (it shows the aggregates), and a write changes one state's row."""
    observer = gettext("observer State")
    return _by_state(
        context, states, lambda state: _state_row(state, observer), lambda state: state.iso2, ["state-list"]
    )
