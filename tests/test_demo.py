"""`manage.py demo`: users for each role, a demo history across three cycles on top of the real
fixtures, everything flagged as demo, fast, and a second run changes nothing."""

import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from recommendations import permissions
from recommendations.choices import OrganisationStatus, Role, Status, Track
from recommendations.models import (
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    Organisation,
    ReviewCycle,
    StakeholderReport,
    StatusUpdate,
)
from recommendations.services import tallies

pytestmark = pytest.mark.django_db


def run_demo():
    out = StringIO()
    wall, cpu = time.monotonic(), time.process_time()
    call_command("demo", stdout=out)
    return out.getvalue(), time.monotonic() - wall, time.process_time() - cpu


def test_demo_loads_everything_flagged_quickly_and_only_once(settings, client):
    """One run, checked from every side: the demo takes seconds, so it runs once here."""
    settings.DEBUG = True
    output, wall_seconds, cpu_seconds = run_demo()

    check_users(output, client)
    check_history()
    check_evidence()
    check_work(client)
    check_indicators()
    check_everything_flagged()
    check_stakeholders(client)
    check_rounds(client)
    assert tallies.kept() == tallies.counted()  # the demo writes through the services that keep them
    # CPU time, not wall time: on a shared, loaded machine the wall clock measures the neighbours.
    # (Measured on an idle 2-core machine: about 10 s wall time with the fixtures already loaded.)
    assert cpu_seconds < 30, (cpu_seconds, wall_seconds)

    before = (StatusUpdate.objects.count(), Evidence.objects.count(), Measurement.objects.count())
    second_output, _wall, _cpu = run_demo()
    assert "already loaded" in second_output
    assert (StatusUpdate.objects.count(), Evidence.objects.count(), Measurement.objects.count()) == before


def check_users(output, client):
    User = get_user_model()
    names = ("demo-admin", "demo-editor", "demo-fp-fr", "demo-fp-ke")
    roles = {name: permissions.user_role(User.objects.get(username=name)) for name in names}
    assert roles == {
        "demo-admin": Role.ADMINISTRATOR,
        "demo-editor": Role.EDITOR,
        "demo-fp-fr": Role.FOCAL_POINT,
        "demo-fp-ke": Role.FOCAL_POINT,
    }
    assert [s.iso2 for s in permissions.editable_states(User.objects.get(username="demo-fp-fr"))] == ["FR"]
    assert [s.iso2 for s in permissions.editable_states(User.objects.get(username="demo-fp-ke"))] == ["KE"]
    assert "gcm-demo-password" in output
    response = client.post("/accounts/login/", {"username": "demo-fp-fr", "password": "gcm-demo-password"})
    assert response.status_code == 302
    # The editor's second factor: one of the recovery codes the command printed.
    import re

    client.logout()
    code = re.search(r"demo-editor: key [A-Z2-7 ]+; recovery codes (\w+)", output).group(1)
    client.post("/accounts/login/", {"username": "demo-editor", "password": "gcm-demo-password"})
    assert client.get("/staff/").status_code == 302
    assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    client.logout()
    client.post("/accounts/login/", {"username": "demo-fp-fr", "password": "gcm-demo-password"})


def check_history():
    cycles = list(ReviewCycle.objects.filter(is_demo=True))
    assert [c.kind for c in cycles] == ["baseline", "regional_review", "review_forum", "regional_review"]
    updates = StatusUpdate.objects.filter(is_demo=True)
    assert updates.values("implementation__state").distinct().count() >= 15
    for cycle in cycles:
        assert updates.filter(effective_date__range=(cycle.opens_on, cycle.closes_on)).exists(), cycle
    assert updates.filter(track=Track.ASSESSED).exists()
    assert Implementation.objects.filter(is_demo=True).exclude(status=Status.NO_INFORMATION).exists()


def check_evidence():
    evidence = Evidence.objects.all()
    assert evidence.exists() and not evidence.filter(is_demo=False).exists()
    assert evidence.filter(verified=True, visibility="public").exists()
    assert evidence.filter(verified=False).exists()


def check_work(client):
    """The focal point just logged in (check_users) has overdue, due-soon, untouched and recent items."""
    context = client.get("/staff/").context
    assert context["overdue"] and context["due_soon"] and context["untouched"] and context["recent"]


def check_indicators():
    assert Indicator.objects.filter(is_demo=True).count() == 3
    assert Measurement.objects.filter(is_demo=True).count() > 100
    assert not Measurement.objects.filter(is_demo=False).exists()


def check_everything_flagged():
    assert not StatusUpdate.objects.filter(is_demo=False).exists()
    assert not ReviewCycle.objects.filter(is_demo=False).exists()


def check_stakeholders(client):
    reports = StakeholderReport.objects.all()
    assert Organisation.objects.filter(is_demo=True, status=OrganisationStatus.APPROVED).count() == 2
    assert reports.count() == 5 and not reports.filter(is_demo=False).exists()
    assert set(reports.values_list("status", flat=True)) == {"approved", "submitted", "changes_requested"}
    client.logout()
    page = client.get("/states/FR/").text
    assert "[Demo] Migrant Rights Watch" in page and "2 organisations report:" in page
    assert "[Demo] Nothing has started." not in page  # waiting for moderation
    client.force_login(get_user_model().objects.get(username="demo-watch"))
    assert "Changes requested" in client.get("/stakeholders/mine/").text


def check_rounds(client):
    from recommendations import rounds
    from recommendations.models import ReportingRound, RoundStateResult

    current = ReportingRound.objects.get(slug="demo-regional-review-round")
    earlier = ReportingRound.objects.get(slug="demo-first-round")
    assert current.is_open and current.is_past_deadline() and current.is_demo and earlier.is_demo
    found = {p.state.iso2: p for p in rounds.progress(current, with_left=True)}
    assert len(found) == 12
    others = [p for iso2, p in found.items() if iso2 not in ("FR", "KE")]
    assert sum(p.done for p in others) == 6 and sum(p.done and p.late for p in others) == 1
    assert sum(p.reported and not p.done for p in others) == 2 and sum(not p.reported for p in others) == 2
    assert [p.confirmed for p in others if p.confirmed] == [2]
    france = found["FR"]
    assert france.items == 4 and not france.done and any(i.recommendation_id for i in france.left)
    assert found["KE"].items == 4
    assert RoundStateResult.objects.filter(round=earlier).count() == 8
    frozen = {p.state.iso2: p for p in rounds.progress(earlier)}
    assert sum(p.done for p in frozen.values()) == 5 and sum(p.late for p in frozen.values()) == 1
    client.logout()
    body = client.get("/api/v1/rounds/demo-regional-review-round/").json()
    assert body["summary"]["states"] == 12 and len(body["progress"]) == 12
    for page in (
        "/cycles/",
        "/cycles/demo-regional-reviews-current/",
        "/cycles/demo-regional-reviews-current/states/FR/",
    ):
        assert client.get(page).status_code == 200, page


def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    assert not ReviewCycle.objects.exists()
