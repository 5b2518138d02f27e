"""Limits on what untrusted input may cost before anything looks at its content.

Every door that parses structured input goes through here: the API's JSON bodies (`JSONParser`
below), the importer's fixtures (`load_json`, `load_yaml`), spreadsheets and evidence files that
are ZIP containers (`check_archive`). Each limit is a setting (README, "Limits"), and each refusal
is a `LimitExceeded` with a message a person can act on, raised before any per-item work.

Why these and not Python's defaults: `json.loads` and PyYAML recurse once per nesting level, so a
deep document ends in RecursionError (a 500); PyYAML shares an alias's node but anything that
walks the result walks it once per reference (a 430-byte "billion laughs" becomes 10^6 nodes);
and a ZIP member's declared size is whatever its author wrote, so archives are measured by
decompressing them in chunks and stopping at the cap.
"""

import json
import zipfile
import zlib

import yaml
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers, throttling
from rest_framework.exceptions import ParseError

_CHUNK = 64 * 1024


class LimitExceeded(ValueError):
    """The input is larger, deeper or more repetitive than the limits allow."""


class DamagedArchive(ValueError):
    """A ZIP whose directory reads but whose members do not unpack (bad data, CRC, method)."""


# --- nesting --------------------------------------------------------------------------------


def check_depth(data, max_depth: int | None = None) -> None:
    """Refuse lists and objects nested deeper than `max_depth` (walked with a stack, not recursion)."""
    max_depth = settings.INPUT_MAX_DEPTH if max_depth is None else max_depth
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth > max_depth:
            raise LimitExceeded(_("The data is nested more than %(depth)d levels deep.") % {"depth": max_depth})
        stack.extend((child, depth + 1) for child in children)


def _no_constants(name):
    raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


def load_json(text: str | bytes, max_depth: int | None = None):
    """`json.loads` with a nesting limit, refusing NaN and Infinity (not JSON). Malformed JSON raises
    `ValueError` (`json.JSONDecodeError`) as usual."""
    max_depth = settings.INPUT_MAX_DEPTH if max_depth is None else max_depth
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise LimitExceeded(_("The data is nested more than %(depth)d levels deep.") % {"depth": max_depth}) from None
    check_depth(data, max_depth)
    return data


# --- YAML -----------------------------------------------------------------------------------


class _LimitedSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, measuring while it composes the document: the nesting depth, and how
    many values the aliases stand for once expanded. PyYAML shares an alias's node, but anything
    that walks the result (validation, comparison, loaddata) walks it once per reference: six lines
    of ten aliases each ("billion laughs") stand for a million values."""

    max_alias_nodes = 0
    max_depth = 0

    def __init__(self, stream):
        super().__init__(stream)
        self._sizes = {}  # id(node) -> values in its expanded subtree
        self._open = []  # values counted so far under each node being composed
        self._through_aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node), 1)
            self._through_aliases += size
            if self._through_aliases > self.max_alias_nodes:
                raise LimitExceeded(
                    _("The YAML's aliases (*name) stand for more than %(count)d values.")
                    % {"count": self.max_alias_nodes}
                )
            self._add(size)
            return node
        if len(self._open) >= self.max_depth:
            raise LimitExceeded(_("The data is nested more than %(depth)d levels deep.") % {"depth": self.max_depth})
        self._open.append(0)
        try:
            node = super().compose_node(parent, index)
        finally:
            size = 1 + self._open.pop()
        self._sizes[id(node)] = size
        self._add(size)
        return node

    def _add(self, size):
        if self._open:
            self._open[-1] += size


def load_yaml(text: str, max_depth: int | None = None, max_alias_nodes: int | None = None):
    """`yaml.safe_load` that refuses, while composing and before any value is built, nesting deeper
    than INPUT_MAX_DEPTH and aliases standing for more than YAML_MAX_ALIAS_NODES values. Malformed
    YAML raises `yaml.YAMLError` as usual."""
    loader_class = type(
        "LimitedSafeLoader",
        (_LimitedSafeLoader,),
        {
            "max_depth": settings.INPUT_MAX_DEPTH if max_depth is None else max_depth,
            "max_alias_nodes": settings.YAML_MAX_ALIAS_NODES if max_alias_nodes is None else max_alias_nodes,
        },
    )
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise LimitExceeded(
            _("The data is nested more than %(depth)d levels deep.") % {"depth": loader_class.max_depth}
        ) from None
    finally:
        loader.dispose()


# --- ZIP containers (OOXML, ODF) ------------------------------------------------------------


def check_archive(file) -> None:
    """Refuse a ZIP whose members are too many, unpack to more than `ARCHIVE_MAX_UNCOMPRESSED_BYTES`
    in all, or expand more than `ARCHIVE_MAX_RATIO` times. Each member is decompressed in chunks and
    counted as it comes (declared sizes are not trusted), stopping at the first limit passed; nothing
    is kept. `file` is a seekable binary file; its position is restored. Raises `zipfile.BadZipFile`
    for a file that is not a ZIP and `DamagedArchive` for one whose members do not unpack."""
    max_total = settings.ARCHIVE_MAX_UNCOMPRESSED_BYTES
    max_members = settings.ARCHIVE_MAX_MEMBERS
    max_ratio = settings.ARCHIVE_MAX_RATIO
    too_big = LimitExceeded(
        _("The archive unpacks to more than %(limit)s; files this compressed are refused.")
        % {"limit": filesizeformat(max_total)}
    )
    position = file.tell()
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise LimitExceeded(_("The archive holds more than %(count)d files.") % {"count": max_members})
            compressed = sum(info.compress_size for info in members)
            if sum(info.file_size for info in members) > max_total:
                raise too_big
            total = 0
            for info in members:
                if info.is_dir():
                    continue
                try:
                    with archive.open(info) as member:
                        while chunk := member.read(_CHUNK):
                            total += len(chunk)
                            if total > max_total:
                                raise too_big
                            # Small files compress well enough to look like bombs: judge the ratio
                            # only once there is enough to judge.
                            if total > _CHUNK * 16 and total > max_ratio * max(compressed, 1):
                                raise LimitExceeded(
                                    _(
                                        "The archive expands more than %(ratio)d times; "
                                        "files this compressed are refused."
                                    )
                                    % {"ratio": max_ratio}
                                )
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
                    raise DamagedArchive(str(exc)) from exc
    finally:
        file.seek(position)


# --- the API's JSON bodies ------------------------------------------------------------------


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a body-size and a nesting limit (400, not a RecursionError's 500, and
    not a worker reading gigabytes)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(_("The request body is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("The request body is not %(encoding)s text.") % {"encoding": encoding}) from exc
        try:
            return load_json(text)
        except LimitExceeded as exc:
            raise ParseError(str(exc)) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None


# --- API request rates ----------------------------------------------------------------------


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's throttle for anonymous clients (by address), its rate read from API_THROTTLE_ANON at
    each request rather than once at import, so settings (and tests) can change it; empty turns it off."""

    def get_rate(self):
        return settings.API_THROTTLE_ANON or None


class UserRateThrottle(throttling.UserRateThrottle):
    """DRF's throttle per logged-in user (session or token), at API_THROTTLE_USER."""

    def get_rate(self):
        return settings.API_THROTTLE_USER or None
