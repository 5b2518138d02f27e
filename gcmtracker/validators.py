"""Validators for text that staff write and the public reads: links that point where they say, and
text that reads the way it displays.

A right-to-left override (U+202E) makes `https://evil.example\u202e/gpj.exe` display as
`https://evil.example/exe.jpg`; credentials in a link (`https://user:pass@host/`) hide the real host
behind a familiar one; and a link to a private address or the tracker's own host turns a reader's
browser (or a staff member's) into a tool against the network it sits in. None of these has a use
in evidence, so they are refused when written, whatever the door.
"""

import ipaddress
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidirectional controls: embeddings, overrides, isolates and marks. They change the order in which
# the text around them is shown, so a name can read as something it is not.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(text: str, allow_newlines: bool) -> bool:
    for char in text:
        if char in BIDI_CONTROLS:
            return True
        if allow_newlines and char in "\n\r\t":
            continue
        if unicodedata.category(char) == "Cc":
            return True
    return False


@deconstructible
class PlainTextValidator:
    """Refuse bidirectional controls and control characters (newlines too, unless allowed)."""

    def __init__(self, allow_newlines: bool = False):
        self.allow_newlines = allow_newlines

    def __call__(self, value):
        if value and _has_control(str(value), self.allow_newlines):
            raise ValidationError(
                _("Remove the invisible control characters (such as right-to-left overrides) from this text."),
                code="control_characters",
            )

    def __eq__(self, other):
        return isinstance(other, PlainTextValidator) and other.allow_newlines == self.allow_newlines


def _is_own_host(host: str) -> bool:
    """The tracker's own names: ALLOWED_HOSTS (".example.org" covers its subdomains) and SITE_URL's."""
    patterns = [name.lower() for name in settings.ALLOWED_HOSTS if name != "*"]
    patterns.append((urlsplit(settings.SITE_URL).hostname or "").lower())
    for pattern in filter(None, patterns):
        if pattern.startswith("."):
            if host == pattern[1:] or host.endswith(pattern):
                return True
        elif host == pattern.strip("[]"):
            return True
    return False


def _is_internal_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    return not address.is_global or address.is_multicast


@deconstructible
class PublicURLValidator:
    """An http(s) link to a public host: no credentials, no control or bidi characters, no private,
    loopback or link-local address, and not the tracker itself (ALLOWED_HOSTS, SITE_URL)."""

    def __call__(self, value):
        if not value:
            return
        value = str(value)
        if _has_control(value, allow_newlines=False) or any(char.isspace() for char in value):
            raise ValidationError(
                _("The link holds spaces or invisible control characters (such as right-to-left overrides)."),
                code="url_control_characters",
            )
        URLValidator(schemes=["http", "https"], message=_("Give a web address starting with http:// or https://."))(
            value
        )
        parts = urlsplit(value)
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise ValidationError(_("A link must not hold a user name or password."), code="url_credentials")
        host = (parts.hostname or "").lower().rstrip(".")
        if _is_internal_address(host):
            raise ValidationError(
                _("The link points at a private or local address; evidence must be on the public web."),
                code="url_private",
            )
        if _is_own_host(host):
            raise ValidationError(
                _("The link points at this tracker; attach the file or link to the original source."),
                code="url_own_host",
            )

    def __eq__(self, other):
        return isinstance(other, PublicURLValidator)


def url_host(value: str) -> str:
    """The host of a link, shown beside its title so a reader sees where it leads. Internationalised
    names stay in their ASCII (xn--) form, as browsers show mixed-script look-alikes."""
    try:
        host = urlsplit(value or "").hostname or ""
    except ValueError:
        return ""
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host
