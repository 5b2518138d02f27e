"""Reporting rounds' emails (recommendations/staff/notifications.py): the opening notice to the
round's states' focal points (and to stakeholder contributors when the round invites them), the
reminder before the deadline and the one after it, each to the states that have not reported
everything, each at most once per state and kind; a closed round sends nothing. The daily job
is `run_scheduled --only round-reminders`, with `--date` to act on another day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations import services
from recommendations.choices import Role
from recommendations.models import RoundReminder, State
from recommendations.staff import notifications
from tests.factories import UserFactory
from tests.rounds_arrange import item, make_cycle, moment, open_round, report

pytestmark = pytest.mark.django_db

OPENS, DEADLINE = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
BEFORE_DAY = DEADLINE - datetime.timedelta(days=notifications.ROUND_REMINDER_DAYS)


@pytest.fixture
def spring(editor, focal_point_france, focal_point_kenya):
    """France and Kenya on commitments 1 and 2, opened on 1 June (nobody told yet), due 30 June."""
    return open_round(editor, make_cycle(), message="Please report before the regional review.")


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def france_reports_everything(focal_point_france):
    for number in (1, 2):
        report(focal_point_france, item("FR", number), moment(datetime.date(2026, 6, 10)))


def test_the_opening_email_goes_to_the_focal_points_of_the_rounds_states(
    spring, focal_point_france, focal_point_kenya, editor
):
    assert notifications.round_opened(spring) == 2

    assert recipients() == sorted([focal_point_france.email, focal_point_kenya.email])
    message = mail.outbox[0]
    assert "Spring round" in message.subject and "2026-06-30" in message.subject
    assert "Please report before the regional review." in message.body
    assert "/staff/" in message.body and "no change, confirmed" in message.body
    assert spring.get_absolute_url() in message.body
    assert editor.email not in recipients()
    assert {(r.state.iso2, r.kind, r.recipients) for r in RoundReminder.objects.filter(round=spring)} == {
        ("FR", "opening", 1),
        ("KE", "opening", 1),
    }


def test_opening_the_round_through_the_service_emails_once_it_commits(
    editor, focal_point_france, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            actor=editor,
            cycle=make_cycle(),
            name="Autumn round",
            opens_on=datetime.date(2026, 1, 1),
            deadline=datetime.date(2027, 1, 31),
            states=["FR"],
            commitments=[1],
        )
    assert recipients() == [focal_point_france.email]


def test_the_opening_is_sent_once(spring, focal_point_france):
    notifications.round_opened(spring)
    mail.outbox.clear()
    assert notifications.round_opened(spring) == 0
    assert notifications.send_round_reminders(today=OPENS) == []
    assert mail.outbox == []


def test_a_round_that_opens_later_is_announced_on_its_opening_day(editor, focal_point_france):
    from tests.rounds_arrange import clock

    later = open_round(
        editor, make_cycle(), states=["FR"], opens_on=datetime.date(2026, 7, 1), deadline=datetime.date(2026, 7, 31)
    )
    with clock(moment(datetime.date(2026, 6, 20))):
        assert notifications.round_opened(later) == 0
    assert notifications.send_round_reminders(today=datetime.date(2026, 6, 30)) == []
    assert mail.outbox == []

    assert notifications.send_round_reminders(today=datetime.date(2026, 7, 1)) == [(later.slug, "opening", 1)]
    assert recipients() == [focal_point_france.email]


def test_a_focal_point_of_two_states_gets_one_email_naming_both(spring, france, kenya):
    both = UserFactory(username="fp_both", role=Role.FOCAL_POINT, states=[france, kenya])
    notifications.round_opened(spring)
    [message] = [m for m in mail.outbox if m.to == [both.email]]
    assert "France: 0 of 2 items reported" in message.body and "Kenya: 0 of 2 items reported" in message.body


def test_nobody_without_an_address_or_an_active_account_is_emailed(spring, france, focal_point_france):
    UserFactory(username="fp_no_mail", email="", role=Role.FOCAL_POINT, states=[france])
    gone = UserFactory(username="fp_gone", role=Role.FOCAL_POINT, states=[france])
    gone.is_active = False
    gone.save()
    notifications.round_opened(spring)
    assert gone.email not in recipients() and "" not in recipients()


def test_the_reminder_before_the_deadline_goes_only_to_states_not_finished(
    spring, focal_point_france, focal_point_kenya
):
    notifications.round_opened(spring)
    france_reports_everything(focal_point_france)
    mail.outbox.clear()

    assert notifications.send_round_reminders(today=BEFORE_DAY - datetime.timedelta(days=1)) == []
    assert notifications.send_round_reminders(today=BEFORE_DAY) == [(spring.slug, "before", 1)]

    assert recipients() == [focal_point_kenya.email]
    assert "Reminder" in mail.outbox[0].subject
    assert "Kenya: 0 of 2 items reported" in mail.outbox[0].body
    assert not RoundReminder.objects.filter(round=spring, state__iso2="FR", kind="before").exists()


def test_each_reminder_goes_at_most_once_per_state_and_kind(spring, focal_point_kenya):
    notifications.round_opened(spring)
    mail.outbox.clear()
    for day in (BEFORE_DAY, BEFORE_DAY + datetime.timedelta(days=1), DEADLINE):
        notifications.send_round_reminders(today=day)
    assert len([m for m in mail.outbox if m.to == [focal_point_kenya.email]]) == 1

    mail.outbox.clear()
    for day in (DEADLINE + datetime.timedelta(days=1), DEADLINE + datetime.timedelta(days=9)):
        notifications.send_round_reminders(today=day)
    [late] = [m for m in mail.outbox if m.to == [focal_point_kenya.email]]
    assert "Late" in late.subject and "shown as late" in late.body
    assert RoundReminder.objects.filter(round=spring, state__iso2="KE").count() == 3


def test_a_state_that_finished_gets_no_reminder_after_the_deadline(spring, focal_point_france, focal_point_kenya):
    notifications.round_opened(spring)
    france_reports_everything(focal_point_france)
    services.round_confirm_unchanged(actor=focal_point_kenya, round=spring, implementations=[item("KE", 1)])
    mail.outbox.clear()
    notifications.send_round_reminders(today=DEADLINE + datetime.timedelta(days=2))
    # Kenya has one item left: only Kenya hears; France reported everything.
    assert recipients() == [focal_point_kenya.email]
    assert "Kenya: 1 of 2 items reported" in mail.outbox[0].body


def test_a_closed_round_sends_nothing(spring, editor):
    services.round_close(actor=editor, round=spring, version=spring.version)
    spring.refresh_from_db()
    assert notifications.round_opened(spring) == 0
    for day in (OPENS, BEFORE_DAY, DEADLINE + datetime.timedelta(days=1)):
        assert notifications.send_round_reminders(today=day) == []
    assert mail.outbox == []
    assert not RoundReminder.objects.filter(round=spring).exists()


def test_contributors_are_invited_only_when_the_round_invites_stakeholders(editor, contributor, focal_point_france):
    mail.outbox.clear()  # the contributor's registration emails
    plain = open_round(editor, make_cycle("plain"), states=["FR"])
    notifications.round_opened(plain)
    assert contributor.email not in recipients()

    mail.outbox.clear()
    inviting = open_round(editor, make_cycle("inviting"), states=["FR"], name="Open call", invite_stakeholders=True)
    notifications.round_opened(inviting)
    [invitation] = [m for m in mail.outbox if m.to == [contributor.email]]
    assert "Open call" in invitation.subject
    assert "/stakeholders/reports/new/" in invitation.body and "France" in invitation.body
    # Contributors never see each other's addresses, nor the focal points'.
    assert all(len(message.to) == 1 for message in mail.outbox)

    mail.outbox.clear()
    notifications.send_round_reminders(today=BEFORE_DAY)
    assert contributor.email not in recipients()


def test_the_scheduled_job_sends_the_reminders_of_the_day_it_is_given(spring, focal_point_france, focal_point_kenya):
    notifications.round_opened(spring)
    mail.outbox.clear()
    out = StringIO()
    call_command("run_scheduled", "--only", "round-reminders", "--date", BEFORE_DAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == f"round-reminders: 2 round email(s) queued, {spring.slug} before: 2"
    assert recipients() == sorted([focal_point_france.email, focal_point_kenya.email])


def test_the_scheduled_job_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_scheduled", "--only", "round-reminders", "--date", "30/06/2026", stdout=StringIO())


def test_a_state_added_to_an_open_round_is_told_by_the_next_run(spring, editor, focal_point_kenya):
    notifications.round_opened(spring)
    mexico = State.objects.get(iso2="MX")
    fp_mexico = UserFactory(username="fp_mexico", role=Role.FOCAL_POINT, states=[mexico])
    services.round_edit(actor=editor, round=spring, version=spring.version, states=[*spring.states.all(), mexico])
    mail.outbox.clear()
    assert notifications.send_round_reminders(today=datetime.date(2026, 6, 5)) == [(spring.slug, "opening", 1)]
    assert recipients() == [fp_mexico.email]


def test_a_state_with_no_item_in_the_round_gets_no_reminder(editor, focal_point_france, focal_point_kenya):
    from tests.factories import ImplementationFactory, RecommendationFactory

    tracked = RecommendationFactory()
    ImplementationFactory(state=item("FR", 1).state, commitment=None, recommendation=tracked)
    round = open_round(editor, make_cycle(), commitments=[], recommendations=[tracked])
    notifications.round_opened(round)
    notifications.send_round_reminders(today=BEFORE_DAY)
    assert recipients() == [focal_point_france.email, focal_point_france.email]
