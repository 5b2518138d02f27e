"""The bulk status service the importer uses keeps the single-row rules: it refuses and writes
exactly what `implementation_set_status` would, one change at a time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from recommendations import services
from recommendations.choices import Status, Track
from recommendations.models import (
    StatusUpdate,
)
from tests.factories import EvidenceFactory
from tests.test_import import grid, in_english  # noqa: F401 (in_english: autouse)

pytestmark = pytest.mark.django_db


# --- The bulk service keeps the single-row rules ------------------------------------------------


def single_errors(change, actor):
    """What implementation_set_status says about one change (rolled back either way)."""
    try:
        with transaction.atomic():
            services.implementation_set_status(
                implementation=change.implementation,
                status=change.status,
                actor=actor,
                comment=change.comment,
                rationale=change.rationale,
                track=change.track,
                evidence=change.evidence,
                effective_date=change.effective_date,
            )
            transaction.set_rollback(True)
    except PermissionDenied as exc:
        return {"permission": str(exc)}
    except ValidationError as exc:
        return {name: messages[0] for name, messages in exc.message_dict.items()}
    return {}


def test_bulk_check_refuses_exactly_what_the_single_service_refuses(editor, focal_point_france):
    france, kenya = grid("FR", 6), grid("KE", 6)
    services.implementation_set_status(
        implementation=france,
        status=Status.PLANNED,
        actor=editor,
        comment="c",
        effective_date=datetime.date(2021, 1, 1),
    )
    own = EvidenceFactory(implementation=france)
    other = EvidenceFactory(implementation=kenya)
    today = datetime.date.today()
    cases = [
        (editor, services.StatusChange(france, Status.IN_PROGRESS, "ok", effective_date=datetime.date(2021, 2, 1))),
        (editor, services.StatusChange(france, "done", "c", effective_date=datetime.date(2021, 2, 1))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", track="secret")),
        (editor, services.StatusChange(france, Status.PLANNED, "  ")),
        (editor, services.StatusChange(france, Status.IMPLEMENTED, "c")),
        (editor, services.StatusChange(france, Status.PARTIALLY_IMPLEMENTED, "c", rationale="r", evidence=(other,))),
        (editor, services.StatusChange(france, Status.IMPLEMENTED, "c", rationale="r", evidence=(own,))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", effective_date=today + datetime.timedelta(1))),
        (editor, services.StatusChange(france, Status.PLANNED, "c", effective_date=datetime.date(2020, 1, 1))),
        (focal_point_france, services.StatusChange(kenya, Status.PLANNED, "c")),
        (focal_point_france, services.StatusChange(france, Status.PLANNED, "c", track=Track.ASSESSED)),
        (focal_point_france, services.StatusChange(france, Status.PLANNED, "c")),
    ]
    for actor, change in cases:
        bulk = services.implementation_status_changes_check(changes=[change], actor=actor).get(0, {})
        assert bulk == single_errors(change, actor), change


JANUARY, FEBRUARY = datetime.date(2020, 1, 1), datetime.date(2020, 2, 1)


def test_bulk_apply_writes_what_the_single_service_writes_one_by_one(editor):
    evidence = {number: EvidenceFactory(implementation=grid("FR", number)) for number in (7, 8)}

    def changes(number):
        implementation = grid("FR", number)
        return [
            services.StatusChange(
                implementation, Status.PLANNED, " planned ", effective_date=datetime.date(2020, 1, 1)
            ),
            services.StatusChange(
                implementation,
                Status.NOT_STARTED,
                "assessed",
                track=Track.ASSESSED,
                effective_date=datetime.date(2020, 2, 1),
            ),
            services.StatusChange(
                implementation,
                Status.IMPLEMENTED,
                "done",
                rationale=" in force ",
                evidence=(evidence[number],),
                effective_date=datetime.date(2020, 3, 1),
            ),
        ]

    for change in changes(7):
        services.implementation_set_status(
            implementation=change.implementation,
            status=change.status,
            actor=editor,
            comment=change.comment,
            rationale=change.rationale,
            track=change.track,
            evidence=change.evidence,
            effective_date=change.effective_date,
        )
    services.implementation_set_status_bulk(changes=changes(8), actor=editor)

    def written(number):
        implementation = grid("FR", number)
        updates = [
            (
                u.track,
                u.previous_status,
                u.status,
                u.effective_date,
                u.comment,
                u.rationale,
                u.author_id,
                u.author_role,
                [e.implementation_id == implementation.pk for e in u.evidence.all()],
            )
            for u in implementation.updates.order_by("effective_date")
        ]
        state = (implementation.status, implementation.assessment, implementation.version, implementation.last_reviewed)
        return updates, state, bool(implementation.status_changed_at and implementation.assessment_changed_at)

    assert written(8) == written(7)


def test_bulk_apply_refuses_all_when_one_change_is_refused(editor):
    good = services.StatusChange(grid("FR", 9), Status.PLANNED, "c", effective_date=datetime.date(2020, 1, 1))
    bad = services.StatusChange(grid("KE", 9), Status.IMPLEMENTED, "c", effective_date=datetime.date(2020, 1, 1))
    with pytest.raises(services.BulkStatusError) as raised:
        services.implementation_set_status_bulk(changes=[good, bad], actor=editor)
    assert set(raised.value.errors) == {1}
    assert not StatusUpdate.objects.filter(implementation__commitment__number=9).exists()


def test_bulk_apply_retires_the_cached_pages_of_what_it_changed(editor, django_capture_on_commit_callbacks):
    from gcmtracker import scopes

    shown = [scopes.state("FR"), scopes.commitment(10), scopes.AGGREGATES, scopes.state("KE")]
    before = scopes.versions(shown)
    change = services.StatusChange(grid("FR", 10), Status.PLANNED, "c", effective_date=JANUARY)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status_bulk(changes=[change], actor=editor)
    after = scopes.versions(shown)
    assert [after[scope] != before[scope] for scope in shown] == [True, True, True, False]
