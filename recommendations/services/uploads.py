"""Checks on an uploaded evidence file before anything is stored.

The file's bytes decide its type (libmagic, plus a look inside ZIP containers for office
formats), and the extension must agree with them: a script renamed `report.pdf` is refused. The
uploader's name never reaches the file system (`tracking.evidence_upload_to` generates one), but
a name that tries to climb out of a folder or hides control characters is refused anyway, since
it is shown back to staff and used as the download name.
"""

import unicodedata
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from gcmtracker.limits import DamagedArchive, LimitExceeded, check_archive

# Extension -> (the MIME type stored and served, the types libmagic may report for such a file).
# Office formats are ZIP containers: older libmagic says "application/zip" (or octet-stream), so
# those are checked again by looking inside the archive.
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", {"application/pdf"}),
    ".png": ("image/png", {"image/png"}),
    ".jpg": ("image/jpeg", {"image/jpeg"}),
    ".jpeg": ("image/jpeg", {"image/jpeg"}),
    ".csv": ("text/csv", {"text/csv", "text/plain", "application/csv"}),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/zip",
            "application/octet-stream",
        },
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/zip",
            "application/octet-stream",
        },
    ),
    ".odt": (
        "application/vnd.oasis.opendocument.text",
        {"application/vnd.oasis.opendocument.text", "application/zip", "application/octet-stream"},
    ),
    ".ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        {"application/vnd.oasis.opendocument.spreadsheet", "application/zip", "application/octet-stream"},
    ),
}

# What must be inside an office file's ZIP for it to be what its extension says.
_OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_ODF_MIMETYPE = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}

# libmagic needs the first few kilobytes; some formats (OOXML) only show themselves further in.
_SNIFF_BYTES = 64 * 1024


def allowed_extensions() -> list[str]:
    return sorted(ALLOWED_TYPES)


def validate_evidence_file(file):
    """Refuse a file that is too big, of a type not allowed, whose content does not match its
    extension, or whose name is unsafe. Returns the file with `gcm_content_type` set, which
    `services.evidence_add` stores and the download view serves."""
    name = getattr(file, "name", "") or ""
    _check_name(name)
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            _("The file is too big (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size or 0), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")

    extension = PurePosixPath(name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted: %(allowed)s.")
            % {"extension": extension or _("(none)"), "allowed": ", ".join(allowed_extensions())},
            code="extension",
        )
    content_type, sniffed_ok = ALLOWED_TYPES[extension]

    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    if extension in _OOXML_PART or extension in _ODF_MIMETYPE:
        _check_archive_limits(file)
    sniffed = magic.from_buffer(head, mime=True)
    if sniffed not in sniffed_ok or not _content_agrees(file, extension, head):
        raise ValidationError(
            _("The file's content (%(sniffed)s) does not match its name “%(extension)s”.")
            % {"sniffed": sniffed, "extension": extension},
            code="content",
        )
    file.gcm_content_type = content_type
    return file


def _check_name(name: str) -> None:
    """Refuse names with folders, parent references, control characters or no real name."""
    bad = (
        not name
        or len(name) > 255
        or name != PurePosixPath(name).name
        or name != PureWindowsPath(name).name
        or name.startswith(".")
        or ".." in name
        or any(unicodedata.category(ch).startswith("C") for ch in name)
    )
    if bad:
        raise ValidationError(_("The file name “%(name)s” is not allowed.") % {"name": name[:80]}, code="name")


def _check_archive_limits(file) -> None:
    """An office file is a ZIP: refuse one that unpacks to far more than it weighs (a "zip bomb")
    before anything reads its members (gcmtracker.limits.check_archive streams and counts them)."""
    try:
        check_archive(file)
    except LimitExceeded as exc:
        raise ValidationError(str(exc), code="archive") from None
    except DamagedArchive:
        raise ValidationError(_("The file is damaged: its contents cannot be unpacked."), code="content") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        pass  # not a ZIP at all: the content check below refuses it with its own message


def _content_agrees(file, extension: str, head: bytes) -> bool:
    """Second look for formats libmagic cannot always tell apart from a plain ZIP or text."""
    if extension in _OOXML_PART or extension in _ODF_MIMETYPE:
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if extension in _OOXML_PART:
                    return "[Content_Types].xml" in names and _OOXML_PART[extension] in names
                if "mimetype" not in names:
                    return False
                # The member is read no further than the type it must hold, plus a little.
                expected = _ODF_MIMETYPE[extension]
                with archive.open("mimetype") as member:
                    return member.read(len(expected) + 64).strip() == expected
        except (zipfile.BadZipFile, KeyError, OSError, zlib.error, NotImplementedError, EOFError, ValueError):
            return False
        finally:
            file.seek(0)
    if extension == ".csv":
        # Text, not a binary that happens to look like text at its start.
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is fine; anything else is not text.
            if exc.start < len(head) - 4:
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    return False
    return True
