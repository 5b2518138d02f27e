"""What tripped a newcomer on the public site (issue 19), each defect pinned by a test that failed
before its fix. The browser-side ones are in test_browser_newcomer.py."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from recommendations import selectors, services
from recommendations.choices import Role, Status, Track
from recommendations.models import Evidence, Implementation
from recommendations.public import queries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


@pytest.fixture
def editor(db):
    return UserFactory(username="zq-newcomer-editor", role=Role.EDITOR)


def publish(implementation, editor, title, *, date=None):
    evidence = services.evidence_add(
        implementation=implementation,
        actor=editor,
        title=title,
        kind="law",
        date=date,
        url="https://example.org/" + title.replace(" ", "-"),
    )
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    return evidence


def report(iso2, status, editor, *, number=3, track=Track.REPORTED, date=None, evidence_date=None):
    implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=number)
    evidence = [publish(implementation, editor, f"Act of {iso2} {status} {track}", date=evidence_date)]
    services.implementation_set_status(
        implementation=implementation,
        status=status,
        actor=editor,
        comment="c",
        rationale="In force.",
        evidence=evidence,
        track=track,
        effective_date=date,
    )
    return implementation


@pytest.fixture
def four_states(editor):
    """France and Nigeria implemented commitment 3, Kenya is in progress, Cyprus planned: all with evidence."""
    for iso2, status in (
        ("FR", Status.IMPLEMENTED),
        ("NG", Status.IMPLEMENTED),
        ("KE", Status.IN_PROGRESS),
        ("CY", Status.PLANNED),
    ):
        report(iso2, status, editor)


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- Evidence "as filtered" ------------------------------------------------------------------------


def test_the_commitment_evidence_download_holds_the_evidence_of_the_states_the_filter_keeps(client, four_states):
    url = reverse("recommendations:commitment-detail", args=[3])
    rows = read_csv(client.get(url, {"status": "implemented", "format": "csv", "list": "evidence"}))
    assert sorted(row["state_iso2"] for row in rows) == ["FR", "NG"]
    everything = read_csv(client.get(url, {"format": "csv", "list": "evidence"}))
    assert sorted(row["state_iso2"] for row in everything) == ["CY", "FR", "KE", "NG"]


def test_the_commitment_page_lists_the_evidence_of_the_states_the_filter_keeps(client, four_states):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"status": "implemented"})
    states = {item.implementation.state.iso2 for item in response.context["evidence"]}
    assert states == {"FR", "NG"}
    assert "Evidence from the states the filters keep only." in response.content.decode()


def test_a_rows_evidence_count_keeps_the_tables_filter(client, four_states):
    response = client.get(
        reverse("recommendations:commitment-detail", args=[3]), {"status": "implemented", "sort": "-evidence"}
    )
    html = response.content.decode()
    assert 'href="?status=implemented&amp;sort=-evidence&amp;evidence_of=FR#evidence"' in html


def test_one_states_evidence_download_follows_the_state_chosen(client, four_states):
    url = reverse("recommendations:commitment-detail", args=[3])
    rows = read_csv(client.get(url, {"evidence_of": "KE", "format": "csv", "list": "evidence"}))
    assert [row["state_iso2"] for row in rows] == ["KE"]


# -- As of a past date -----------------------------------------------------------------------------


def test_the_dashboard_as_of_a_past_date_counts_only_the_evidence_published_by_then(client, four_states):
    today = client.get(reverse("recommendations:dashboard"))
    assert today.context["share"]["evidenced"] == 4
    past = client.get(reverse("recommendations:dashboard"), {"as_of": "2019-01-01"})
    assert past.context["share"] == {"states": 195, "evidenced": 0, "percent": 0}
    row = next(r for r in past.context["rows"] if r["commitment"].number == 3)
    assert row["states_with_evidence"] == 0 and row["evidence_share"] == 0
    assert "0 of 195 states had published evidence on at least one commitment" in past.content.decode()


def test_evidence_published_by_the_date_counts_as_of_that_date(client, four_states):
    Evidence.objects.filter(implementation__state__iso2="FR").update(
        published_at=datetime.datetime(2018, 6, 1, 12, tzinfo=datetime.UTC)
    )
    assert queries.evidence_share(datetime.date(2019, 1, 1))["evidenced"] == 1
    assert queries.evidence_share(datetime.date(2018, 5, 31))["evidenced"] == 0


def test_the_commitment_table_as_of_a_past_date_counts_the_evidence_published_by_then(client, four_states):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"as_of": "2019-01-01"})
    table, unknown = list(response.context["implementations"]), response.context["nothing_known"]
    assert len(table) + len(unknown) == 195 and {i.evidence_count for i in table} <= {0}  # the others are states
    assert response.context["evidence"].paginator.count == 0


# -- Last update, last evidenced, no-change entries ------------------------------------------------


def test_last_update_is_the_latest_date_in_the_history_whatever_the_order_it_was_recorded_in(editor):
    """France, commitment 3 in the demo: a report of 11 May recorded before an assessment of 7 March."""
    implementation = report("FR", Status.IN_PROGRESS, editor, date=datetime.date(2022, 5, 11))
    report("FR", Status.PARTIALLY_IMPLEMENTED, editor, track=Track.ASSESSED, date=datetime.date(2022, 3, 7))
    implementation.refresh_from_db()
    assert implementation.last_reviewed == datetime.date(2022, 5, 11)


def test_the_bulk_status_change_keeps_the_latest_date_too(editor):
    implementation = report("FR", Status.IN_PROGRESS, editor, date=datetime.date(2022, 5, 11))
    services.implementation_set_status_bulk(
        changes=[
            services.StatusChange(
                implementation=implementation,
                status=Status.PLANNED,
                comment="c",
                track=Track.ASSESSED,
                effective_date=datetime.date(2022, 3, 7),
            )
        ],
        actor=editor,
    )
    implementation.refresh_from_db()
    assert implementation.last_reviewed == datetime.date(2022, 5, 11)


def test_last_evidenced_is_the_evidences_own_date_not_the_day_it_was_published(client, editor):
    report("FR", Status.IMPLEMENTED, editor, evidence_date=datetime.date(2015, 3, 1))
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"status": "implemented"})
    [france] = list(response.context["implementations"])
    assert france.last_evidenced == datetime.date(2015, 3, 1)
    assert france.out_of_date, "a law of 2015 published today is old evidence"
    assert '<time datetime="2015-03-01">' in response.content.decode()


def test_evidence_without_a_date_counts_from_the_day_it_was_published(client, editor):
    report("FR", Status.IMPLEMENTED, editor)
    implementation = selectors.public_implementations().get(state__iso2="FR", commitment__number=3)
    assert implementation.last_evidenced == datetime.date.today()
    assert not selectors.is_out_of_date(implementation)


@pytest.fixture
def planned_twice(editor):
    implementation = report("FR", Status.PLANNED, editor, date=datetime.date(2021, 1, 4))
    report("FR", Status.PLANNED, editor, date=datetime.date(2021, 6, 1))
    return implementation


def test_a_review_that_left_the_status_unchanged_reads_as_a_confirmation_in_the_history(client, planned_twice):
    html = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert history.count("confirmed, unchanged") == 1
    assert history.count("changed to") == 1  # no information → planned


def test_a_review_that_left_the_status_unchanged_is_not_a_change_in_the_feeds_or_the_dashboard(client, planned_twice):
    for url in ("/feeds/changes.atom", "/feeds/states/FR.atom", "/feeds/commitments/3.atom"):
        body = client.get(url).content.decode()
        # The state and commitment feeds also carry the public change records (evidence published,
        # issue 14), whose ids are /changes/N: the status entries are the others.
        entries = body.split("<entry>")[1:]
        assert len([entry for entry in entries if "/changes/" not in entry]) == 1, url
        assert "Planned → Planned" not in body
    changes = client.get(reverse("recommendations:dashboard")).context["changes"]
    assert [(u.previous_status, u.status) for u in changes] == [(Status.NO_INFORMATION, Status.PLANNED)]


# -- Logging in ------------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_each_wrong_password_says_how_many_tries_are_left_and_how_long_the_block_lasts(
    client, settings, focal_point_france
):
    html = login(client, "fp_france", "wrong").content.decode()
    assert "After 4 more wrong passwords, logins to this account from your address will be blocked for 1 hour." in html
    for _ in range(2):
        login(client, "fp_france", "wrong")
    html = login(client, "fp_france", "wrong").content.decode()
    assert "One more wrong password will block logins to this account from your address for 1 hour." in html


def test_the_lock_out_says_how_long_in_words_not_iso_8601(client, settings, focal_point_france):
    settings.AXES_COOLOFF_TIME = 1.5
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "fp_france", "wrong")
    html = response.content.decode()
    assert response.status_code == 429
    assert "You can try again in 1 hour and 30 minutes." in html
    assert "PT1H" not in html


def test_a_login_with_no_username_gives_no_count(client):
    html = client.post(reverse("login"), {"username": "", "password": "x"}).content.decode()
    assert "wrong password" not in html


@pytest.mark.parametrize(
    ("minutes", "said"), [(60, "1 hour"), (30, "30 minutes"), (90, "1 hour and 30 minutes"), (2 * 24 * 60, "2 days")]
)
def test_durations_read_as_words(minutes, said):
    from gcmtracker.login import human_duration

    assert human_duration(datetime.timedelta(minutes=minutes)) == said


# -- Evidence files, favicon -----------------------------------------------------------------------


@pytest.fixture
def published_file(editor, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recommendations.services.uploads import validate_evidence_file
    from tests.factories import minimal_pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    file = validate_evidence_file(SimpleUploadedFile("law.pdf", minimal_pdf_bytes()))
    evidence = services.evidence_add(implementation=implementation, actor=editor, title="Law", kind="law", file=file)
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    return evidence


def test_head_on_an_evidence_file_answers_like_get_without_the_body(client, published_file):
    get = client.get(published_file.get_download_url())
    head = client.head(published_file.get_download_url())
    assert head.status_code == 200
    for header in ("Content-Type", "Content-Length", "Content-Disposition", "Cache-Control"):
        assert head[header] == get[header], header
    assert b"".join(head.streaming_content) == b""


def test_head_on_an_unpublished_file_is_not_found_as_get_is(client, published_file, editor):
    services.evidence_unpublish(evidence=published_file, actor=editor)
    assert client.head(published_file.get_download_url()).status_code == 404


def test_every_page_names_an_icon_that_exists_and_favicon_ico_leads_to_it(client):
    html = client.get(reverse("recommendations:dashboard")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    assert client.get("/static/favicon.svg").status_code == 200


def test_an_events_place_names_its_city_once(client):
    html = client.get(reverse("events:event-detail", args=["thematic-session-1"])).content.decode()
    assert "United Nations Office, Geneva" in html
    assert "Geneva, United Nations Office" not in html and "Office, Geneva, Geneva" not in html
