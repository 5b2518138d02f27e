"""Load the source fixtures: validate every record first, then write everything in one transaction.

Django's `loaddata` already resolves natural keys (so loading twice updates rather than
duplicates) and runs in a transaction, but it accepts a key repeated in two records (the second
silently wins) and reports a missing reference without saying which record held it. This module
checks those first and names the file and the record; nothing is written unless all is well.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from events.listings import check_listing_records, refresh_disagreements
from gcmtracker import limits

from .. import services
from ..services.reference import FixtureError, create_commitment_grid  # noqa: F401 (part of this module's surface)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# The fields each model's natural key is made of, in natural_key() order.
NATURAL_KEY_FIELDS = {
    "recommendations.state": ("iso2",),
    "recommendations.sdgtarget": ("code",),
    "recommendations.theme": ("slug",),
    "recommendations.commitment": ("number",),
    "recommendations.commitmentaction": ("commitment", "number"),
    "recommendations.recommendation": ("code",),
    "events.phase": ("slug",),
    "events.document": ("slug",),
    "events.event": ("slug",),
    "events.eventsession": ("event", "order"),
    "events.participant": ("event", "order"),
    "events.eventlisting": ("event", "order"),
    "events.participantlisting": ("participant", "order"),
}


@dataclass(frozen=True)
class Record:
    path: Path
    index: int
    model: str
    fields: dict

    @property
    def key(self):
        return tuple(_flatten(self.fields.get(name)) for name in NATURAL_KEY_FIELDS[self.model])

    def describe(self):
        shown = ", ".join(str(part) for part in self.key)
        return f"{self.path.name}, record {self.index + 1} ({self.model} {shown})"


def _flatten(value):
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return tuple(value) if isinstance(value, list) else value


# Files other files refer to load first. A reference to a row not yet loaded is deferred by
# loaddata and inserted as NULL first, which a CHECK constraint (rightly) refuses.
LOAD_FIRST = ("states.json", "events_003.json", "issue_brief.json")


def fixture_paths(directory: Path = FIXTURES_DIR) -> list[Path]:
    paths = [p for p in directory.iterdir() if p.suffix in {".json", ".yaml", ".yml"}]
    rank = {name: i for i, name in enumerate(LOAD_FIRST)}
    return sorted(paths, key=lambda p: (rank.get(p.name, len(rank)), p.name))


def read_records(path: Path) -> list[Record]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        # Nesting and YAML aliases are limited while parsing (gcmtracker.limits): a deep or
        # "billion laughs" file is refused before it costs seconds and memory.
        data = limits.load_json(text) if path.suffix == ".json" else limits.load_yaml(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(f"{path.name}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path.name}: malformed YAML: {exc}") from exc
    except limits.LimitExceeded as exc:
        raise FixtureError(f"{path.name}: {exc}") from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise FixtureError(f"{path.name}: unreadable value: {exc}") from exc
    if not isinstance(data, list):
        raise FixtureError(f"{path.name}: a fixture must be a list of records")
    records = []
    for index, raw in enumerate(data):
        where = f"{path.name}, record {index + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict) or "model" not in raw:
            raise FixtureError(f'{where}: each record needs "model" and "fields"')
        label = str(raw["model"]).lower()
        if label not in NATURAL_KEY_FIELDS:
            raise FixtureError(f"{where}: {raw['model']} cannot be loaded from fixtures")
        if "pk" in raw:
            raise FixtureError(f'{where}: records are identified by natural keys; remove "pk"')
        model = apps.get_model(label)
        known = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
        unknown = sorted(set(raw["fields"]) - known)
        if unknown:
            raise FixtureError(f"{where}: {label} has no field {', '.join(unknown)}")
        records.append(Record(path, index, label, raw["fields"]))
    return records


def check_records(records: list[Record]) -> None:
    """Refuse repeated keys and references to rows that neither the files nor the database hold."""
    seen: dict[tuple, Record] = {}
    for record in records:
        if any(part is None for part in record.key):
            raise FixtureError(f"{record.describe()}: the natural key is incomplete")
        previous = seen.setdefault((record.model, record.key), record)
        if previous is not record:
            raise FixtureError(f"{record.describe()}: repeats the key of {previous.describe()}")
    for record in records:
        model = apps.get_model(record.model)
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete or field.many_to_many) or field.name not in record.fields:
                continue
            value = record.fields[field.name]
            targets = value if field.many_to_many else [value]
            for target in targets or ():
                if target is None:
                    continue
                _check_reference(record, field, target, seen)


def _check_reference(record: Record, field: models.Field, target, seen: dict) -> None:
    related = field.related_model._meta.label_lower
    key = tuple(target) if isinstance(target, list) else (target,)
    if (related, key) in seen:
        return
    try:
        field.related_model._default_manager.get_by_natural_key(*key)
    except (field.related_model.DoesNotExist, TypeError, ValueError) as exc:
        shown = ", ".join(str(part) for part in key)
        message = f"{record.describe()}: {field.name} refers to {related} {shown}, which does not exist"
        raise FixtureError(message) from exc


def make_room_for_moved_items(records: list[Record]):
    """What to run before loading: an item the files move to another place in its document (an
    item inserted before it) first steps aside, so that rows updated one by one never meet the
    unique (document, order) of a row not yet updated. Every moved row is then written again
    with its new order; an item nothing moves is not touched (a second seed changes nothing)."""
    wanted = {
        record.fields["code"]: record.fields.get("order")
        for record in records
        if record.model == "recommendations.recommendation" and "code" in record.fields
    }

    def step_aside():
        Recommendation = apps.get_model("recommendations", "Recommendation")
        moved = [
            pk
            for pk, code, order in Recommendation.objects.filter(code__in=wanted).values_list("pk", "code", "order")
            if wanted[code] != order
        ]
        top = Recommendation.objects.aggregate(top=models.Max("order"))["top"] or 0
        for offset, pk in enumerate(moved, start=1):  # above every order in use: no two rows meet
            Recommendation.objects.filter(pk=pk).update(order=top + offset)

    return step_aside


def seed(paths: Iterable[Path] | None = None, *, verbosity: int = 1, actor=None) -> int:
    """Validate then load the fixtures and complete the commitment grid, all or nothing (the
    writing is `services.load_fixtures`)."""
    paths = list(paths) if paths is not None else fixture_paths()
    records = [record for path in paths for record in read_records(path)]
    with transaction.atomic():
        check_records(records)
        for record, problem in check_listing_records(records):
            raise FixtureError(f"{record.describe()}: {problem}")
        labels = {record.model for record in records}
        return services.load_fixtures(
            paths=paths,
            models=labels,
            actor=actor,
            verbosity=verbosity,
            before_load=make_room_for_moved_items(records),
            after_load=refresh_disagreements,
        )
