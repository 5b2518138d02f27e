"""Stakeholder reports on every public surface (issue 20, the gaps of items 1-2): the API's
implementation detail carries the published reports as the third voice; every list of them
pages past 100; the downloads "as of" a date keep the reports published by then; the site-wide
search finds published reports as their own kind; and an unapproved report reaches none of the
pages, downloads, feeds, API answers, cached pages, as-of pages or search results.

Longer than 400 lines: every public surface of the reports is tested here, so that the matrix of
item 5 and the surfaces it walks (and their helpers that grow the data past 100) read together."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations import services
from recommendations.choices import OrganisationStatus, ReportStatus, Status
from recommendations.models import Implementation, Organisation, StakeholderReport
from tests import cache_backends
from tests.arrange import setup_writes
from tests.test_stakeholder_public import second_organisation, submitted

pytestmark = pytest.mark.django_db

ORGANISATION = "Observatory of Migrants' Rights"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


def approved(contributor, editor, narrative="Only part of the law is in force."):
    report = submitted(contributor, narrative=narrative)
    return services.report_moderate(actor=editor, report=report, decision="approve")


def many_published(count, *, state="FR", commitment=1, narrative="Bulk finding {n}.", start=None):
    """`count` published reports on one pair, by as many organisations, the newest last (n = count - 1)."""
    implementation = Implementation.objects.get(state__iso2=state, commitment__number=commitment)
    start = start or timezone.now() - datetime.timedelta(days=1)
    with setup_writes():
        first = Organisation.objects.count()
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bulk organisation {first + n}", kind="ngo", status=OrganisationStatus.APPROVED)
            for n in range(count)
        )
        user, _ = get_user_model().objects.get_or_create(username="bulk-contributor")
        return StakeholderReport.objects.bulk_create(
            StakeholderReport(
                organisation=organisation,
                implementation=implementation,
                assessment=Status.IN_PROGRESS,
                narrative=narrative.format(n=n),
                status=ReportStatus.APPROVED,
                submitted_by=user,
                published_at=start + datetime.timedelta(seconds=n),
            )
            for n, organisation in enumerate(organisations)
        )


# --- 1. the API's implementation detail -----------------------------------------------------------


def detail(client, state="FR", commitment=1):
    implementation = Implementation.objects.get(state__iso2=state, commitment__number=commitment)
    response = client.get(f"/api/v1/implementations/{implementation.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_implementation_detail_carries_published_reports_as_the_third_voice(client, contributor, editor):
    waiting = submitted(contributor, narrative="Still waiting.")
    report = approved(contributor, editor)
    data = detail(client)
    assert {"status", "assessment", "stakeholder_reports"} <= data.keys()
    assert data["stakeholder_report_count"] == 1
    (voice,) = data["stakeholder_reports"]
    assert voice["id"] == report.pk and voice["organisation"] == ORGANISATION
    assert voice["organisation_kind"] == "ngo" and voice["assessment"] == Status.PARTIALLY_IMPLEMENTED
    assert {item["title"] for item in voice["evidence"]} == {"Our findings", "findings.pdf"}
    text = json.dumps(data)
    assert "Still waiting." not in text and str(waiting.pk) not in [str(v["id"]) for v in data["stakeholder_reports"]]
    assert "contributor@example.org" not in text and '"contributor"' not in text and "submitted_by" not in text
    listed = client.get(data["stakeholder_reports_url"]).json()
    assert [row["id"] for row in listed["results"]] == [report.pk]


@pytest.mark.parametrize("decision", [None, "changes", "reject"])
def test_the_implementation_detail_never_carries_an_unapproved_report(client, contributor, editor, decision):
    report = submitted(contributor, narrative="Unpublished finding.")
    if decision:
        services.report_moderate(actor=editor, report=report, decision=decision, reason="Not yet.")
    for reader in (None, editor, contributor):
        if reader:
            client.force_login(reader)
        data = detail(client)
        assert data["stakeholder_reports"] == [] and data["stakeholder_report_count"] == 0
        assert "Unpublished finding." not in json.dumps(data)


def test_a_rejected_organisation_takes_its_reports_out_of_the_implementation_detail(client, contributor, editor):
    report = approved(contributor, editor)
    assert detail(client)["stakeholder_report_count"] == 1
    services.organisation_moderate(actor=editor, organisation=report.organisation, approve=False, reason="Closed.")
    assert detail(client)["stakeholder_reports"] == []


def test_the_implementation_list_stays_without_the_reports(client, contributor, editor):
    approved(contributor, editor)
    row = client.get("/api/v1/implementations/", {"state": "FR", "commitment": 1}).json()["results"][0]
    assert "stakeholder_reports" not in row


def measured(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return response, len(queries)


def test_the_implementation_detail_shows_the_newest_hundred_and_counts_them_all(client):
    path = f"/api/v1/implementations/{Implementation.objects.get(state__iso2='FR', commitment__number=1).pk}/"

    many_published(3)
    small, few = measured(client, path)
    many_published(130)
    large, more = measured(client, path)
    small, large = small.json(), large.json()
    assert few == more
    assert small["stakeholder_report_count"] == 3 and len(small["stakeholder_reports"]) == 3
    assert large["stakeholder_report_count"] == 133 and len(large["stakeholder_reports"]) == 100
    assert large["stakeholder_reports"][0]["narrative"] == "Bulk finding 129."


# --- 3. downloads as of a date ----------------------------------------------------------------------

PAGES = ("/states/FR/", "/commitments/1/")


def download_rows(client, path, fmt, **params):
    response = client.get(path, {"format": fmt, "list": "stakeholders", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    if fmt == "json":
        data = json.loads(text)
        return data["results"] if isinstance(data, dict) else data
    return text


@pytest.fixture
def published_over_time(contributor, editor):
    """A report published ten days ago, one approved today, and one of each unapproved kind; France
    reported commitment 1 as planned today."""
    older = approved(contributor, editor, narrative="Published ten days ago.")
    with setup_writes():
        StakeholderReport.objects.filter(pk=older.pk).update(published_at=timezone.now() - datetime.timedelta(days=10))
    approved(contributor, editor, narrative="Approved today.")
    submitted(contributor, narrative="Still waiting.")
    for decision in ("changes", "reject"):
        services.report_moderate(
            actor=editor,
            report=submitted(contributor, narrative=f"Sent back: {decision}."),
            decision=decision,
            reason="No.",
        )
    services.implementation_set_status(
        implementation=Implementation.objects.get(state__iso2="FR", commitment__number=1),
        status=Status.PLANNED,
        actor=editor,
        comment="A plan.",
    )


@pytest.mark.parametrize("path", PAGES)
def test_a_download_as_of_a_date_keeps_only_the_reports_published_by_then(client, published_over_time, path):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    rows = download_rows(client, path, "json", as_of=yesterday)
    assert [row["narrative"] for row in rows] == ["Published ten days ago."]
    # beside the statuses of then: France had reported nothing yet
    assert rows[0]["state_reported"] == Status.NO_INFORMATION
    csv = download_rows(client, path, "csv", as_of=yesterday)
    assert "Published ten days ago." in csv and "Approved today." not in csv
    today = download_rows(client, path, "json", as_of=timezone.localdate().isoformat())
    assert {row["narrative"] for row in today} == {"Published ten days ago.", "Approved today."}
    assert {row["state_reported"] for row in today} == {Status.PLANNED}
    for params in ({"as_of": yesterday}, {"as_of": "2000-01-01"}, {}):
        text = download_rows(client, path, "csv", **params)
        assert "Still waiting." not in text and "Sent back" not in text and "contributor@example.org" not in text


@pytest.mark.parametrize("path", PAGES)
def test_a_download_with_a_bad_or_future_date_lists_todays_reports(client, published_over_time, path):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for bad in ("not-a-date", future):
        rows = download_rows(client, path, "json", as_of=bad)
        assert {row["narrative"] for row in rows} == {"Published ten days ago.", "Approved today."}


@pytest.mark.parametrize("path", PAGES)
def test_a_download_as_of_a_date_reads_a_fixed_number_of_queries(client, contributor, editor, path):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    many_published(3, start=timezone.now() - datetime.timedelta(days=5))
    _, few = measured(client, path, {"format": "csv", "list": "stakeholders", "as_of": yesterday})
    many_published(120, start=timezone.now() - datetime.timedelta(days=5))
    response, more = measured(client, path, {"format": "csv", "list": "stakeholders", "as_of": yesterday})
    assert few == more
    assert response.content.decode().count("Bulk finding") == 123


# --- 4. the site-wide search ------------------------------------------------------------------------

SEARCH = "/search/"


def search_kind(client, q, prefix=""):
    response = client.get(prefix + SEARCH, {"q": q})
    assert response.status_code == 200
    group = next(item["group"] for item in response.context["groups"] if item["kind"] == "stakeholder_reports")
    return group, response.content.decode()


def test_the_search_finds_a_published_report_as_its_own_kind(client, contributor, editor):
    report = approved(contributor, editor, narrative="The Zanzibarian shelter closed in spring.")
    group, html = search_kind(client, "Zanzibarian shelter")
    assert [r.pk for r in group.items] == [report.pk]
    assert 'id="results-stakeholder_reports"' in html and "Stakeholder reports" in html
    assert ORGANISATION.replace("'", "&#x27;") in html and "/states/FR/#stakeholders" in html
    assert "contributor@example.org" not in html and ">contributor<" not in html
    # by the organisation's name too, and in every language
    assert search_kind(client, "Observatory")[0].total == 1
    group, html = search_kind(client, "Zanzibarian", prefix="/fr")
    assert group.total == 1 and "Rapports des parties prenantes" in html


@pytest.mark.parametrize("decision", [None, "changes", "reject", "organisation rejected"])
def test_the_search_never_finds_an_unapproved_report(client, contributor, editor, decision):
    report = submitted(contributor, narrative="The Zanzibarian shelter closed in spring.")
    if decision == "organisation rejected":
        services.report_moderate(actor=editor, report=report, decision="approve")
        services.organisation_moderate(actor=editor, organisation=report.organisation, approve=False, reason="Closed.")
    elif decision:
        services.report_moderate(actor=editor, report=report, decision=decision, reason="Not yet.")
    client.force_login(editor)  # not even for the secretariat: the search is the public's
    group, html = search_kind(client, "Zanzibarian")
    assert group.total == 0 and "Zanzibarian shelter" not in html and 'id="results-stakeholder_reports"' not in html


def test_the_search_shows_ten_reports_of_many_with_a_fixed_number_of_queries(client):
    many_published(3, narrative="Zanzibarian finding {n}.")
    _, few = measured(client, SEARCH, {"q": "Zanzibarian"})
    many_published(120, narrative="Zanzibarian finding {n}.")
    response, more = measured(client, SEARCH, {"q": "Zanzibarian"})
    assert few == more <= 13
    group = next(item["group"] for item in response.context["groups"] if item["kind"] == "stakeholder_reports")
    assert group.total == 123 and len(group.items) == 10 and group.more
    assert "The 10 most recent of 123" in response.content.decode()


# --- 2. every list of them pages past 100 -------------------------------------------------------------


def voices_on(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.context["stakeholder_voices"], response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_list_every_report_a_page_at_a_time_past_a_hundred(client, path):
    many_published(130)
    voices, html = voices_on(client, path)
    page = voices["page"]
    assert page.paginator.count == 130 and page.paginator.num_pages == 6 and voices["shown"] == 25
    narratives = [report.narrative for group in voices["groups"] for report in group["reports"]]
    assert narratives[0] == "Bulk finding 129." and narratives[-1] == "Bulk finding 105."
    assert "stakeholders=2#stakeholders" in html and "Page 1 of 6" in html
    # the summary counts every organisation's report on the pair, not only this page's
    (group,) = voices["groups"]
    assert group["organisations"] == 130 and group["summary"] == [("In progress", 130)]
    assert "130 organisations report:" in html
    last, html = voices_on(client, path, stakeholders=6)
    assert [r.narrative for r in last["groups"][0]["reports"]] == [f"Bulk finding {n}." for n in range(4, -1, -1)]
    assert last["groups"][0]["organisations"] == 130
    # past the end, or not a number: the last page, the first
    assert voices_on(client, path, stakeholders=99)[0]["page"].number == 6
    assert voices_on(client, path, stakeholders="x")[0]["page"].number == 1
    # a download gives them all
    assert download_rows(client, path, "csv").count("Bulk finding") == 130


# The whole page's queries with a second page of reports: the page's own (test_public_queries.py),
# the reports with their total, their links and files, the summaries of the page's items.
PAGE_CEILINGS = {"/states/FR/": 13, "/commitments/1/": 16}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_of_reports_reads_a_fixed_number_of_queries(client, path):
    many_published(30)
    _, few = measured(client, path, {"stakeholders": 2})
    many_published(130)
    _, more = measured(client, path, {"stakeholders": 2})
    assert few == more <= PAGE_CEILINGS[path]


def test_the_disagreements_view_pages_its_stakeholder_reports_past_a_hundred(client, editor):
    services.implementation_set_status(
        implementation=Implementation.objects.get(state__iso2="FR", commitment__number=1),
        status=Status.PLANNED,
        actor=editor,
        comment="A plan.",
    )
    many_published(120)
    response = client.get("/disagreements/")
    page = response.context["stakeholder_disagreements"]
    assert page.paginator.count == 120 and len(page) == 50 and "stakeholders=2#stakeholders" in response.text
    third = client.get("/disagreements/", {"stakeholders": 3}).context["stakeholder_disagreements"]
    assert len(third) == 20 and third.number == 3
    download = download_rows(client, "/disagreements/", "json")
    assert len(download) == 120 and {row["state_reported"] for row in download} == {Status.PLANNED}


def test_the_disagreements_view_reads_a_fixed_number_of_queries(client, editor):
    services.implementation_set_status(
        implementation=Implementation.objects.get(state__iso2="FR", commitment__number=1),
        status=Status.PLANNED,
        actor=editor,
        comment="A plan.",
    )
    many_published(3)
    _, few = measured(client, "/disagreements/")
    many_published(120)
    _, more = measured(client, "/disagreements/", {"stakeholders": 2})
    assert few == more <= 9


def test_the_api_lists_every_published_report_a_page_at_a_time(client, contributor, editor):
    submitted(contributor, narrative="Still waiting.")
    many_published(3)
    _, few = measured(client, "/api/v1/stakeholder-reports/")
    many_published(117)
    first, more = measured(client, "/api/v1/stakeholder-reports/")
    assert few == more
    data = first.json()
    assert data["count"] == 120 and len(data["results"]) == 50 and data["next"]
    third = client.get(data["next"]).json()
    third = client.get(third["next"]).json()
    assert len(third["results"]) == 20 and third["next"] is None
    every = [row["narrative"] for row in data["results"]]
    assert "Still waiting." not in every and every[0] == "Bulk finding 116."
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    by_item = client.get("/api/v1/stakeholder-reports/", {"implementation": implementation.pk}).json()
    assert by_item["count"] == 120
    for nothing in ("x", "999999999"):
        assert client.get("/api/v1/stakeholder-reports/", {"implementation": nothing}).status_code == 404


def test_the_feeds_carry_the_newest_reports_of_many(client):
    many_published(120)
    for path in ("/feeds/changes.atom", "/feeds/states/FR.atom", "/feeds/commitments/1.atom"):
        feed = client.get(path).text
        assert "Bulk finding 119." in feed and "Bulk finding 69." not in feed
        assert feed.count("<entry>") <= 50


# --- 5. the matrix: an unapproved report reaches no public surface ------------------------------------

HIDDEN = {
    "submitted": "Hidden finding while submitted.",
    "changes": "Hidden finding sent back for changes.",
    "reject": "Hidden finding rejected.",
    "withdrawn": "Hidden finding approved then rejected.",
    "organisation": "Hidden finding of an organisation rejected later.",
}
VISIBLE = "Visible finding approved."


def surfaces(implementation) -> list[tuple[str, dict]]:
    """Every public surface that lists stakeholder reports: pages, as-of pages, downloads (as of
    a date too), feeds, the API and the search (and the round's page: `round_reports`)."""
    today = timezone.localdate().isoformat()
    as_csv, as_json = {"format": "csv", "list": "stakeholders"}, {"format": "json", "list": "stakeholders"}
    return [
        ("/states/FR/", {}),
        ("/commitments/1/", {}),
        ("/states/FR/", {"as_of": today}),
        ("/commitments/1/", {"as_of": today}),
        ("/disagreements/", {}),
        ("/search/", {"q": "finding"}),
        ("/states/FR/", as_csv),
        ("/states/FR/", {**as_json, "as_of": today}),
        ("/commitments/1/", as_json),
        ("/commitments/1/", {**as_csv, "as_of": today}),
        ("/disagreements/", as_csv),
        ("/feeds/changes.atom", {}),
        ("/feeds/states/FR.atom", {}),
        ("/feeds/commitments/1.atom", {}),
        ("/api/v1/stakeholder-reports/", {}),
        ("/api/v1/stakeholder-reports/", {"q": "finding"}),
        (f"/api/v1/implementations/{implementation.pk}/", {}),
    ]


def read(client, path, params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, (path, params)
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def inviting_round(editor):
    """An open round on France's commitment 1 that invites stakeholder reports: its public page
    lists the published ones received in it."""
    from recommendations.models import ReviewCycle

    with setup_writes():
        cycle = ReviewCycle.objects.create(
            slug="t-stake-review",
            name="T review",
            kind="regional_review",
            opens_on=timezone.localdate() - datetime.timedelta(days=30),
            closes_on=timezone.localdate() + datetime.timedelta(days=60),
        )
    return services.round_open(
        actor=editor,
        cycle=cycle,
        name="Stakeholder round",
        slug="t-stake-round",
        opens_on=timezone.localdate() - datetime.timedelta(days=1),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        commitments=[1],
        states=["FR"],
        invite_stakeholders=True,
        notify=False,
    )


@pytest.fixture
def france_planned(editor):
    """France reports commitment 1 as planned: a report that says otherwise is a disagreement."""
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=1)
    services.implementation_set_status(
        implementation=implementation, status=Status.PLANNED, actor=editor, comment="A plan."
    )
    return implementation


def unapprove_all(editor, reports, other_organisation):
    """Bring each report to its unapproved end: the `submitted` one stays so."""
    for decision in ("changes", "reject", "withdrawn"):
        services.report_moderate(
            actor=editor,
            report=reports[decision],
            decision="reject" if decision == "withdrawn" else decision,
            reason="Not public.",
        )
    services.organisation_moderate(actor=editor, organisation=other_organisation, approve=False, reason="Closed.")


def make_reports(contributor, editor, *, approve_all: bool):
    other = second_organisation(editor)
    reports = {"visible": approved(contributor, editor, narrative=VISIBLE)}
    for key, narrative in HIDDEN.items():
        author = other if key == "organisation" else contributor
        reports[key] = submitted(author, narrative=narrative)
        # a report once approved never waits for moderation again: the submitted one never was
        if (approve_all and key != "submitted") or key in ("withdrawn", "organisation"):
            services.report_moderate(actor=editor, report=reports[key], decision="approve")
    return reports, reports["organisation"].organisation


def round_reports(client, reporting_round):
    response = client.get(f"/rounds/{reporting_round.slug}/")
    assert response.status_code == 200
    return [report.pk for report in response.context["reports"]]


def assert_hidden_everywhere(client, implementation, reports, reporting_round):
    for path, params in surfaces(implementation):
        text = read(client, path, params)
        assert "Observatory of Migrants" in text or ORGANISATION in text or VISIBLE in text, (path, params)
        for key, narrative in HIDDEN.items():
            assert narrative not in text, (key, path, params)
        assert "Second Voice" not in text and "contributor@example.org" not in text, (path, params)
    # the disagreements view names the organisation, not the narrative: its rows, by id
    listed = client.get("/disagreements/").context["stakeholder_disagreements"]
    assert [report.pk for report in listed] == [reports["visible"].pk]
    # and the round's page, which names the organisation too
    assert round_reports(client, reporting_round) == [reports["visible"].pk]
    for key in HIDDEN:
        assert client.get(f"/api/v1/stakeholder-reports/{reports[key].pk}/").status_code == 404
        assert client.get(file_url(reports[key])).status_code == 404


def file_url(report):
    return report.evidence.get(url="").get_download_url()


def test_an_unapproved_report_reaches_no_public_surface(client, contributor, editor, france_planned, inviting_round):
    reports, other = make_reports(contributor, editor, approve_all=False)
    unapprove_all(editor, reports, other)
    assert_hidden_everywhere(client, france_planned, reports, inviting_round)


@pytest.fixture(params=cache_backends.WITHOUT_QUERIES)
def shared_cache(request, db):
    switched = cache_backends.use(request.param)
    yield
    switched.disable()


def test_a_report_unapproved_after_it_was_public_leaves_every_cached_surface(
    client, shared_cache, contributor, editor, france_planned, inviting_round
):
    reports, other = make_reports(contributor, editor, approve_all=True)
    for path, params in surfaces(france_planned):  # each surface cached while they are all public
        text = read(client, path, params)
        if path == "/disagreements/" and not params:  # names the organisation, not the narrative
            assert "Second Voice" in text
        else:
            assert HIDDEN["withdrawn"] in text and HIDDEN["organisation"] in text, (path, params)
    assert len(client.get("/disagreements/").context["stakeholder_disagreements"]) == 5
    assert len(round_reports(client, inviting_round)) == 5
    for key in ("withdrawn", "organisation"):
        assert client.get(file_url(reports[key])).status_code == 200
    unapprove_all(editor, reports, other)
    assert_hidden_everywhere(client, france_planned, reports, inviting_round)


def test_as_of_any_date_an_unapproved_report_is_never_shown(client, contributor, editor, france_planned):
    reports, other = make_reports(contributor, editor, approve_all=False)
    unapprove_all(editor, reports, other)
    for days in (0, 1, 400):
        day = (timezone.localdate() - datetime.timedelta(days=days)).isoformat()
        for path in PAGES:
            for params in ({"as_of": day}, {"as_of": day, "format": "csv", "list": "stakeholders"}):
                text = read(client, path, params)
                assert not any(narrative in text for narrative in HIDDEN.values()), (path, params)


def test_the_disagreements_views_filters_keep_the_stakeholder_reports_of_those_states(client, contributor, editor):
    for iso2 in ("FR", "KE"):
        services.implementation_set_status(
            implementation=Implementation.objects.get(state__iso2=iso2, commitment__number=1),
            status=Status.PLANNED,
            actor=editor,
            comment="A plan.",
        )
    france = approved(contributor, editor, narrative="France differs.")
    kenya = services.report_submit(
        actor=contributor, state="KE", commitment=1, assessment=Status.IMPLEMENTED, narrative="Kenya differs."
    )
    services.report_moderate(actor=editor, report=kenya, decision="approve")

    def listed(**params):
        return [r.pk for r in client.get("/disagreements/", params).context["stakeholder_disagreements"]]

    assert sorted(listed()) == sorted([france.pk, kenya.pk])
    assert listed(state="FR") == [france.pk]
    assert listed(regional_group="weog") == [france.pk] and listed(regional_group="african") == [kenya.pk]
    assert listed(state="ZZ") == []
    assert sorted(listed(stakeholders="2")) == sorted([france.pk, kenya.pk])  # a page number filters nothing
    rows = download_rows(client, "/disagreements/", "json", state="KE")
    assert [row["narrative"] for row in rows] == ["Kenya differs."]


def test_the_state_page_lists_the_commitments_reports_before_the_recommendations(client, contributor, editor):
    from recommendations.models import Recommendation, State

    recommendation = Recommendation.objects.order_by("code").first()
    with setup_writes():
        Implementation.objects.get_or_create(state=State.objects.get(iso2="FR"), recommendation=recommendation)
    on_recommendation = services.report_submit(
        actor=contributor,
        state="FR",
        recommendation=recommendation.code,
        assessment=Status.PLANNED,
        narrative="On a recommendation.",
    )
    services.report_moderate(actor=editor, report=on_recommendation, decision="approve")
    on_commitment = approved(contributor, editor)
    voices, _ = voices_on(client, "/states/FR/")
    assert [group["reports"][0].pk for group in voices["groups"]] == [on_commitment.pk, on_recommendation.pk]
    detail = client.get(f"/api/v1/implementations/{on_recommendation.implementation_id}/").json()
    assert [voice["id"] for voice in detail["stakeholder_reports"]] == [on_recommendation.pk]


def test_the_browsable_api_of_the_reports_lists_no_implementation_to_choose(client, django_assert_max_num_queries):
    # a choice list would read (and name, a query each) every implementation of every state
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/stakeholder-reports/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response.content.count(b"<option") < 300
