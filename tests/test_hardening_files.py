"""Issue 16, findings 1, 5 and 7: archive bombs among evidence files and imports, deep fixtures and
YAML "billion laughs" are refused with a message, quickly, and nothing is stored or written.

The bombs are real: small files on disk whose members unpack to hundreds of megabytes (written in
chunks here, so building them costs no memory)."""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recommendations import imports
from recommendations.models import Implementation, State, StatusUpdate

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
IMPORT_URL = "/admin/recommendations/implementation/import/"


def _deflated_run(head: bytes, size: int, fill: bytes = b" ") -> tuple[bytes, int]:
    """Raw deflate data of `head` then `fill` up to `size` bytes, and its CRC-32, built in a moment:
    one mebibyte of fill is compressed once, flushed to a byte boundary with no history, and the
    block repeated (a valid stream: each copy refers to nothing before it)."""
    chunk = fill * MiB

    def block(data):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    first = head + chunk[: MiB - len(head)]
    blocks, crc = [block(first)], zlib.crc32(first)
    repeated = block(chunk)
    for _ in range(size // MiB - 1):
        blocks.append(repeated)
        crc = zlib.crc32(chunk, crc)
    blocks.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))  # the final, empty block
    return b"".join(blocks), crc


def _zip(members) -> bytes:
    """A ZIP written by hand, so its members can be pre-deflated runs: (name, data) members are
    deflated as usual, (name, head, size) members are `head` then spaces up to `size` bytes."""
    local, central = io.BytesIO(), io.BytesIO()
    for member in members:
        name = member[0].encode()
        if len(member) == 2:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(member[1]) + compressor.flush()
            crc, size = zlib.crc32(member[1]), len(member[1])
        else:
            data, crc = _deflated_run(member[1], member[2])
            size = member[2]
        offset = local.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(name))
        local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + name)
    directory = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), local.tell(), 0)
    return local.getvalue() + directory + end


def odt_bomb(size=300 * MiB):
    """The reviewer's ODT: its `mimetype` is the right string followed by 300 MiB of spaces."""
    return _zip(
        [("mimetype", b"application/vnd.oasis.opendocument.text", size), ("content.xml", b"<office:document-content/>")]
    )


def docx_bomb(size=1024 * MiB):
    """A DOCX of about 1 MB whose document unpacks to 1 GiB."""
    return _zip(
        [("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'), ("word/document.xml", b"<w:document>", size)]
    )


@pytest.fixture
def api(focal_point_france, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=focal_point_france)[0].key}")
    return client


def _upload(api, name, data):
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    started = time.monotonic()
    response = api.post(
        f"/api/v1/implementations/{implementation.pk}/evidence/",
        {"title": "Report", "kind": "report", "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )
    return implementation, response, time.monotonic() - started


@pytest.mark.parametrize(
    ("name", "build"), [("report.odt", odt_bomb), ("report.docx", docx_bomb)], ids=["odt-300MiB", "docx-1GiB"]
)
def test_an_office_file_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_stored(
    api, name, build, tmp_path
):
    data = build()
    assert len(data) < 2 * MiB  # small on disk
    implementation, response, seconds = _upload(api, name, data)
    assert response.status_code == 400, response.content[:300]
    assert "unpacks to more than" in str(response.json()["file"]) or "expands more than" in str(response.json()["file"])
    assert not implementation.evidence.exists()
    assert not any((tmp_path / "media").rglob("*.*"))
    assert seconds < 10


def test_an_archive_with_too_many_members_is_refused(api):
    members = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]
    members += [(f"word/media/{n}.xml", b"x") for n in range(1100)]
    implementation, response, _seconds = _upload(api, "many.docx", _zip(members))
    assert response.status_code == 400
    assert "more than 1000 files" in str(response.json()["file"])
    assert not implementation.evidence.exists()


def test_a_damaged_archive_is_refused(api):
    data = bytearray(_zip([("[Content_Types].xml", b"<Types/>" * 100), ("word/document.xml", b"<w/>" * 500)]))
    data[60:80] = b"\x00" * 20  # inside the first member's compressed data
    implementation, response, _seconds = _upload(api, "broken.docx", bytes(data))
    assert response.status_code == 400
    assert not implementation.evidence.exists()


def test_a_real_office_file_is_still_accepted(api):
    from tests.test_uploads import docx_bytes, odf_bytes

    for name, data in (("a.docx", docx_bytes()), ("a.odt", odf_bytes(b"application/vnd.oasis.opendocument.text"))):
        _implementation, response, _seconds = _upload(api, name, data)
        assert response.status_code == 201, response.content[:300]


def _workbook_bomb(size=190 * MiB):
    """A workbook whose sheet unpacks to `size` bytes (the reviewer's: 1.36 MB to 190 MB)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["state", "commitment", "status", "effective_date", "comment"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    members = []
    for info in source.infolist():
        data = source.read(info)
        if info.filename == "xl/worksheets/sheet1.xml":
            # The sheet's XML, then spaces: the size check must refuse it long before any parser.
            members.append((info.filename, data.rsplit(b"</worksheet>", 1)[0], size))
        else:
            members.append((info.filename, data))
    return _zip(members)


def test_a_workbook_that_unpacks_to_190_megabytes_is_refused_at_the_upload_with_a_message(client, administrator):
    """The upload step refuses it in the form: no import job is stored, nothing queued, no 500."""
    from gcmtracker.models import ImportJob

    data = _workbook_bomb()
    assert len(data) < 2 * MiB
    client.force_login(administrator)
    before = StatusUpdate.objects.count()
    response = client.post(IMPORT_URL, {"kind": "status_updates", "file": SimpleUploadedFile("bomb.xlsx", data)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "unpacks to more than" in content or "expands more than" in content
    assert 'name="token"' not in content  # no Apply button
    assert not ImportJob.objects.exists()
    assert StatusUpdate.objects.count() == before


def test_an_import_job_holding_the_same_workbook_ends_with_the_refusal_not_a_failure(client, administrator):
    """Should such a file reach a job anyway (stored before the upload check, or queued again), the
    task ends "done" with the refusal as the report's error, and the job's page shows it."""
    from gcmtracker.models import ImportJob
    from recommendations.imports.tasks import queue_import

    job = ImportJob.objects.create(
        user=administrator, kind="status_updates", filename="bomb.xlsx", data=_workbook_bomb()
    )
    before = StatusUpdate.objects.count()
    queue_import(job)  # the suite's task backend runs it at once
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and not job.applied and job.failure == ""
    assert any("unpacks to more than" in message or "expands more than" in message for _, _, message in job.errors)
    client.force_login(administrator)
    response = client.get(f"{IMPORT_URL}{job.pk}/")
    assert response.status_code == 200
    assert "unpacks to more than" in response.content.decode() or "expands more than" in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert StatusUpdate.objects.count() == before


def test_the_command_line_import_refuses_the_same_workbook(administrator):
    report = imports.run_import(kind="status_updates", filename="bomb.xlsx", data=_workbook_bomb(), user=administrator)
    assert not report.ok
    assert "unpacks to more than" in report.errors[0].message or "expands more than" in report.errors[0].message


BILLION_LAUGHS = (
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
)


def test_a_billion_laughs_yaml_is_refused_quickly_with_no_apply_button(client, administrator):
    assert len(BILLION_LAUGHS) < 430
    client.force_login(administrator)
    started = time.monotonic()
    response = client.post(
        IMPORT_URL, {"kind": "fixture", "file": SimpleUploadedFile("laughs.yaml", BILLION_LAUGHS)}, follow=True
    )
    assert time.monotonic() - started < 2
    content = response.content.decode()
    assert response.status_code == 200
    assert "stand for more than" in content
    assert 'name="token"' not in content


def test_a_hundred_thousand_deep_fixture_is_refused_not_a_500(client, administrator):
    client.force_login(administrator)
    data = b"[" * 100_000 + b"]" * 100_000
    response = client.post(IMPORT_URL, {"kind": "fixture", "file": SimpleUploadedFile("deep.json", data)}, follow=True)
    assert response.status_code == 200
    assert "nested more than" in response.content.decode()


def test_a_deep_yaml_fixture_is_refused_not_a_500(administrator):
    data = b"[" * 20_000 + b"]" * 20_000
    report = imports.run_import(kind="fixture", filename="deep.yaml", data=data, user=administrator)
    assert not report.ok and "nested more than" in report.errors[0].message


def test_a_fixture_with_an_integer_of_ten_thousand_digits_is_refused(administrator):
    data = b'[{"model": "recommendations.state", "fields": {"iso2": "QQ", "numeric": ' + b"9" * 10_000 + b"}}]"
    report = imports.run_import(kind="fixture", filename="big.json", data=data, user=administrator)
    assert not report.ok
    assert not State.objects.filter(iso2="QQ").exists()
