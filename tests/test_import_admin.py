"""The admin import page: who reaches it, the preview, applying once, refusing a bad spreadsheet
with its row errors, and the CSV it gives back."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from recommendations.choices import Status
from recommendations.models import Implementation, State, StatusUpdate
from tests.factories import UserFactory
from tests.test_import import STATUS_HEADER, csv_bytes, status_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


IMPORT_URL = "/admin/recommendations/implementation/import/"


def upload(client, rows, kind="status_updates", name="updates.csv", data=None):
    data = data if data is not None else csv_bytes(STATUS_HEADER, rows)
    response = client.post(IMPORT_URL, {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})
    # An accepted upload queues a job and sends to its page; in tests the job has run already.
    if response.status_code == 302 and re.search(r"/import/\d+/$", response["Location"]):
        return client.get(response["Location"])
    return response


def token_of(response):
    match = re.search(rb'name="token" value="([^"]+)"', response.content)
    return match and match.group(1).decode()


def apply(client, token):
    return client.post(IMPORT_URL, {"token": token, "apply": "Apply"})


def history(iso2, number):
    return StatusUpdate.objects.filter(implementation__state__iso2=iso2, implementation__commitment__number=number)


def test_the_page_is_at_the_named_url_and_linked_from_the_implementation_list(client, administrator):
    assert reverse("admin:recommendations_import") == IMPORT_URL
    client.force_login(administrator)
    changelist = client.get(reverse("admin:recommendations_implementation_changelist"))
    assert IMPORT_URL.encode() in changelist.content


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = upload(client, [status_row()])
    assert response.status_code == 302
    assert not history("FR", 1).exists()


def test_focal_points_without_admin_access_are_sent_to_log_in(client, focal_point_france):
    client.force_login(focal_point_france)
    assert upload(client, [status_row()]).status_code == 302
    assert not history("FR", 1).exists()


def test_staff_without_a_role_are_refused(client):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403


@pytest.mark.parametrize(
    ("persona", "offered", "not_offered"),
    [
        ("focal_point_france", ["status_updates", "evidence", "measurements"], ["implementations", "fixture"]),
        ("editor", ["status_updates", "implementations"], ["fixture"]),
        ("administrator", ["status_updates", "implementations", "fixture"], []),
    ],
)
def test_the_form_offers_each_role_its_kinds(client, request, persona, offered, not_offered):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    for kind in offered:
        assert f'value="{kind}"'.encode() in response.content
    for kind in not_offered:
        assert f'value="{kind}"'.encode() not in response.content


def test_administrator_previews_then_applies_a_spreadsheet_of_status_updates(client, administrator):
    client.force_login(administrator)
    preview = upload(client, [status_row(), status_row(state="KE", status=Status.PLANNED)])
    assert preview.status_code == 200
    assert preview.context["counts"] == {"create": 2, "update": 0, "unchanged": 0}
    assert not history("FR", 1).exists()
    response = apply(client, token_of(preview))
    assert response.status_code == 302
    assert history("FR", 1).get().author == administrator
    assert Implementation.objects.get(state__iso2="KE", commitment__number=1).status == Status.PLANNED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "2 created, 0 updated, 0 unchanged" in messages[0]


def test_the_same_spreadsheet_again_has_nothing_to_apply(client, editor):
    client.force_login(editor)
    apply(client, token_of(upload(client, [status_row()])))
    again = upload(client, [status_row()])
    assert again.context["counts"] == {"create": 0, "update": 0, "unchanged": 1}
    assert token_of(again) is None
    assert b"Nothing to apply" in again.content
    assert history("FR", 1).count() == 1


def test_a_bad_spreadsheet_is_refused_with_row_errors_and_nothing_written(client, administrator):
    client.force_login(administrator)
    before = StatusUpdate.objects.count()
    response = upload(
        client,
        [status_row(), status_row(state="ZZ"), status_row(state="KE", status="finished"), status_row(comment="dup")],
    )
    assert response.status_code == 200
    assert token_of(response) is None  # no Apply button
    shown = {(e.row, e.field) for e in response.context["errors"]}
    assert shown == {(3, "state"), (4, "status"), (5, "")}
    assert b"is not an ISO 3166 alpha-2 code" in response.content
    assert StatusUpdate.objects.count() == before


def test_a_file_that_is_not_utf8_is_refused_on_the_preview(client, editor):
    client.force_login(editor)
    response = upload(client, [], data="state,commitment\nCôte d'Ivoire,1\n".encode("cp1252"))
    assert b"not UTF-8" in response.content
    assert token_of(response) is None


def test_a_file_over_the_size_limit_is_refused_by_the_form(client, editor, settings):
    settings.IMPORT_MAX_BYTES = 50
    client.force_login(editor)
    response = upload(client, [status_row(comment="x" * 100)])
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_focal_point_with_admin_access_imports_only_their_states_rows(client, focal_point_france, focal_point_kenya):
    for user in (focal_point_france, focal_point_kenya):
        user.is_staff = True
        user.save()
    client.force_login(focal_point_france)
    mixed = upload(client, [status_row(), status_row(state="KE")])
    assert [(e.row, e.field) for e in mixed.context["errors"]] == [(3, "state")]
    assert b"Kenya is outside your scope" in mixed.content
    assert apply(client, token_of(upload(client, [status_row()]))).status_code == 302
    client.force_login(focal_point_kenya)
    assert apply(client, token_of(upload(client, [status_row(state="KE")]))).status_code == 302
    assert history("FR", 1).count() == history("KE", 1).count() == 1


def test_editor_cannot_choose_the_fixture_kind(client, editor):
    client.force_login(editor)
    response = upload(client, [], kind="fixture", name="states.json", data=b"[]")
    assert response.context["form"].errors["kind"]


def test_administrator_previews_and_applies_a_fixture(client, administrator):
    client.force_login(administrator)
    data = (
        b'[{"model": "recommendations.state", "fields": {"iso2": "XT", "iso3": "XTT", "numeric": "999",'
        b' "name": "Testonia", "membership": "member", "regional_group": "weog", "region": "europe"}}]'
    )
    preview = upload(client, [], kind="fixture", name="testonia.json", data=data)
    assert preview.context["counts"]["create"] == 1
    assert not State.objects.filter(iso2="XT").exists()
    apply(client, token_of(preview))
    assert State.objects.filter(iso2="XT").exists()


def test_a_token_only_works_for_the_user_who_uploaded(client, editor, administrator):
    client.force_login(editor)
    token = token_of(upload(client, [status_row()]))
    client.force_login(administrator)
    response = apply(client, token)
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert not history("FR", 1).exists()
    assert client.get(reverse("admin:recommendations_import_errors", args=[token])).status_code == 404


def test_applying_checks_again_and_writes_nothing_if_the_data_changed(client, editor):
    client.force_login(editor)
    token = token_of(upload(client, [status_row(date="2020-01-01")]))
    client.post(IMPORT_URL, {"token": token_of(upload(client, [status_row(date="2021-01-01", comment="newer")]))})
    response = apply(client, token)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert b"Nothing was imported: the data changed since the preview." in response.content
    assert [(e.row, e.field) for e in response.context["report"].errors] == [(2, "effective_date")]
    assert list(history("FR", 1).values_list("comment", flat=True)) == ["newer"]


def test_the_errors_download_defuses_spreadsheet_formulas(client, editor):
    client.force_login(editor)
    preview = upload(client, [status_row(status='=HYPERLINK("http://evil.example")'), status_row(state="+1")])
    token = re.search(rb"import/errors/([^/]+)/", preview.content).group(1).decode()
    response = client.get(reverse("admin:recommendations_import_errors", args=[token]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "row,column,error" in body
    lines = body.splitlines()[1:]
    assert len(lines) == 2
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line.split(","))


def test_the_template_download_lists_the_columns(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:recommendations_import_template", args=["status_updates"]))
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("state,commitment,recommendation,status")
    assert client.get(reverse("admin:recommendations_import_template", args=["fixture"])).status_code == 404
