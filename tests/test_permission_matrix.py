"""Every role against every door that writes: staff pages, API, admin and import, on an
implementation of France and one of Kenya. A refused write changes nothing, whatever the door.
Longer than 400 lines: the whole matrix is one module, so that a door missing from it shows.

| door                     | anonymous | focal point FR | focal point KE | editor | administrator |
| ------------------------ | --------- | -------------- | -------------- | ------ | ------------- |
| status, evidence (France) | no       | yes            | no             | yes    | yes           |
| assign, verify, publish  | no        | no             | no             | yes    | yes           |
| admin: assign, note, publish, unpublish, bulk status | no | no | no          | yes    | yes           |
| change or delete history | no        | no             | no             | no     | no            |
| admin records: cycles, corridors and their stops (inline) | no | no | no      | yes    | yes           |
| admin records: scopes, events' records | no | no         | no             | no     | yes           |
| rounds: open, edit, close (services) | no | no              | no             | yes    | yes           |
| rounds: "no change, confirmed" (France's item) | no | yes   | no             | yes    | yes           |
| rounds: API writes, admin writes | no  | no                 | no             | no     | no            |
| recount the tallies (`rebuild_tallies`; the command line) | no | no | no       | no     | yes           |

A stakeholder contributor (of an approved organisation, email confirmed) is refused on every door
of the matrix, like the anonymous public: they write their own organisation's reports only
(tests/test_stakeholders.py).

Editors and administrators (and focal points, with TWO_FACTOR_FOCAL_POINTS on) who have given their
password but not their second factor reach none of these doors, nor does an API token of an account
that has not set one up. The personas here log in with both (conftest's `force_login`).
Past the API's per-account rate (API_THROTTLE_USER) the API's write doors answer 429 and write
nothing, for any role (the suite otherwise runs with the throttles off).

Below the matrix: attempts to cross a state by editing ids in URLs and form fields.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Participant
from recommendations import imports as importer
from recommendations import services
from recommendations.choices import Status, Track, Visibility
from recommendations.models import CorridorState, Evidence, ReviewCycle, StateScope, StatusUpdate
from tests.factories import EvidenceFactory, UserFactory, minimal_pdf_bytes

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "contributor", "focal_point_france", "focal_point_kenya", "editor", "administrator"]
TODAY = timezone.localdate().isoformat()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def actor(request, client):
    """The persona named by the test parameter, logged in (or not, for anonymous)."""
    name = request.param
    user = None if name == "anonymous" else request.getfixturevalue(name)
    if user is not None:
        client.force_login(user)
    return name, user


@pytest.fixture
def targets(implementation_france, implementation_kenya):
    return {"FR": implementation_france, "KE": implementation_kenya}


# --- the doors: each performs one write attempt and returns a callable that says whether it happened


def _status_written(implementation):
    before = implementation.updates.count()
    return lambda: implementation.updates.count() > before


def _evidence_written(implementation):
    before = implementation.evidence.count()
    return lambda: implementation.evidence.count() > before


def _assigned(implementation):
    return lambda: type(implementation).objects.get(pk=implementation.pk).lead_agency == "Ministry X"


def _published(evidence):
    return lambda: Evidence.objects.get(pk=evidence.pk).visibility == Visibility.PUBLIC


def _unpublished(evidence):
    return lambda: Evidence.objects.get(pk=evidence.pk).visibility == Visibility.STAFF


def page_status(client, implementation, user):
    happened = _status_written(implementation)
    client.post(
        reverse("staff:implementation", args=[implementation.pk]),
        {
            "version": implementation.version,
            "track": "reported",
            "status": "in_progress",
            "effective_date": TODAY,
            "comment": "Matrix",
        },
    )
    return happened


def page_status_with_file(client, implementation, user):
    happened = _evidence_written(implementation)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("staff:implementation", args=[implementation.pk]),
        {
            "version": implementation.version,
            "track": "reported",
            "status": "in_progress",
            "effective_date": TODAY,
            "comment": "Matrix",
            "new-title": "Bill",
            "new-kind": "law",
            "new-file": SimpleUploadedFile("bill.pdf", minimal_pdf_bytes()),
        },
    )
    return happened


def page_evidence(client, implementation, user):
    happened = _evidence_written(implementation)
    client.post(
        reverse("staff:evidence-add", args=[implementation.pk]),
        {"evidence-title": "Circular", "evidence-kind": "policy", "evidence-url": "https://example.org/m"},
    )
    return happened


def page_assign(client, implementation, user):
    happened = _assigned(implementation)
    client.post(
        reverse("staff:implementation-assign", args=[implementation.pk]),
        {"version": implementation.version, "lead_agency": "Ministry X", "position": "supported"},
    )
    return happened


def page_publish(client, implementation, user):
    evidence = EvidenceFactory(implementation=implementation)
    happened = _published(evidence)
    client.post(reverse("staff:evidence-verify", args=[evidence.pk]), {"publish": "1"})
    return happened


def page_unpublish(client, implementation, user):
    evidence = EvidenceFactory(implementation=implementation, verified=True, visibility=Visibility.PUBLIC)
    happened = _unpublished(evidence)
    client.post(reverse("staff:evidence-unpublish", args=[evidence.pk]))
    return happened


def api_status(client, implementation, user):
    happened = _status_written(implementation)
    client.post(
        f"/api/v1/implementations/{implementation.pk}/status/",
        {"version": implementation.version, "track": "reported", "status": "in_progress", "comment": "Matrix"},
        content_type="application/json",
    )
    return happened


def api_evidence(client, implementation, user):
    happened = _evidence_written(implementation)
    client.post(
        f"/api/v1/implementations/{implementation.pk}/evidence/",
        {"title": "Circular", "kind": "policy", "url": "https://example.org/api"},
        content_type="application/json",
    )
    return happened


def api_assign(client, implementation, user):
    happened = _assigned(implementation)
    client.patch(
        f"/api/v1/implementations/{implementation.pk}/",
        {"version": implementation.version, "lead_agency": "Ministry X"},
        content_type="application/json",
    )
    return happened


def admin_assign(client, implementation, user):
    happened = _assigned(implementation)
    client.post(
        reverse("admin:recommendations_implementation_change", args=[implementation.pk]),
        {
            "expected_version": implementation.version,
            "lead_agency": "Ministry X",
            "position": "supported",
            "owner": "",
            "due_date": "",
            "internal_note": "",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    return happened


def admin_publish(client, implementation, user):
    evidence = EvidenceFactory(implementation=implementation)
    happened = _published(evidence)
    client.post(
        reverse("admin:recommendations_evidence_changelist"),
        {"action": "verify_and_publish", "_selected_action": [evidence.pk]},
    )
    return happened


def admin_note(client, implementation, user):
    happened = lambda: type(implementation).objects.get(pk=implementation.pk).internal_note == "Note X"  # noqa: E731
    client.post(
        reverse("admin:recommendations_implementation_change", args=[implementation.pk]),
        {
            "expected_version": implementation.version,
            "lead_agency": "",
            "position": implementation.position,
            "owner": "",
            "due_date": "",
            "internal_note": "Note X",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    return happened


def admin_unpublish(client, implementation, user):
    evidence = EvidenceFactory(implementation=implementation, verified=True, visibility=Visibility.PUBLIC)
    happened = _unpublished(evidence)
    client.post(
        reverse("admin:recommendations_evidence_changelist"),
        {"action": "unpublish", "_selected_action": [evidence.pk]},
    )
    return happened


def admin_bulk_status(client, implementation, user):
    happened = _status_written(implementation)
    client.post(
        reverse("admin:recommendations_implementation_changelist"),
        {
            "action": "set_status",
            "_selected_action": [implementation.pk],
            "apply": "1",
            "track": "assessed",
            "status": "planned",
            "comment": "Matrix",
        },
    )
    return happened


def import_status(client, implementation, user):
    happened = _status_written(implementation)
    data = (
        "state,commitment,status,effective_date,comment\n"
        f"{implementation.state.iso2},{implementation.commitment.number},planned,{TODAY},Matrix\n"
    ).encode()
    importer.run_import(kind="status_updates", filename="rows.csv", data=data, user=user, apply=True)
    return happened


def admin_import_status(client, implementation, user):
    """The admin's import page: upload, then apply the previewed rows."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    happened = _status_written(implementation)
    data = (
        "state,commitment,status,effective_date,comment\n"
        f"{implementation.state.iso2},{implementation.commitment.number},planned,{TODAY},Matrix\n"
    ).encode()
    url = reverse("admin:recommendations_import")
    preview = client.post(url, {"kind": "status_updates", "file": SimpleUploadedFile("rows.csv", data)}, follow=True)
    token = re.search(rb'name="token" value="([^"]+)"', preview.content)
    if token:
        client.post(url, {"token": token.group(1).decode(), "apply": "Apply"})
    return happened


STATE_DOORS = [page_status, page_status_with_file, page_evidence, api_status, api_evidence, import_status]
SECRETARIAT_DOORS = [
    page_assign,
    page_publish,
    page_unpublish,
    api_assign,
    admin_assign,
    admin_note,
    admin_publish,
    admin_unpublish,
    admin_bulk_status,
]


def may_write_state(persona, iso2):
    return persona in ("editor", "administrator") or (persona, iso2) in {
        ("focal_point_france", "FR"),
        ("focal_point_kenya", "KE"),
    }


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("iso2", ["FR", "KE"])
@pytest.mark.parametrize("door", STATE_DOORS, ids=lambda door: door.__name__)
def test_state_writes_are_allowed_exactly_within_scope(client, actor, targets, iso2, door):
    persona, user = actor
    happened = door(client, targets[iso2], user)
    assert happened() == may_write_state(persona, iso2)


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("iso2", ["FR", "KE"])
@pytest.mark.parametrize("door", SECRETARIAT_DOORS, ids=lambda door: door.__name__)
def test_secretariat_writes_are_allowed_only_to_the_secretariat(client, actor, targets, iso2, door):
    persona, user = actor
    happened = door(client, targets[iso2], user)
    assert happened() == (persona in ("editor", "administrator"))


WEB_DOORS = [door for door in STATE_DOORS if door is not import_status] + SECRETARIAT_DOORS + [admin_import_status]


@pytest.mark.parametrize("persona", ["focal_point_france", "editor", "administrator"])
@pytest.mark.parametrize("door", WEB_DOORS, ids=lambda door: door.__name__)
def test_staff_without_their_second_factor_reach_no_write_door(client, request, settings, targets, persona, door):
    settings.TWO_FACTOR_FOCAL_POINTS = True
    user = request.getfixturevalue(persona)
    client.force_login(user, otp_verified=False)
    happened = door(client, targets["FR"], user)
    assert not happened()


@pytest.mark.parametrize("persona", ["editor", "administrator"])
def test_the_admin_import_page_works_for_the_secretariat_with_their_second_factor(client, request, targets, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert admin_import_status(client, targets["FR"], user)()


def test_a_focal_point_needs_no_second_factor_unless_the_setting_asks(client, focal_point_france, targets, settings):
    settings.TWO_FACTOR_FOCAL_POINTS = False
    client.force_login(focal_point_france, otp_verified=False)
    assert api_status(client, targets["FR"], focal_point_france)()


@pytest.mark.parametrize("door", [api_status, api_evidence, api_assign], ids=lambda door: door.__name__)
def test_an_api_token_of_staff_who_never_set_up_a_second_factor_opens_no_door(targets, door):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from recommendations.choices import Role
    from tests.factories import UserFactory

    user = UserFactory(username="editor-no-2fa", role=Role.EDITOR, second_factor=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    happened = door(client, targets["FR"], user)
    assert not happened()
    assert client.get("/api/v1/states/FR/").status_code in (401, 403)


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
def test_nobody_changes_or_deletes_history_through_any_door(client, actor, implementation_france, editor):
    persona, user = actor
    update = services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=editor, comment="kept"
    )
    client.post(
        reverse("admin:recommendations_statusupdate_change", args=[update.pk]),
        {"comment": "rewritten", "status": "implemented"},
    )
    client.post(reverse("admin:recommendations_statusupdate_delete", args=[update.pk]), {"post": "yes"})
    client.post(
        reverse("admin:recommendations_statusupdate_changelist"),
        {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"},
    )
    for method in ("put", "patch", "delete"):
        getattr(client, method)(
            f"/api/v1/status-updates/{update.pk}/", {"comment": "rewritten"}, content_type="application/json"
        )
    update = StatusUpdate.objects.get(pk=update.pk)
    assert (update.comment, update.status) == ("kept", Status.PLANNED)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("focal_point_france", 200),
        ("focal_point_kenya", 403),
        ("editor", 200),
        ("administrator", 200),
    ],
)
def test_the_implementation_page_of_france_answers_each_role(client, request, implementation_france, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("staff:implementation", args=[implementation_france.pk])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 404),
        ("focal_point_france", 200),
        ("focal_point_kenya", 404),
        ("editor", 200),
        ("administrator", 200),
    ],
)
def test_an_unpublished_file_of_france_downloads_only_for_those_who_may_see_it(
    client, request, implementation_france, focal_point_france, persona, expected
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("law.pdf", minimal_pdf_bytes())
    file.gcm_content_type = "application/pdf"
    evidence = services.evidence_add(
        implementation=implementation_france, actor=focal_point_france, title="Law", kind="law", file=file
    )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(evidence.get_download_url()).status_code == expected


# --- crossing a state by editing ids ------------------------------------------------------------------


def test_focal_point_cannot_attach_another_states_evidence_through_the_form(
    client, focal_point_france, implementation_france, implementation_kenya
):
    foreign = EvidenceFactory(implementation=implementation_kenya)
    client.force_login(focal_point_france)
    response = client.post(
        reverse("staff:implementation", args=[implementation_france.pk]),
        {
            "version": implementation_france.version,
            "track": "reported",
            "status": "implemented",
            "effective_date": TODAY,
            "comment": "x",
            "rationale": "y",
            "evidence": [foreign.pk],
        },
    )
    assert response.status_code == 400
    assert "evidence" in response.context["status_form"].errors
    assert not implementation_france.updates.exists()
    assert not foreign.status_updates.exists()


def test_focal_point_cannot_attach_another_states_evidence_through_the_api(
    client, focal_point_france, implementation_france, implementation_kenya
):
    foreign = EvidenceFactory(implementation=implementation_kenya)
    client.force_login(focal_point_france)
    response = client.post(
        f"/api/v1/implementations/{implementation_france.pk}/status/",
        {
            "version": implementation_france.version,
            "status": "implemented",
            "comment": "x",
            "rationale": "y",
            "evidence": [foreign.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not implementation_france.updates.exists()


def test_focal_point_cannot_set_the_assessed_track_by_editing_the_form(
    client, focal_point_france, implementation_france
):
    client.force_login(focal_point_france)
    response = client.post(
        reverse("staff:implementation", args=[implementation_france.pk]),
        {
            "version": implementation_france.version,
            "track": Track.ASSESSED,
            "status": "implemented",
            "effective_date": TODAY,
            "comment": "x",
        },
    )
    assert response.status_code in (400, 403)
    assert not implementation_france.updates.exists()


def test_focal_point_cannot_post_to_another_states_page_by_editing_the_url(
    client, focal_point_france, implementation_kenya
):
    client.force_login(focal_point_france)
    for name in ("staff:implementation", "staff:evidence-add", "staff:implementation-assign"):
        response = client.post(reverse(name, args=[implementation_kenya.pk]), {"version": 1, "comment": "x"})
        assert response.status_code == 403, name
    assert not implementation_kenya.updates.exists() and not implementation_kenya.evidence.exists()


def test_focal_point_cannot_publish_their_own_evidence(client, focal_point_france, implementation_france):
    client.force_login(focal_point_france)
    client.post(
        reverse("staff:evidence-add", args=[implementation_france.pk]),
        {"evidence-title": "Mine", "evidence-kind": "law", "evidence-url": "https://example.org/mine"},
    )
    evidence = implementation_france.evidence.get()
    response = client.post(reverse("staff:evidence-verify", args=[evidence.pk]), {"publish": "1"})
    assert response.status_code == 403
    evidence.refresh_from_db()
    assert (evidence.verified, evidence.visibility) == (False, Visibility.STAFF)


def test_focal_point_cannot_import_rows_of_another_state(
    focal_point_france, implementation_france, implementation_kenya
):
    data = (
        "state,commitment,status,effective_date,comment\n"
        f"FR,{implementation_france.commitment.number},planned,{TODAY},ok\n"
        f"KE,{implementation_kenya.commitment.number},planned,{TODAY},sneaky\n"
    ).encode()
    report = importer.run_import(
        kind="status_updates", filename="rows.csv", data=data, user=focal_point_france, apply=True
    )
    assert not report.ok
    assert not implementation_france.updates.exists() and not implementation_kenya.updates.exists()


# --- the admin's record forms and inlines (permissions.RECORD_WRITERS) -------------------------------


def admin_add_cycle(client, implementation, user):
    client.post(
        reverse("admin:recommendations_reviewcycle_add"),
        {
            "slug": "matrix-cycle",
            "name": "Matrix cycle",
            "kind": "regional_review",
            "opens_on": "2026-01-01",
            "closes_on": "2026-06-30",
            "description": "",
        },
    )
    return lambda: ReviewCycle.objects.filter(slug="matrix-cycle").exists()


def admin_add_corridor_with_a_stop(client, implementation, user):
    """A corridor with one stop, the stop in the corridor's inline."""
    client.post(
        reverse("admin:recommendations_corridor_add"),
        {
            "slug": "matrix-corridor",
            "name": "Matrix corridor",
            "description": "",
            "stops-TOTAL_FORMS": "1",
            "stops-INITIAL_FORMS": "0",
            "stops-0-state": implementation.state_id,
            "stops-0-role": "origin",
            "stops-0-order": "1",
        },
    )
    return lambda: CorridorState.objects.filter(corridor__slug="matrix-corridor").exists()


def admin_grant_scope(client, implementation, user):
    grantee = UserFactory(username="matrix_grantee", role="focal_point")
    client.post(reverse("admin:recommendations_statescope_add"), {"user": grantee.pk, "state": implementation.state_id})
    return lambda: StateScope.objects.filter(user=grantee).exists()


def admin_delete_participant(client, implementation, user):
    participant = Participant.objects.order_by("pk").first()
    client.post(reverse("admin:events_participant_delete", args=[participant.pk]), {"post": "yes"})
    return lambda: not Participant.objects.filter(pk=participant.pk).exists()


RECORD_DOORS = {
    admin_add_cycle: ("editor", "administrator"),
    admin_add_corridor_with_a_stop: ("editor", "administrator"),
    admin_grant_scope: ("administrator",),
    admin_delete_participant: ("administrator",),
}


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("door", list(RECORD_DOORS), ids=lambda door: door.__name__)
def test_admin_record_writes_follow_the_record_writers(client, actor, targets, door):
    persona, user = actor
    happened = door(client, targets["FR"], user)
    assert happened() == (persona in RECORD_DOORS[door])


# --- throttling: past the API's per-account rate, a write door is shut too (429, nothing written)


@pytest.mark.parametrize("door", [api_status, api_evidence, api_assign], ids=lambda door: door.__name__)
def test_past_the_per_account_rate_an_api_write_is_a_429_and_writes_nothing(settings, targets, editor, door):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    settings.CACHE_SECONDS = 0
    settings.API_THROTTLE_USER = "3/minute"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    for _ in range(3):
        assert client.get("/api/v1/states/FR/").status_code == 200
    happened = door(client, targets["FR"], editor)
    assert not happened()
    refused = client.get("/api/v1/states/FR/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # Within the rate the same door opens for the same account.
    settings.API_THROTTLE_USER = "100/minute"
    assert door(client, targets["FR"], editor)()


# --- reporting rounds: the services' doors, the API and the admin (read-only) --------------------


@pytest.fixture
def spring(editor, implementation_france, implementation_kenya):
    from tests.rounds_arrange import make_cycle, open_round

    commitments = [implementation_france.commitment.number, implementation_kenya.commitment.number]
    return open_round(
        editor,
        make_cycle(),
        states=["FR", "KE"],
        commitments=commitments,
        opens_on=timezone.localdate(),
        deadline=timezone.localdate(),
    )


def _service_door(call):
    """A round service's door: the write attempted as the persona; whether it happened."""

    def door(client, spring, user, targets):
        from django.contrib.auth.models import AnonymousUser
        from django.core.exceptions import PermissionDenied

        try:
            call(spring, user or AnonymousUser(), targets)
        except PermissionDenied:
            return False
        return True

    door.__name__ = call.__name__
    return door


@_service_door
def round_open(spring, user, targets):
    services.round_open(
        actor=user,
        cycle=spring.cycle,
        name="Matrix round",
        opens_on=spring.opens_on,
        deadline=spring.deadline,
        states=["FR"],
        commitments=[targets["FR"].commitment],
        notify=False,
    )


@_service_door
def round_edit(spring, user, targets):
    services.round_edit(actor=user, round=spring, version=spring.version, name="Matrix rename")


@_service_door
def round_close(spring, user, targets):
    services.round_close(actor=user, round=spring, version=spring.version)


@_service_door
def round_confirm_france(spring, user, targets):
    services.round_confirm_unchanged(actor=user, round=spring, implementations=[targets["FR"]])


@_service_door
def round_confirm_kenya(spring, user, targets):
    services.round_confirm_unchanged(actor=user, round=spring, implementations=[targets["KE"]])


def round_api_writes(client, spring, user, targets):
    """Every write method on the rounds' API answers 405, for everyone."""
    from recommendations.models import ReportingRound

    before = list(ReportingRound.objects.values_list("pk", "name", "version", "closed_at"))
    codes = {
        client.post("/api/v1/rounds/", {"name": "Mine"}, content_type="application/json").status_code,
        client.patch(f"/api/v1/rounds/{spring.slug}/", {"name": "Mine"}, content_type="application/json").status_code,
        client.delete(f"/api/v1/rounds/{spring.slug}/").status_code,
    }
    assert codes <= {401, 403, 405}
    return list(ReportingRound.objects.values_list("pk", "name", "version", "closed_at")) != before


def round_admin_writes(client, spring, user, targets):
    """The round admin is read-only for everyone: no add, no change, no delete."""
    from recommendations.models import ReportingRound

    client.post(reverse("admin:recommendations_reportinground_add"), {"name": "Mine", "slug": "mine"})
    client.post(reverse("admin:recommendations_reportinground_change", args=[spring.pk]), {"name": "Mine"})
    client.post(reverse("admin:recommendations_reportinground_delete", args=[spring.pk]), {"post": "yes"})
    return ReportingRound.objects.filter(slug="mine").exists() or ReportingRound.objects.get(pk=spring.pk).name != (
        spring.name
    )


ROUND_DOORS = {
    round_open: ("editor", "administrator"),
    round_edit: ("editor", "administrator"),
    round_close: ("editor", "administrator"),
    round_confirm_france: ("focal_point_france", "editor", "administrator"),
    round_confirm_kenya: ("focal_point_kenya", "editor", "administrator"),
    round_api_writes: (),
    round_admin_writes: (),
}


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("door", list(ROUND_DOORS), ids=lambda door: door.__name__)
def test_round_writes_open_to_exactly_their_roles(client, actor, targets, spring, door):
    from recommendations.models import ChangeRecord

    persona, user = actor
    records = ChangeRecord.objects.count()
    happened = door(client, spring, user, targets)
    assert happened == (persona in ROUND_DOORS[door])
    if not happened:
        assert ChangeRecord.objects.count() == records


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
def test_everyone_reads_the_rounds_api_and_only_the_secretariat_the_round_admin(client, actor, spring):
    persona, _user = actor
    assert client.get(f"/api/v1/rounds/{spring.slug}/").status_code == 200
    admin_page = client.get(reverse("admin:recommendations_reportinground_changelist"))
    assert (admin_page.status_code == 200) == (persona in ("editor", "administrator"))


# --- reporting rounds: the staff pages' doors (staff/rounds.py) ----------------------------------------
#
# | door                                   | anonymous | contributor | fp FR | fp KE | editor | admin |
# | -------------------------------------- | --------- | ----------- | ----- | ----- | ------ | ----- |
# | round list, new-round form, round page | login     | 403         | 403   | 403   | 200    | 200   |
# | open, edit, close a round (page)       | no        | no          | no    | no    | yes    | yes   |
# | "no change, confirmed" (France's item) | no        | no          | yes   | no    | yes    | yes   |
# | My work with the round                 | login     | 403         | 200   | 200   | 200    | 200   |


def page_round_open(client, round, implementation):
    from recommendations.models import ReportingRound

    client.post(
        reverse("staff:round-new"),
        {
            "cycle": round.cycle_id,
            "name": "Matrix opened",
            "opens_on": TODAY,
            "deadline": "2031-01-01",
            "commitments": [implementation.commitment_id],
            "states": [implementation.state_id],
        },
    )
    return lambda: ReportingRound.objects.filter(name="Matrix opened").exists()


def page_round_edit(client, round, implementation):
    client.post(
        reverse("staff:round", args=[round.pk]),
        {"action": "edit", "version": round.version, "name": "Matrix round", "deadline": "2031-02-02", "message": "M"},
    )
    return lambda: type(round).objects.get(pk=round.pk).message == "M"


def page_round_close(client, round, implementation):
    client.post(reverse("staff:round", args=[round.pk]), {"action": "close", "version": round.version, "confirm": "on"})
    return lambda: type(round).objects.get(pk=round.pk).closed_at is not None


ROUND_SECRETARIAT_DOORS = [page_round_open, page_round_edit, page_round_close]


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("door", ROUND_SECRETARIAT_DOORS, ids=lambda door: door.__name__)
def test_only_the_secretariat_opens_edits_and_closes_rounds_from_the_pages(
    client, actor, spring, implementation_france, door
):
    persona, user = actor
    happened = door(client, spring, implementation_france)
    assert happened() == (persona in ("editor", "administrator"))


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("iso2", ["FR", "KE"])
def test_no_change_confirmed_is_allowed_exactly_within_scope(client, actor, spring, targets, iso2):
    persona, user = actor
    implementation = targets[iso2]
    client.post(reverse("staff:round-confirm", args=[spring.pk]), {"only": implementation.pk})
    assert implementation.round_confirmations.exists() == may_write_state(persona, iso2)


ROUND_PAGE_ANSWERS = {
    "anonymous": 302,
    "contributor": 403,
    "focal_point_france": 403,
    "focal_point_kenya": 403,
    "editor": 200,
    "administrator": 200,
}
MY_WORK_ANSWERS = {**ROUND_PAGE_ANSWERS, "focal_point_france": 200, "focal_point_kenya": 200}


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
@pytest.mark.parametrize("page", ["staff:round-list", "staff:round-new", "staff:round", "staff:my-work"])
def test_the_round_pages_answer_each_role(client, actor, spring, page):
    persona, user = actor
    args = [spring.pk] if page == "staff:round" else []
    answers = MY_WORK_ANSWERS if page == "staff:my-work" else ROUND_PAGE_ANSWERS
    assert client.get(reverse(page, args=args)).status_code == answers[persona]


@pytest.mark.parametrize("persona", ["focal_point_france", "editor", "administrator"])
@pytest.mark.parametrize("door", ROUND_SECRETARIAT_DOORS, ids=lambda door: door.__name__)
def test_staff_without_their_second_factor_reach_no_round_door(
    client, request, settings, spring, implementation_france, persona, door
):
    settings.TWO_FACTOR_FOCAL_POINTS = True
    client.force_login(request.getfixturevalue(persona), otp_verified=False)
    assert not door(client, spring, implementation_france)()
    client.post(reverse("staff:round-confirm", args=[spring.pk]), {"only": implementation_france.pk})
    assert not implementation_france.round_confirmations.exists()


@pytest.mark.parametrize("actor", PERSONAS, indirect=True)
def test_only_administrators_and_the_command_line_recount_the_tallies(actor):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from recommendations.services.tallies import tallies_rebuild

    name, user = actor
    if name == "administrator":
        assert tallies_rebuild(actor=user) == 0
    else:
        with pytest.raises(PermissionDenied):
            tallies_rebuild(actor=user or AnonymousUser())
    assert tallies_rebuild() == 0  # the command line (actor None)
