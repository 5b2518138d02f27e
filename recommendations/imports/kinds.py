"""The importers of the spreadsheet kinds, one function each: check every row with `cells.Rows`,
then write through `services`. Status rows go to the bulk form of `implementation_set_status`;
implementations, evidence and measurements make a service call per row."""

import decimal
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions, services
from ..choices import EvidenceKind, MigratoryStatus, Position, Sex, Status, Track
from ..models import Evidence, Indicator, Measurement, ReviewCycle, StatusUpdate
from ..staff import notifications
from .cells import Rows, failed, parse_date
from .report import Action, Kind

# --- Status updates --------------------------------------------------------------------------


def _import_status_updates(report, rows, user, apply):
    check = Rows(report, rows, user)
    evidence_urls = {}
    if any(values.get("evidence_urls") for _n, values in rows):
        ids = [implementation.pk for implementation in check.implementations.values()]
        for item in Evidence.objects.filter(implementation_id__in=ids).exclude(url=""):
            evidence_urls[(item.implementation_id, item.url)] = item
    dates = [date for _n, values in rows if (date := parse_date(values.get("effective_date", "")))]
    recorded = set()
    if check.implementations and dates:
        recorded = set(
            StatusUpdate.objects.filter(
                implementation_id__in=[i.pk for i in check.implementations.values()],
                effective_date__range=(min(dates), max(dates)),
            ).values_list("implementation_id", "track", "status", "effective_date", "comment")
        )
    changes, change_rows = [], []
    for row, values in report.counting(rows):
        since = len(report.errors)
        implementation = check.implementation(row, values)
        track = check.choice(row, values, "track", Track, default=Track.REPORTED)
        status = check.choice(row, values, "status", Status)
        effective_date = check.date(row, values, "effective_date")
        comment = check.required(row, values, "comment")
        if implementation and track and not permissions.can_set_track(user, implementation, track):
            check.error(row, "track", _("Only the secretariat sets the assessed status."))
        evidence = []
        for url in values.get("evidence_urls", "").split():
            item = evidence_urls.get((getattr(implementation, "pk", None), url))
            if item is None:
                check.error(row, "evidence_urls", _("No evidence of this item has the URL %(url)s.") % {"url": url})
            evidence.append(item)
        if failed(report, since) or not check.unique(row, (implementation.pk, track, effective_date)):
            continue
        label = f"{values['state'].upper()} {check.item(values)} · {track}: {status} ({effective_date})"
        if (implementation.pk, track, status, effective_date, comment) in recorded:
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE, label)
        change_rows.append(row)
        changes.append(
            services.StatusChange(
                implementation=implementation,
                status=status,
                comment=comment,
                rationale=values.get("rationale", ""),
                track=track,
                evidence=tuple(evidence),
                effective_date=effective_date,
            )
        )
    if not changes:
        return
    if not apply or not report.ok:  # the service's own checks too, so the preview lists every error
        errors = services.implementation_status_changes_check(changes=changes, actor=user)
        _report_service_errors(report, change_rows, errors)
        return
    try:
        services.implementation_set_status_bulk(changes=changes, actor=user)
    except services.BulkStatusError as exc:
        _report_service_errors(report, change_rows, exc.errors)


# The service names the argument at fault; the sheet calls some of them differently.
_SERVICE_FIELDS = {"permission": "state", "evidence": "evidence_urls"}


def _report_service_errors(report, change_rows, errors):
    for index, found in sorted(errors.items()):
        for name, message in found.items():
            report.error(change_rows[index], _SERVICE_FIELDS.get(name, name), message)


# --- Implementations, evidence, measurements: a service call per row -------------------------


def _write_rows(report, writes: list[tuple[int, Callable]], apply: bool) -> None:
    """Run each row's service call in its own savepoint, so every refusal is reported, then keep
    it all (applying, no errors) or roll it all back (a dry run, or any error)."""
    if not writes:
        return
    with transaction.atomic():
        for row, write in writes:
            try:
                with transaction.atomic():
                    write()
            except ValidationError as exc:
                for name, messages in _message_dict(exc).items():
                    for message in messages:
                        report.error(row, "" if name == "__all__" else name, message)
            except PermissionDenied as exc:
                report.error(row, "state", str(exc))
        if not (apply and report.ok):
            transaction.set_rollback(True)


def _message_dict(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _import_implementations(report, rows, user, apply):
    check = Rows(report, rows, user)
    columns = set(rows[0][1]) if rows else set()
    usernames = {values.get("owner") for _n, values in rows} - {"", None}
    owners = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    assigned = {}
    writes = []
    for row, values in report.counting(rows):
        since = len(report.errors)
        implementation = check.implementation(row, values)
        due_date = check.date(row, values, "due_date", required=False)
        position = check.choice(row, values, "position", Position, default=Position.NO_RESPONSE)
        owner = owners.get(values.get("owner", ""))
        if values.get("owner") and owner is None:
            check.error(row, "owner", _("There is no user “%(name)s”.") % {"name": values["owner"]})
        if failed(report, since) or not check.unique(row, implementation.pk):
            continue
        # A column left out keeps what is recorded; a cell left empty clears it.
        wanted = {
            "owner_id": owner.pk if owner else None,
            "lead_agency": values.get("lead_agency", ""),
            "due_date": due_date,
            "position": position,
        }
        for name, column in (("owner_id", "owner"), ("lead_agency", "lead_agency"), ("due_date", "due_date")):
            if column not in columns:
                wanted[name] = getattr(implementation, name)
        if "position" not in columns:
            wanted["position"] = implementation.position
        label = f"{values['state'].upper()} {check.item(values)}"
        if all(getattr(implementation, name) == value for name, value in wanted.items()):
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.UPDATE, label)
        arguments = {
            "implementation": implementation,
            "owner": owner if "owner" in columns else implementation.owner,
            "lead_agency": wanted["lead_agency"],
            "due_date": wanted["due_date"],
            "position": wanted["position"],
        }
        if "owner" in columns and owner is not None and owner.pk != implementation.owner_id:
            assigned.setdefault(owner.pk, (owner, []))[1].append(implementation)
        writes.append(
            (row, lambda arguments=arguments: services.implementation_assign(actor=user, notify=False, **arguments))
        )
    _write_rows(report, writes, apply)
    if apply and report.ok:
        # One email per new owner for all their rows, not one per row.
        for owner, items in assigned.values():
            notifications.notify_assignments(owner=owner, implementations=items, actor=user)


def _import_evidence(report, rows, user, apply):
    check = Rows(report, rows, user)
    ids = [implementation.pk for implementation in check.implementations.values()]
    recorded = set(Evidence.objects.filter(implementation_id__in=ids).values_list("implementation_id", "url"))
    writes = []
    for row, values in report.counting(rows):
        since = len(report.errors)
        implementation = check.implementation(row, values)
        kind = check.choice(row, values, "kind", EvidenceKind)
        title = check.required(row, values, "title")
        url = check.required(row, values, "url")
        date = check.date(row, values, "date", required=False)
        if failed(report, since) or not check.unique(row, (implementation.pk, url)):
            continue
        label = f"{values['state'].upper()} {check.item(values)} · {url}"
        if (implementation.pk, url) in recorded:
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE, label)
        arguments = {
            "implementation": implementation,
            "title": title,
            "kind": kind,
            "url": url,
            "date": date,
            "description": values.get("description", ""),
        }
        writes.append((row, lambda arguments=arguments: services.evidence_add(actor=user, **arguments)))
    _write_rows(report, writes, apply)


def _import_measurements(report, rows, user, apply):
    check = Rows(report, rows, user)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={v.get("indicator") for _n, v in rows})}
    cycles = {c.slug: c for c in ReviewCycle.objects.filter(slug__in={v.get("review_cycle") for _n, v in rows})}
    recorded = {}
    for m in Measurement.objects.filter(indicator__in=indicators.values()):
        key = (m.indicator_id, m.state_id, m.date, m.sex, m.age_group, m.migratory_status)
        recorded[key] = (m.value, m.review_cycle_id, m.source)
    writes = []
    for row, values in report.counting(rows):
        since = len(report.errors)
        state = check.state(row, values, may_edit=permissions.can_enter_measurement)
        indicator = indicators.get(values.get("indicator", ""))
        if indicator is None:
            check.error(row, "indicator", _("There is no indicator “%(code)s”.") % {"code": values.get("indicator")})
        date = check.date(row, values, "date")
        try:
            value = decimal.Decimal(values.get("value", "").replace(",", "."))
            if not value.is_finite():
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            check.error(row, "value", _("“%(value)s” is not a number.") % {"value": values.get("value", "")})
        sex = check.choice(row, values, "sex", Sex, default=Sex.TOTAL)
        migratory_status = check.choice(row, values, "migratory_status", MigratoryStatus, default=MigratoryStatus.ALL)
        cycle = cycles.get(values.get("review_cycle", ""))
        if values.get("review_cycle") and cycle is None:
            message = _("There is no review cycle “%(slug)s”.") % {"slug": values["review_cycle"]}
            check.error(row, "review_cycle", message)
        if failed(report, since):
            continue
        age_group = values.get("age_group", "")
        key = (indicator.pk, state.pk, date, sex, age_group, migratory_status)
        if not check.unique(row, key):
            continue
        label = f"{state.iso2} {indicator.code} {date}: {value}"
        source = values.get("source", "")
        held = recorded.get(key)
        if held == (value, cycle.pk if cycle else None, source):
            report.add(row, Action.UNCHANGED, label)
            continue
        report.add(row, Action.CREATE if held is None else Action.UPDATE, label)
        arguments = {
            "indicator": indicator,
            "state": state,
            "date": date,
            "value": value,
            "sex": sex,
            "age_group": age_group,
            "migratory_status": migratory_status,
            "review_cycle": cycle,
            "source": source,
        }
        writes.append((row, lambda arguments=arguments: services.measurement_save(actor=user, **arguments)))
    _write_rows(report, writes, apply)


IMPORTERS = {
    Kind.STATUS_UPDATES: _import_status_updates,
    Kind.IMPLEMENTATIONS: _import_implementations,
    Kind.EVIDENCE: _import_evidence,
    Kind.MEASUREMENTS: _import_measurements,
}
