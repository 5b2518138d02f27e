"""Emails go out from a background task, never from the request that caused them.

`queue_email()` queues one message; the worker sends it. A failed send (the SMTP server down,
refusing, timing out) is logged and tried again later, up to EMAIL_MAX_ATTEMPTS times, waiting
1, 2, 4, 8... minutes; the last failure is logged as an error. So an SMTP error is never a 500
and never undoes the change that the email is about.

Inside a transaction, the task is queued in the same transaction (the database queue): the email
exists if and only if the change committed.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from gcmtracker.logs import current, log_context

logger = logging.getLogger(__name__)


def queue_email(*, subject: str, body: str, to: list[str], kind: str) -> None:
    """Queue one email. `kind` names it in the logs (assignment, digest, ...)."""
    try:
        # A savepoint: a failure to queue must not break the caller's transaction.
        with transaction.atomic():
            send_email.enqueue(subject=subject, body=body, to=list(to), kind=kind, request_id=current()["request_id"])
    except Exception:
        # Queueing failed (the database refused?): the change stands; say so in the log.
        logger.exception("email not queued", extra={"kind": kind, "to": list(to)})


def _retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=2 ** (attempt - 1))


@task()
def send_email(*, subject: str, body: str, to: list[str], kind: str, request_id: str = "-", attempt: int = 1) -> str:
    with log_context(door="task", request_id=request_id):
        details = {"kind": kind, "to": to, "attempt": attempt}
        try:
            EmailMessage(subject, body, to=to).send()
        except Exception as error:
            if attempt >= settings.EMAIL_MAX_ATTEMPTS:
                logger.error("email failed, giving up: %s", error, extra=details)
                return "failed"
            delay = _retry_delay(attempt)
            logger.warning("email failed, trying again in %s: %s", delay, error, extra=details)
            retry = send_email
            if default_task_backend.supports_defer:
                retry = send_email.using(run_after=timezone.now() + delay)
            retry.enqueue(subject=subject, body=body, to=to, kind=kind, request_id=request_id, attempt=attempt + 1)
            return "retrying"
        logger.info("email sent", extra=details)
        return "sent"
