"""Writes of the events' records (phases, events, their listings per source, sessions,
participants, documents) as the admin edits them.

Events are tracked data: they are the tracker's public timeline, loaded with the reference data
by the same service (`reference.load_fixtures`), and recommendations and review cycles point at
them. So their writes go through this service layer like every other tracked row, with the same
permission rule (`permissions.RECORD_WRITERS`: administrators) and a change record per row
(`records`). What an event's listings decide (whether the sources differ, and on what) is
recomputed in the same transaction and recorded as a change of the event.
"""

from events.listings import refresh_disagreements
from events.models import Event

from . import changes
from .context import service
from .records import record_delete, record_save


def _event_ids(instances) -> set[int]:
    ids = set()
    for instance in instances:
        if isinstance(instance, Event):
            ids.add(instance.pk)
        elif getattr(instance, "event_id", None):
            ids.add(instance.event_id)
    return {pk for pk in ids if pk is not None}


def _refresh(actor, event_ids) -> None:
    """Recompute where these events' listings differ, recording each event that changed."""
    events = list(Event.objects.filter(pk__in=event_ids))
    before = {event.pk: changes.snapshot(event) for event in events}
    refresh_disagreements(Event.objects.filter(pk__in=event_ids))
    for event in Event.objects.filter(pk__in=event_ids):
        changes.record(actor=actor, instance=event, before=before[event.pk])


@service
def event_record_save(*, actor, instance, save_m2m=None, formsets=()):
    """Save an event's record with its inline rows (as `records.record_save`), then recompute its
    listings' disagreements."""
    record_save(actor=actor, instance=instance, save_m2m=save_m2m, formsets=formsets)
    _refresh(actor, _event_ids([instance]))
    return instance


@service
def event_record_delete(*, actor, instances) -> int:
    """Delete events' records (as `records.record_delete`); the events that remain are refreshed."""
    instances = list(instances)
    event_ids = _event_ids(instances)
    count = record_delete(actor=actor, instances=instances)
    _refresh(actor, event_ids)
    return count
