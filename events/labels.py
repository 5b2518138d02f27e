"""The names of the process's phases, translated through the interface's catalogs (they head the
events pages as labels; the phases' descriptions stay in the sources' words). See
recommendations/labels.py for how labels stored as data are translated."""

from django.utils.translation import gettext, gettext_noop

PHASE_NAMES = [
    gettext_noop("Phase I – Consultations"),
    gettext_noop("Phase II – Stocktaking"),
    gettext_noop("Phase III – Intergovernmental negotiations"),
]


def translated(value: str) -> str:
    return gettext(value) if value else value
