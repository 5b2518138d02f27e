"""Template filters for long tables, where a cell's cost is paid 195 times a page.

`{% load tables %}` then:

- `{{ implementation|display:"position" }}`: what `implementation.get_position_display` gives;
- `{{ implementation.last_reviewed|time_element }}`: `<time datetime="2024-05-01">1 May 2024</time>`,
  or nothing for no date; a format name as argument for another format (`"DATE_FORMAT"`);
- `{% implementation_rows implementations as rows %}`: the implementation table's rows, each
  rendered once and kept under its state's scope (`gcmtracker.cache.fragments`).

Both give what Django's own would, once per language instead of once per cell: `get_FOO_display`
rebuilds a hashable copy of the field's choices on every call and the `date` filter parses its
format on every call, which on a page with a row per state was a third of the rendering time.
"""

import datetime
from functools import cache, lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from gcmtracker import scopes
from gcmtracker.cache import fragments
from recommendations.models import Implementation

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


def _by_state(context, objects, template_name, state_of, vary, values_of) -> list:
    """Each object rendered by `template_name` (with `values_of(object)` in the context), kept in the
    shared cache under the scope of its state (`state_of(object)`, an ISO code), read for all of
    them in one round trip (`gcmtracker.cache.fragments`); `vary`: what else the markup depends
    on. Rendered every time where the page could not be cached (staff, the cache off, a write
    pending) and on pages "as of" a date."""
    template = context.template.engine.get_template(template_name)
    objects = list(objects)
    by_pk = {o.pk: o for o in objects}

    def render(pk):
        with context.push(**values_of(by_pk[pk])):
            return template.render(context)

    request = context.get("request")
    if request is None or context.get("as_of"):
        return [render(o.pk) for o in objects]
    rendered = fragments(request, {o.pk: ([scopes.state(state_of(o))], vary) for o in objects}, render)
    return [mark_safe(rendered[o.pk]) for o in objects]  # markup the template above rendered


@register.simple_tag(takes_context=True)
def implementation_rows(context, implementations) -> list:
    """The rows of `recommendations/_implementation_table.html`, one markup string per implementation,
    each kept under its state's scope: when a write in one state retires a commitment's page, the
    other states' rows come back from the cache instead of being rendered again."""
    page_state = context.get("state")

    def state_of(i):
        return (i.state if Implementation.state.is_cached(i) else page_state).iso2

    # What a row's markup depends on besides its state's facts: its columns and, for the links to
    # the page's own evidence list, the page's query string.
    vary = [bool(context.get("item_column")), bool(context.get("local_evidence"))]
    if context.get("local_evidence") and context.get("request"):
        vary.append(context["request"].GET.urlencode())
    template = "recommendations/_implementation_row.html"
    return _by_state(context, implementations, template, state_of, vary, lambda i: {"i": i})


@register.simple_tag(takes_context=True)
def evidence_items(context, evidence, side: str) -> list:
    """The published evidence list's items (`recommendations/_evidence_item.html`), each kept under
    its state's scope like the table rows. `side`: "state" names each item's state (a commitment's
    page), "item" the commitment or recommendation it is about (a state's page)."""
    if side == "state":
        return _by_state(
            context,
            evidence,
            "recommendations/_evidence_item.html",
            lambda item: item.implementation.state.iso2,
            [side],
            lambda item: {"item": item, "from_state": item.implementation.state},
        )
    return _by_state(
        context,
        evidence,
        "recommendations/_evidence_item.html",
        lambda item: context["state"].iso2,
        [side],
        lambda item: {"item": item, "about": item.implementation},
    )


@register.simple_tag(takes_context=True)
def latest_changes(context, updates) -> list:
    """The dashboard's latest status changes (`recommendations/_change.html`, with their state),
    each kept under its state's scope: every write retires the dashboard, and the changes it
    lists before were written in other states, or are in the cache already."""
    return _by_state(
        context,
        updates,
        "recommendations/_change.html",
        lambda update: update.implementation.state.iso2,
        ["with-state"],
        lambda update: {"update": update, "show_state": True},
    )


@register.simple_tag(takes_context=True)
def state_rows(context, states) -> list:
    """The state list's rows (`recommendations/_state_row.html`), each kept under its state's
    scope: every write retires the list (it shows the aggregates), and a write changes one
    state's row."""
    return _by_state(
        context,
        states,
        "recommendations/_state_row.html",
        lambda state: state.iso2,
        ["state-list"],
        lambda state: {"state": state},
    )
