"""Emails to staff: the new owner hears of an assignment; owners get a daily digest of overdue
and untouched items (`manage.py send_digests`)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from recommendations.choices import Status
from recommendations.staff import notifications
from tests.factories import ImplementationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def test_the_new_owner_is_told_of_an_assignment(editor, focal_point_france, implementation_france):
    assert notifications.notify_assignment(implementation=implementation_france, owner=focal_point_france, actor=editor)
    (message,) = mail.outbox
    assert message.to == [focal_point_france.email]
    assert str(implementation_france) in message.subject
    assert implementation_france.get_absolute_url() in message.body


def test_nobody_is_emailed_about_assigning_themselves(editor, implementation_france):
    assert not notifications.notify_assignment(implementation=implementation_france, owner=editor, actor=editor)
    assert mail.outbox == []


def test_an_owner_without_an_email_address_is_skipped(editor, france, implementation_france):
    owner = UserFactory(username="no-mail", email="", role="focal_point", states=[france])
    assert not notifications.notify_assignment(implementation=implementation_france, owner=owner, actor=editor)


@pytest.fixture
def owned(focal_point_france, france):
    overdue = ImplementationFactory(
        state=france, owner=focal_point_france, due_date=TODAY - datetime.timedelta(days=5), last_reviewed=TODAY
    )
    untouched = ImplementationFactory(state=france, owner=focal_point_france, last_reviewed=datetime.date(2024, 1, 1))
    fresh = ImplementationFactory(
        state=france, owner=focal_point_france, due_date=TODAY + datetime.timedelta(days=60), last_reviewed=TODAY
    )
    done = ImplementationFactory(
        state=france,
        owner=focal_point_france,
        status=Status.IMPLEMENTED,
        due_date=TODAY - datetime.timedelta(days=5),
        last_reviewed=datetime.date(2020, 1, 1),
    )
    return {"overdue": overdue, "untouched": untouched, "fresh": fresh, "done": done}


def test_the_digest_lists_overdue_and_untouched_items_of_each_owner(owned, focal_point_france):
    sent = notifications.send_digests(today=TODAY)

    assert sent == [(focal_point_france.email, 1, 1)]
    (message,) = mail.outbox
    assert message.to == [focal_point_france.email]
    assert "1 overdue, 1 untouched" in message.subject
    assert owned["overdue"].get_absolute_url() in message.body
    assert owned["untouched"].get_absolute_url() in message.body
    assert owned["fresh"].get_absolute_url() not in message.body
    assert owned["done"].get_absolute_url() not in message.body


def test_owners_with_nothing_due_get_no_digest(focal_point_france, france):
    ImplementationFactory(state=france, owner=focal_point_france, last_reviewed=TODAY)
    assert notifications.send_digests(today=TODAY) == []
    assert mail.outbox == []


def test_the_digest_runs_one_query_however_many_owners(france, django_assert_num_queries):
    for n in range(6):
        owner = UserFactory(username=f"owner{n}", role="focal_point", states=[france])
        ImplementationFactory(state=france, owner=owner, due_date=TODAY - datetime.timedelta(days=1))
    # The reading is one query; each owner's email is then one queued task (gcmtracker/mail.py),
    # which the dry run leaves out.
    with django_assert_num_queries(1):
        sent = notifications.send_digests(today=TODAY, dry_run=True)
    assert len(sent) == 6
    notifications.send_digests(today=TODAY)
    assert len(mail.outbox) == 6


def test_the_command_sends_digests_and_reports_them(owned, focal_point_france):
    out = StringIO()
    call_command("send_digests", "--date", TODAY.isoformat(), stdout=out)
    assert "Sent 1 digest(s)." in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_dry_run_sends_nothing(owned, focal_point_france):
    out = StringIO()
    call_command("send_digests", "--date", TODAY.isoformat(), "--dry-run", stdout=out)
    assert f"{focal_point_france.email}: 1 overdue, 1 untouched" in out.getvalue()
    assert mail.outbox == []


@pytest.mark.parametrize("door", ["page", "api", "admin"])
def test_every_door_that_assigns_an_owner_emails_them(
    client, editor, focal_point_france, implementation_france, door, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(editor)
    pk, version = implementation_france.pk, implementation_france.version
    with django_capture_on_commit_callbacks(execute=True):
        if door == "page":
            client.post(
                reverse("staff:implementation-assign", args=[pk]),
                {"version": version, "owner": focal_point_france.pk, "position": "supported"},
            )
        elif door == "api":
            client.patch(
                f"/api/v1/implementations/{pk}/",
                {"version": version, "owner": focal_point_france.pk},
                content_type="application/json",
            )
        else:
            client.post(
                reverse("admin:recommendations_implementation_change", args=[pk]),
                {
                    "expected_version": version,  # the admin form carries the version it was loaded at
                    "owner": focal_point_france.pk,
                    "position": "supported",
                    "lead_agency": "",
                    "due_date": "",
                    "internal_note": "",
                    "updates-TOTAL_FORMS": "0",
                    "updates-INITIAL_FORMS": "0",
                    "evidence-TOTAL_FORMS": "0",
                    "evidence-INITIAL_FORMS": "0",
                },
            )
    implementation_france.refresh_from_db()
    assert implementation_france.owner == focal_point_france
    assert [m.to for m in mail.outbox] == [[focal_point_france.email]]


def test_reassigning_the_same_owner_sends_nothing(
    editor, focal_point_france, implementation_france, django_capture_on_commit_callbacks
):
    from recommendations import services

    services.implementation_assign(
        implementation=implementation_france, actor=editor, owner=focal_point_france, notify=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_assign(
            implementation=implementation_france, actor=editor, owner=focal_point_france, lead_agency="Ministry"
        )
    assert mail.outbox == []
