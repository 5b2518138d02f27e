"""The architecture check of writes (tests/write_guard.py) is on in every test, and it fires.

The deliberate violations below are code compiled as if it lived in an application module that
is not a service (`recommendations/sneaky.py`, which does not exist), so the check sees exactly
what it would see from a new file that writes directly.
"""

import contextlib

import pytest
from django.db import transaction

from events.models import Event
from recommendations.models import Implementation
from recommendations.services.context import service
from tests.arrange import setup_writes
from tests.write_guard import ROOT, DirectWrite

pytestmark = pytest.mark.django_db

SNEAKY = """
def update(pk):
    Implementation.objects.filter(pk=pk).update(lead_agency="sneaky")

def save(implementation):
    implementation.lead_agency = "sneaky"
    implementation.save()

def create(state, commitment):
    Implementation.objects.create(state=state, recommendation=None, commitment=commitment)

def rename_event(pk):
    Event.objects.filter(pk=pk).update(title="sneaky")
"""


def _module(path="recommendations/sneaky.py"):
    namespace = {"Implementation": Implementation, "Event": Event}
    exec(compile(SNEAKY, str(ROOT / path), "exec"), namespace)
    return namespace


# A module anywhere outside the services, a test helper module (only a test's own line, or
# `setup_writes()`, arranges data), and the events app.
@pytest.mark.parametrize(
    "path",
    [
        "recommendations/sneaky.py",
        "recommendations/admin/sneaky.py",
        "gcmtracker/x.py",
        "events/sneaky.py",
        "tests/helpers.py",
    ],
)
def test_a_direct_write_from_a_module_outside_the_services_fails(
    _writes_go_through_services, implementation_france, path
):
    module = _module(path)
    for attempt in (lambda: module["update"](implementation_france.pk), lambda: module["save"](implementation_france)):
        with pytest.raises(DirectWrite), transaction.atomic():  # a savepoint: the test goes on after it
            attempt()
    assert len(_writes_go_through_services.violations) == 2
    _writes_go_through_services.violations.clear()  # expected here; any other test would fail
    assert Implementation.objects.get(pk=implementation_france.pk).lead_agency == ""


def test_the_same_write_inside_a_service_passes(_writes_go_through_services, implementation_france):
    module = _module()
    service(module["update"])(implementation_france.pk)
    assert Implementation.objects.get(pk=implementation_france.pk).lead_agency == "sneaky"
    assert not _writes_go_through_services.violations


def test_a_swallowed_violation_is_still_reported(_writes_go_through_services, implementation_france):
    module = _module()
    with contextlib.suppress(Exception), transaction.atomic():  # what careless code would do
        module["update"](implementation_france.pk)
    assert _writes_go_through_services.violations
    _writes_go_through_services.violations.clear()


def test_reads_are_never_refused(_writes_go_through_services, implementation_france):
    namespace = {"Implementation": Implementation}
    exec(
        compile(
            "def read(pk):\n    return Implementation.objects.get(pk=pk)\n", str(ROOT / "recommendations/x.py"), "exec"
        ),
        namespace,
    )
    assert namespace["read"](implementation_france.pk) == implementation_france


def test_events_tables_are_tracked_too(_writes_go_through_services):
    event = Event.objects.order_by("pk").first()
    module = _module("events/admin_sneaky.py")
    with pytest.raises(DirectWrite), transaction.atomic():
        module["rename_event"](event.pk)
    assert _writes_go_through_services.violations
    _writes_go_through_services.violations.clear()
    assert Event.objects.get(pk=event.pk).title != "sneaky"


def test_a_helper_module_arranging_data_says_so_and_passes(_writes_go_through_services, implementation_france):
    module = _module("tests/helpers.py")
    with setup_writes():
        module["update"](implementation_france.pk)
    assert Implementation.objects.get(pk=implementation_france.pk).lead_agency == "sneaky"
    assert not _writes_go_through_services.violations


def test_a_tests_own_line_arranges_data(_writes_go_through_services, implementation_france):
    Implementation.objects.filter(pk=implementation_france.pk).update(lead_agency="arranged")
    assert not _writes_go_through_services.violations


def test_django_machinery_called_from_a_test_is_not_a_tests_own_line(_writes_go_through_services, tmp_path):
    """`loaddata` from a test writes through Django's code, not the test's line: refused."""
    fixture = tmp_path / "phase.json"
    fixture.write_text('[{"model": "events.phase", "pk": 1, "fields": {"name": "Phase I (sneaky)"}}]')
    from django.core.management import call_command

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (loaddata wraps the DirectWrite)
        call_command("loaddata", str(fixture), verbosity=0)
    assert _writes_go_through_services.violations
    _writes_go_through_services.violations.clear()
