"""Importing a reference data fixture (JSON or YAML, as in fixtures/) with `seeding`, and telling
which of its records would be created, changed or left alone."""

import json
import re
import tempfile
from pathlib import Path, PurePath

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import seeding
from .report import FIXTURE_SUFFIXES, Action, ImportRefused


def import_fixture(report, data: bytes, user, apply):
    """Load reference data with `seeding` (validated, one transaction). Which records would be
    created, changed or left alone is found by comparing natural keys and fields with the database."""
    name = PurePath(report.filename).name
    if PurePath(name).suffix.lower() not in FIXTURE_SUFFIXES:
        raise ImportRefused(_("Upload a fixture as .json, .yaml or .yml."))
    safe_name = re.sub(r"[^\w.-]", "_", name)
    with tempfile.TemporaryDirectory(prefix="gcm-import-") as folder:
        path = Path(folder) / safe_name
        path.write_bytes(data)
        try:
            records = seeding.read_records(path)
            seeding.check_records(records)
        except seeding.FixtureError as exc:
            raise ImportRefused(str(exc)) from None
        for record in records:
            action = _fixture_action(record)
            report.add(record.index + 1, action, f"{record.model} {', '.join(str(p) for p in record.key)}")
        with transaction.atomic():
            try:
                seeding.seed([path], verbosity=0, actor=user)
            except seeding.FixtureError as exc:
                report.error(None, "file", str(exc))
            if not (apply and report.ok):
                transaction.set_rollback(True)


def _fixture_action(record) -> str:
    model = apps.get_model(record.model)
    try:
        existing = model._default_manager.get_by_natural_key(*record.key)
    except model.DoesNotExist:
        return Action.CREATE
    stored = json.loads(
        serializers.serialize("json", [existing], use_natural_foreign_keys=True, use_natural_primary_keys=True)
    )[0]["fields"]
    for name, value in record.fields.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            same = sorted(map(_natural, value or [])) == sorted(map(_natural, stored.get(name) or []))
        elif model_field.is_relation:
            same = _natural(value) == _natural(stored.get(name))
        else:
            try:
                same = model_field.to_python(value) == model_field.to_python(stored.get(name))
            except ValidationError:
                same = False
        if not same:
            return Action.UPDATE
    return Action.UNCHANGED


def _natural(value):
    """A natural key as written in a fixture ("FR", ["FR"] or ["event", 2]) in one comparable form."""
    if isinstance(value, (list, tuple)):
        return tuple(str(part) for part in value)
    return (str(value),) if value is not None else None
