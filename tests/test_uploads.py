"""Evidence uploads: size limit, type decided by content and extension together, safe names, and
the file stored under a generated name outside the static files, served only through the view."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.choices import Status
from recommendations.models import Evidence, StatusUpdate
from recommendations.services.uploads import validate_evidence_file
from tests.factories import minimal_pdf_bytes

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "state"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf_bytes(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF requires
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def csv_bytes():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["state", "status"], ["France", "in progress"], ["Côte d'Ivoire", "planned"]])
    return buffer.getvalue().encode()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("law.pdf", minimal_pdf_bytes(), "application/pdf"),
        ("chart.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("figures.csv", csv_bytes(), "text/csv"),
        ("plan.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("plan.odt", odf_bytes("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
        (
            "budget.ods",
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
)
def test_each_allowed_type_is_accepted_and_labelled_by_its_content(name, content, stored_type):
    file = validate_evidence_file(upload(name, content))
    assert file.gcm_content_type == stored_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),  # a Windows program
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n"),  # a script
        ("report.pdf", b"<html><script>alert(1)</script></html>"),  # HTML that would run if served inline
        ("report.pdf", PNG),  # an allowed type, but not the one the name says
        ("plan.docx", odf_bytes("application/vnd.oasis.opendocument.text")),  # a ZIP of the wrong kind
        ("plan.docx", b"PK\x03\x04 not really a zip"),
        ("figures.csv", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100),  # a binary named .csv
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(upload(name, content))
    assert caught.value.code == "content"


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "image.svg", "archive.zip", "noextension", "law.pdf.exe"])
def test_a_type_outside_the_allow_list_is_refused_whatever_its_content(name):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(upload(name, minimal_pdf_bytes()))
    assert caught.value.code == "extension"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/passwd.pdf",
        "C:\\evil.pdf",
        "folder/law.pdf",
        ".hidden.pdf",
        "law\x00.pdf",
        "law\n.pdf",
        "a..pdf",
        "x" * 300 + ".pdf",
    ],
)
def test_unsafe_file_names_are_refused(name):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(_named(name))
    assert caught.value.code == "name"


def _named(name):
    file = upload("law.pdf", minimal_pdf_bytes())
    file._name = name  # bypass the basename Django's setter applies, as a direct caller could
    return file


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(upload("law.pdf", minimal_pdf_bytes() + b"%" * 2000))
    assert caught.value.code == "too_big"


def test_the_default_size_limit_is_twenty_megabytes():
    assert settings.EVIDENCE_MAX_UPLOAD_BYTES == 20 * 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_evidence_file(upload("law.pdf", b""))


# --- through the page ---------------------------------------------------------------------------


def post_status_with_file(client, implementation, file):
    return client.post(
        reverse("staff:implementation", args=[implementation.pk]),
        {
            "version": implementation.version,
            "track": "reported",
            "status": Status.IN_PROGRESS,
            "effective_date": "2024-01-15",
            "comment": "Bill tabled.",
            "new-title": "Draft bill",
            "new-kind": "law",
            "new-file": file,
        },
    )


def test_an_oversized_upload_through_the_page_writes_nothing(
    client, settings, focal_point_france, implementation_france
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(focal_point_france)
    response = post_status_with_file(
        client, implementation_france, upload("law.pdf", minimal_pdf_bytes() + b"%" * 4000)
    )
    assert response.status_code == 400
    assert b"too big" in response.content
    assert not Evidence.objects.filter(implementation=implementation_france).exists()
    assert not StatusUpdate.objects.filter(implementation=implementation_france).exists()


def test_a_disguised_upload_through_the_page_writes_nothing(
    client, focal_point_france, implementation_france, media_root
):
    client.force_login(focal_point_france)
    response = post_status_with_file(client, implementation_france, upload("law.pdf", b"#!/bin/sh\necho owned\n"))
    assert response.status_code == 400
    assert b"does not match" in response.content
    assert not Evidence.objects.filter(implementation=implementation_france).exists()
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []


def test_an_upload_is_stored_under_a_generated_name_inside_media(
    client, focal_point_france, implementation_france, media_root
):
    client.force_login(focal_point_france)
    response = post_status_with_file(
        client, implementation_france, upload("../../../etc/cron.d/law.pdf", minimal_pdf_bytes())
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(implementation=implementation_france)
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(media_root).resolve() / "evidence")
    assert "law" not in stored.name and ".." not in evidence.file.name
    assert stored.suffix == ".pdf"
    assert evidence.original_filename == "law.pdf"  # Django keeps only the last part of a posted name
    assert evidence.content_type == "application/pdf"
    assert Path(settings.STATIC_ROOT).resolve() not in stored.parents
    assert all(Path(folder).resolve() not in stored.parents for folder in settings.STATICFILES_DIRS)


def test_an_uploaded_file_is_served_only_as_an_attachment_with_its_checked_type(
    client, focal_point_france, implementation_france
):
    client.force_login(focal_point_france)
    post_status_with_file(client, implementation_france, upload("law.pdf", minimal_pdf_bytes()))
    evidence = Evidence.objects.get(implementation=implementation_france)
    response = client.get(evidence.get_download_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == minimal_pdf_bytes()


def test_a_failed_status_update_leaves_no_orphan_file(client, focal_point_france, implementation_france, media_root):
    client.force_login(focal_point_france)
    data = {
        "version": implementation_france.version,
        "track": "reported",
        "status": Status.IMPLEMENTED,  # needs a public rationale, which is missing: the service refuses
        "effective_date": "2024-01-15",
        "comment": "Done.",
        "new-title": "Law",
        "new-kind": "law",
        "new-file": upload("law.pdf", minimal_pdf_bytes()),
    }
    response = client.post(reverse("staff:implementation", args=[implementation_france.pk]), data)
    assert response.status_code == 400
    assert not Evidence.objects.filter(implementation=implementation_france).exists()
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []
