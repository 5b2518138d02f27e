"""Template filters for long tables, where a cell's cost is paid 195 times a page.

`{% load tables %}` then:

- `{{ implementation|display:"position" }}`: what `implementation.get_position_display` gives;
- `{{ implementation.last_reviewed|time_element }}`: `<time datetime="2024-05-01">1 May 2024</time>`,
  or nothing for no date; a format name as argument for another format (`"DATE_FORMAT"`).

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
from django.utils.translation import get_language

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
