"""Writes of stakeholder organisations and their contributors: self-registration (an organisation
and its first contributor's account, inactive until the email address is confirmed with Django's
token generator), the confirmation, and an editor's approval or rejection of the organisation.

Every write leaves a change record, staff-only (`changes.PRIVATE`): nothing here is public until
an editor approves a report (`stakeholder_reports.py`). Emails are queued as background tasks
(gcmtracker/mail.py), in the transaction of the write they tell about.
"""

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from gcmtracker.mail import queue_email

from .. import permissions
from ..choices import OrganisationStatus, ReportStatus, Role
from ..models import Contributor, Organisation, State
from . import changes
from .context import service
from .logs import denied, logger


class StaleModeration(ValidationError):
    """Someone changed the record after the editor opened it. Nothing was written."""

    def __init__(self, current_version: int):
        super().__init__(
            _(
                "This record was changed by someone else since you opened it (now version %(version)s). "
                "Nothing was saved: review their change and try again."
            )
            % {"version": current_version},
            code="stale",
        )


def check_version(locked, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        logger.warning(
            "stale stakeholder edit refused",
            extra={"record": str(locked.pk), "expected_version": expected_version, "current_version": locked.version},
        )
        raise StaleModeration(locked.version)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send(*, to: list[str], subject: str, body: str, kind: str) -> None:
    """Queue the email to each contributor, one message each (no one sees another's address), in
    the site's language."""
    for address in dict.fromkeys(address for address in to if address):
        queue_email(subject=f"[GCM Tracker] {subject}", body=body, to=[address], kind=kind)


def confirmation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("stakeholders:confirm", args=[uid, default_token_generator.make_token(user)])


@service
def organisation_register(
    *,
    name: str,
    kind: str,
    username: str,
    email: str,
    password: str,
    country: State | None = None,
    website: str = "",
    is_demo: bool = False,
) -> Contributor:
    """Register an organisation (waiting for an editor's approval) and its first contributor's
    account, inactive until its email address is confirmed (the email holds the link)."""
    User = get_user_model()
    name, username, email = name.strip(), username.strip(), email.strip()
    errors = {}
    if Organisation.objects.filter(name__iexact=name).exists():
        errors["name"] = _("An organisation of this name is already registered.")
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This user name is taken.")
    if not email:
        errors["email"] = _("Give an email address: the confirmation link is sent there.")
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("An account with this email address exists already.")
    organisation = Organisation(name=name, kind=kind, country=country, website=website.strip(), is_demo=is_demo)
    user = User(username=username, email=email, is_active=False)
    for instance, exclude in ((organisation, ["country", "moderated_by"]), (user, ["password"])):
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, " ".join(messages))
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    permissions.grant_role(user, Role.CONTRIBUTOR)
    organisation.save()
    contributor = Contributor.objects.create(user=user, organisation=organisation, is_demo=is_demo)
    changes.record(actor=None, instance=organisation, before={})
    changes.record(actor=None, instance=contributor, before={})
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "You registered %(organisation)s on the GCM Tracker as a stakeholder organisation.\n\n"
            "Confirm your email address by opening this link:\n%(url)s\n\n"
            "Then an editor of the secretariat reviews the organisation; you will hear when it is approved.\n"
            "If you did not register, ignore this email: nothing happens."
        ) % {"organisation": organisation, "url": absolute_url(confirmation_path(user))}
        send(to=[email], subject=_("Confirm your email address"), body=body, kind="stakeholder_confirm")
    logger.info("stakeholder organisation registered", extra={"organisation": organisation.pk})
    return contributor


@service
def contributor_confirm_email(*, uidb64: str, token: str) -> Contributor:
    """Confirm a contributor's email address from the link they were sent, and open the account.
    A link that is wrong, expired or already used for another password is refused."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    contributor = Contributor.objects.select_for_update().filter(user=user).first() if user else None
    if contributor is None or not default_token_generator.check_token(user, token):
        raise ValidationError(_("This confirmation link is not valid or has expired."), code="invalid_link")
    if contributor.email_confirmed_at is None:
        before = changes.snapshot(contributor)
        contributor.email_confirmed_at = timezone.now()
        contributor.save(update_fields=["email_confirmed_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
        changes.record(actor=user, instance=contributor, before=before)
    return contributor


@service
def organisation_moderate(
    *, actor, organisation: Organisation, approve: bool, reason: str = "", expected_version: int | None = None
) -> Organisation:
    """An editor approves an organisation (its contributors may then submit reports) or rejects
    it with a reason (its contributors are told; it submits nothing more). Either may be undone
    by the opposite decision."""
    if not permissions.can_moderate_stakeholders(actor):
        raise denied(_("Only the secretariat approves or rejects stakeholder organisations."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(organisation, expected_version)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection: it is sent to the contributors.")})
    before = changes.snapshot(organisation)
    organisation.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.REJECTED
    organisation.reason = "" if approve else reason
    organisation.moderated_by, organisation.moderated_at = actor, timezone.now()
    organisation.version += 1
    organisation.full_clean(exclude=["country", "moderated_by"], validate_unique=False)
    organisation.save()
    changes.record(actor=actor, instance=organisation, before=before)
    # Its approved reports appear or disappear with it (StakeholderReport.objects.public()).
    _touch_reports_of(organisation)
    with translation.override(settings.LANGUAGE_CODE):
        if approve:
            subject = _("%(organisation)s is approved") % {"organisation": organisation}
            body = _("An editor approved %(organisation)s: you may now submit stakeholder reports.\n%(url)s") % {
                "organisation": organisation,
                "url": absolute_url(reverse("stakeholders:mine")),
            }
        else:
            subject = _("%(organisation)s was not approved") % {"organisation": organisation}
            body = _("An editor did not approve %(organisation)s, for this reason:\n\n%(reason)s") % {
                "organisation": organisation,
                "reason": reason,
            }
        emails = list(organisation.contributors.values_list("user__email", flat=True))
        send(to=emails, subject=subject, body=body, kind="stakeholder_organisation")
    logger.info("stakeholder organisation moderated", extra={"organisation": organisation.pk, "approved": approve})
    return organisation


def _touch_reports_of(organisation) -> None:
    from gcmtracker.scopes import touch

    from .scopes import implementation_scopes

    for report in organisation.reports.filter(status=ReportStatus.APPROVED).select_related(
        "implementation__state", "implementation__commitment", "implementation__recommendation"
    ):
        touch(*implementation_scopes(report.implementation))
