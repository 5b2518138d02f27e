"""Account pages that need more than django.contrib.auth gives: a throttled password reset, and
the second factor staff prove after their password (below).

Why not a library: django-axes (already here) counts failed logins only, and a rate-limit package
for one form is more to keep up to date than the fixed-window counter below, which runs on the
same cache as everything else (`throttle.py`; Redis in production, so every app server shares the counts).
"""

import base64

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import authentication, exceptions

from gcmtracker.throttle import hit
from recommendations import permissions


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, at most PASSWORD_RESET_PER_ACCOUNT requests per address asked for
    and PASSWORD_RESET_PER_CLIENT per client IP in PASSWORD_RESET_WINDOW_SECONDS. Past either, the
    form answers 429 and sends nothing; the answer is the same whether the account exists or not."""

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        email = form.cleaned_data["email"].strip().lower()
        client = self.request.META.get("REMOTE_ADDR", "")
        # Both counters count every request, so neither can be used to probe the other.
        per_client = hit(f"reset:client:{client}", settings.PASSWORD_RESET_PER_CLIENT, window)
        per_account = hit(f"reset:account:{email}", settings.PASSWORD_RESET_PER_ACCOUNT, window)
        if not (per_client and per_account):
            form.add_error(
                None,
                _("Too many password reset requests. Wait %(minutes)d minutes, then ask again.")
                % {"minutes": max(1, window // 60)},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


# --- Two-factor authentication for staff (django-otp) ---------------------------------------
#
# Editors and administrators (and focal points when TWO_FACTOR_FOCAL_POINTS is on) prove a second
# factor after their password: a TOTP code from an authenticator app, or one of ten single-use
# recovery codes (django-otp's static tokens). Until they do, `SecondFactorMiddleware` sends them
# from the staff pages and the admin to the page below and treats them as the public everywhere
# else, and an API token of theirs is refused until they have enrolled. The import command runs on
# the server as its operator and is not a login.

RECOVERY_CODES = 10


def two_factor_required(user) -> bool:
    """Whether this account must prove a second factor before it acts as staff (the rule is
    `permissions.needs_second_factor`)."""
    return permissions.needs_second_factor(user)


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def new_recovery_codes(user) -> list[str]:
    """Replace the account's recovery codes with ten new single-use ones, and return them."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrol_totp(user) -> TOTPDevice:
    """The account's authenticator, created unconfirmed until a first code proves it was set up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@permissions.signed_in_required
def two_factor(request):
    """Prove the second factor, or set it up the first time (the secret shown as text and as an
    otpauth:// address for authenticator apps), or, once verified, make new recovery codes."""
    user = request.user
    if not two_factor_required(user) and not totp_device(user):
        return redirect(_next(request))
    device = totp_device(user)
    context = {"next": _next(request), "required": two_factor_required(user)}
    if is_verified(user):
        if request.method == "POST" and "recovery" in request.POST:
            context["codes"] = new_recovery_codes(user)
            return render(request, "registration/two_factor_codes.html", context)
        return render(request, "registration/two_factor_on.html", context)

    form = CodeForm(request.POST or None)
    if device is None:
        pending = enrol_totp(user)
        if form.is_valid() and pending.verify_token(form.cleaned_data["code"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            context["codes"] = new_recovery_codes(user)
            return render(request, "registration/two_factor_codes.html", context)
        if form.is_bound and form.is_valid():
            form.add_error("code", _("That code is not the one the app shows now. Check the key and try again."))
        context.update(form=form, secret=totp_secret(pending), uri=pending.config_url)
        return render(request, "registration/two_factor_enrol.html", context, status=400 if form.is_bound else 200)

    if form.is_valid():
        verified = match_token(user, form.cleaned_data["code"])
        if verified is not None:
            otp_login(request, verified)
            return redirect(context["next"])
        form.add_error(
            "code", _("That code is not valid (codes change every 30 seconds; each recovery code works once).")
        )
    context["form"] = form
    return render(request, "registration/two_factor_verify.html", context, status=400 if form.is_bound else 200)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, refusing the token of an account that must use a second factor
    and has not set one up: the token is given by an administrator, but the account behind it must
    be one that could log in. What decides it is read with the token, in the same one query."""

    def authenticate_credentials(self, key):
        needing_it = permissions.needing_second_factor(get_user_model().objects.filter(pk=OuterRef("user")))
        tokens = (
            self.get_model()
            .objects.select_related("user")
            .annotate(
                has_authenticator=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)),
                needs_it=Exists(needing_it),
            )
        )
        try:
            token = tokens.get(key=key)
        except self.get_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.needs_it and not token.has_authenticator:
            raise exceptions.AuthenticationFailed(
                _("This account must set up two-factor authentication (on the site) before it uses a token.")
            )
        return user, token
