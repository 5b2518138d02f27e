"""`reverse()` for the URLs that name one item by its code: fast enough for a page that links to
hundreds of states, recommendations or documents.

Django's `reverse()` costs some 13 µs a call; a commitment page made 500 of them. Here the URL is
reversed once per language, script prefix and URLconf with a placeholder, and each code is put in
its place. Codes are ISO codes and slugs, which never need quoting.
"""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_PLACEHOLDER = "XX"  # matches the str and slug converters


@cache
def _around_code(viewname: str, language: str | None, script_prefix: str, urlconf: str) -> tuple[str, str]:
    before, _code, after = reverse(viewname, args=[_PLACEHOLDER], urlconf=urlconf).rpartition(_PLACEHOLDER)
    return before, after


def reverse_code(viewname: str, code: str) -> str:
    """What `reverse(viewname, args=[code])` gives, for a view with one str or slug argument."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _around_code(viewname, get_language(), get_script_prefix(), urlconf)
    return f"{before}{code}{after}"


def code_reverser(viewname: str):
    """`reverse_code` for one view, with the language, script prefix and URLconf read once: a
    function of the code, for a table that links each of its rows (the state list's 195)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _around_code(viewname, get_language(), get_script_prefix(), urlconf)
    return lambda code: f"{before}{code}{after}"
