"""The architecture check of writes (tests/write_guard.py) is on in every test, and it fires.

The deliberate violations below are code compiled as if it lived in an application module that
is not a service (`recommendations/sneaky.py`, which does not exist), so the check sees exactly
what it would see from a new file that writes directly.
"""

import contextlib

import pytest
from django.db import transaction

from recommendations.models import Implementation
from recommendations.services.context import service
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
"""


def _module(path="recommendations/sneaky.py"):
    namespace = {"Implementation": Implementation}
    exec(compile(SNEAKY, str(ROOT / path), "exec"), namespace)
    return namespace


@pytest.mark.parametrize("path", ["recommendations/sneaky.py", "recommendations/admin/sneaky.py", "gcmtracker/x.py"])
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
