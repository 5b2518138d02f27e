"""Template filters for long tables, where a cell's cost is paid 195 times a page.

`{% load tables %}` then:

- `{{ implementation|display:"position" }}`: what `implementation.get_position_display` gives;
- `{{ implementation.last_reviewed|time_element }}`: `<time datetime="2024-05-01">1 May 2024</time>`,
  or nothing for no date; a format name as argument for another format (`"DATE_FORMAT"`);
- `{% implementation_rows implementations as rows %}`, `{% evidence_items evidence "state" as items %}`,
  `{% latest_changes changes as items %}`: the long lists' rows, each kept under its state's scope
  (`gcmtracker.cache.fragments`); `{% state_rows states as rows %}`, the state list's, built every time;
- `{% change_item update %}`: one entry of a public history; `{% history_entries history as items %}`:
  a page of a state's history, each entry kept under the state's `history` facet.

- `{% recommendation_items recommendations show_source=True %}`: a list of recommendations;
- `{% event_items events %}`: the dashboard's lists of events;
- `{% status_count_rows rows as items %}`: the rows of the commitments' status counts table.

The filters give what Django's own would, once per language instead of once per cell:
`get_FOO_display` rebuilds a hashable copy of the field's choices on every call and the `date`
filter parses its format on every call, which on a page with a row per state was a third of the
rendering time. The rows' markup is built in Python (`markup.py`), not by a template each.
"""

from django import template
from django.template.defaulttags import querystring
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from gcmtracker import scopes
from gcmtracker.cache import Parts, RowsByKey, fragments
from recommendations.models import Implementation, State

from .markup import (
    _change,
    _event_item,
    _evidence_item,
    _implementation_row,
    _recommendation_item,
    _state_row,
    _status_count_row,
    display,
    state_row_words,
    time_element,
)

register = template.Library()
register.filter("display", display)
register.filter("time_element", time_element)


def _by_state(context, objects, render_one, state_of, vary) -> list:
    """Each object's markup (`render_one(object)`), kept in the shared cache under the scope of its
    state (`state_of(object)`, an ISO code), read for all of them in one round trip
    (`gcmtracker.cache.fragments`); `vary`: what else the markup depends on. Rendered every time
    where the page could not be cached (staff, the cache off, a write pending) and on pages "as
    of" a date. When the objects are `RowsByKey`, each is kept under its state's `rows` facet and
    its version, and only those whose markup is not in the cache are read from the database."""
    request = context.get("request")
    keyed = getattr(objects, "object_list", objects)
    if isinstance(keyed, RowsByKey):  # only the rows whose markup the cache misses are read
        return [mark_safe(markup) for markup in keyed.render(request, vary, render_one, keep=not context.get("as_of"))]
    objects = list(objects)
    by_pk = {o.pk: o for o in objects}
    if request is None or context.get("as_of"):
        return [render_one(o) for o in objects]
    rendered = fragments(
        request, {o.pk: ([scopes.state(state_of(o))], vary) for o in objects}, lambda pk: render_one(by_pk[pk])
    )
    return [mark_safe(rendered[o.pk]) for o in objects]  # markup rendered by render_one


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


@register.simple_tag
def change_item(update, show_state=False) -> str:
    """`{% change_item update %}`: one entry of a public history (`_change`)."""
    return _change(update, show_state=show_state)


@register.simple_tag(takes_context=True)
def history_entries(context, history) -> list:
    """The entries of a page of a state's history (`public.history.HistoryPage`): a status update
    (`_change`) or a public change record (`_record.html`), each kept under the state's `history`
    facet. An entry never changes once written, but for the public evidence it links, and
    publishing or unpublishing evidence touches the state's whole scope; a status write leaves the
    entries cached, and only the page's keys and the entries the cache misses are read."""
    request, state = context.get("request"), context["state"]
    facet = scopes.facet(scopes.state(state.iso2), "history")
    parts = Parts(request, {key: ([facet], ["history"]) for key in history.keys}, keep=not context.get("as_of"))
    loaded = history.entries([key for key in history.keys if key not in parts])

    def render(key):
        entry = loaded[key]
        if entry.entry_kind == "change":
            return render_to_string("recommendations/_record.html", {"record": entry})
        return _change(entry, show_state=False)

    return parts.render_all([key for key in history.keys if key in parts or key in loaded], render)


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


@register.simple_tag(takes_context=True)
def state_rows(context, states) -> list:
    """The state list's rows (`_state_row`), built every time: 195 of them cost less to build
    (about 1.8 ms) than to fetch from the shared cache (about 5 ms for their keys, versions and
    markup), so they are no longer kept as fragments under their states' scopes."""
    words = state_row_words(State)
    return [_state_row(state, words) for state in states]


@register.simple_tag
def recommendation_items(recommendations, show_source=False, numbered=False) -> str:
    """`{% recommendation_items recommendations show_source=True %}`: the items of a list of
    recommendations (`_recommendation_item`), their sub-items (`nested`) inside them."""
    words = {
        "language": get_language() or "en",
        "made_at": mark_safe(gettext("made at")),
        "list_url": reverse("recommendations:recommendation-list"),
        "editorial_title": mark_safe(gettext("added by the secretariat, not from the source documents")),
        "themes": mark_safe(gettext("Themes (editorial):")),
        "commitments": mark_safe(gettext("Commitments:")),
        "details": mark_safe(gettext("Details")),
    }
    return mark_safe(
        "".join(
            _recommendation_item(r, show_source=show_source, numbered=numbered, words=words) for r in recommendations
        )
    )


@register.simple_tag
def event_items(events) -> str:
    """`{% event_items events %}`: the items of the dashboard's lists of events (`_event_item`)."""
    return mark_safe("".join(_event_item(event) for event in events))  # escaped by _event_item


@register.simple_tag
def status_count_rows(rows) -> list:
    """The rows of `includes/_status_counts_table.html` (`_status_count_row`), one a commitment."""
    return [_status_count_row(row) for row in rows]
