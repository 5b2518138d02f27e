"""Where an event's listings disagree, and the checks the seed loader runs on listings.

Two listings differ on the date when their bounds or tentative flags differ ("2-3 October 2017"
against "3-4 October"; "August 2017" against "30-31 August"); on the place, organiser or title
when both give one and neither contains the other once case, punctuation and spacing are set
aside ("Geneva" and "United Nations Office, Geneva" agree; "Beirut" and "TBA" do not;
"diaspora" and "diasporas" do not). A listing silent on a fact does not disagree about it.
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from .dates import contradiction

ASPECTS = {
    "date": _("date"),
    "place": _("place"),
    "organiser": _("organiser"),
    "title": _("title"),
}


def _words(text):
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def _texts_differ(a, b):
    a, b = _words(a), _words(b)
    if not a or not b:
        return False
    return a not in b and b not in a


def differences(listings) -> list[str]:
    """The aspects (keys of ASPECTS, in that order) on which any two of the listings differ."""
    listings = list(listings)
    found = set()
    for i, first in enumerate(listings):
        for second in listings[i + 1 :]:
            if (first.start_date, first.end_date, first.tentative) != (
                second.start_date,
                second.end_date,
                second.tentative,
            ):
                found.add("date")
            if _texts_differ(first.place, second.place) or (
                first.place and second.place and first.place_tentative != second.place_tentative
            ):
                found.add("place")
            if _texts_differ(first.organiser, second.organiser):
                found.add("organiser")
            if _texts_differ(first.title, second.title):
                found.add("title")
    return [aspect for aspect in ASPECTS if aspect in found]


def aspect_labels(differs_on: str) -> list:
    return [ASPECTS[key] for key in differs_on.split(",") if key in ASPECTS]


def refresh_disagreements(events=None) -> int:
    """Store on each event whether (and on what) its listings differ; returns how many differ."""
    from .models import Event

    events = Event.objects.all() if events is None else events
    changed = []
    differing = 0
    for event in events.prefetch_related("listings"):
        aspects = differences(event.listings.all())
        differing += bool(aspects)
        value = ",".join(aspects)
        if (event.sources_differ, event.differs_on) != (bool(aspects), value):
            event.sources_differ, event.differs_on = bool(aspects), value
            changed.append(event)
    Event.objects.bulk_update(changed, ["sources_differ", "differs_on"], batch_size=200)
    return differing


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def check_listing_records(records) -> list[tuple[object, str]]:
    """(record, problem) for fixture records whose dates contradict their wording, or events whose
    bounds do not cover one of their listings. Records are seeding.Record objects."""
    problems = []
    events = {}
    for record in records:
        if record.model == "events.event":
            events[record.key[0]] = record
    for record in records:
        if record.model not in ("events.event", "events.eventlisting"):
            continue
        fields = record.fields
        if record.model == "events.event" and "date_text" not in fields:
            continue
        start, end = _date(fields.get("start_date")), _date(fields.get("end_date"))
        exact = record.model == "events.eventlisting"
        problem = contradiction(
            fields.get("date_text", ""),
            start,
            end,
            fields.get("date_precision", "unknown"),
            bool(fields.get("tentative")),
            exact=exact,
        )
        if problem:
            problems.append((record, problem))
            continue
        if record.model == "events.eventlisting":
            event = events.get(record.key[0])
            if event is None or start is None:
                continue
            event_start, event_end = _date(event.fields.get("start_date")), _date(event.fields.get("end_date"))
            if event_start is None or event_end is None or event_start > start or event_end < end:
                problems.append(
                    (
                        record,
                        f"the listing runs {start} to {end}, outside its event's bounds "
                        f"({event.describe()}: {event_start} to {event_end})",
                    )
                )
    return problems
