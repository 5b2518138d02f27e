"""Longer than 400 lines: every public page read by an anonymous visitor, in one place.

The public pages, read by an anonymous visitor, on the real source data.

Statuses and evidence are made through the services, as staff would make them, so the pages
are checked against what the workflow really produces: published evidence shows, nothing
unpublished or staff-only ever does.
"""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import Event
from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.downloads import csv_cell
from recommendations.models import Implementation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("recommendations:dashboard"),
    reverse("recommendations:commitment-list"),
    reverse("recommendations:commitment-detail", args=[3]),
    reverse("recommendations:state-list"),
    reverse("recommendations:state-detail", args=["FR"]),
    reverse("recommendations:recommendation-list"),
    reverse("recommendations:recommendation-detail", args=["gfmd-bp-key-03"]),
    reverse("events:event-list"),
    reverse("events:event-detail", args=["thematic-session-1"]),
    reverse("events:document-list"),
    reverse("events:document-detail", args=["issue-brief-1"]),
]


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    """Measure the views themselves: the shared page cache outlives each test's rolled-back data."""
    settings.CACHE_SECONDS = 0


def commitment_of(state, number):
    return Implementation.objects.get(state=state, commitment__number=number)


@pytest.fixture
def editor(db):
    """An editor whose name and address could not appear on a page by chance."""
    return UserFactory(username="zq-editor-jane", email="jane.zq@secretariat.example", role=Role.EDITOR)


@pytest.fixture
def france_implemented_3(france, kenya, editor):
    """France reports commitment 3 implemented on a published law; Kenya's draft stays unpublished."""
    implementation = commitment_of(france, 3)
    services.implementation_assign(
        implementation=implementation, actor=editor, owner=editor, lead_agency="Ministry of Justice"
    )
    law = services.evidence_add(
        implementation=implementation,
        actor=editor,
        title="Loi relative à la protection de l'enfant",
        kind="law",
        url="https://example.org/loi-enfant",
        date=datetime.date(2021, 3, 1),
    )
    services.evidence_verify(evidence=law, actor=editor, publish=True)
    services.implementation_set_status(
        implementation=implementation,
        status=Status.IMPLEMENTED,
        actor=editor,
        comment="SECRET-COMMENT staff discussion",
        rationale="The law bans the detention of children.",
        evidence=[law],
    )
    Implementation.objects.filter(pk=implementation.pk).update(internal_note="SECRET-NOTE internal")

    kenya_3 = commitment_of(kenya, 3)
    draft = services.evidence_add(
        implementation=kenya_3,
        actor=editor,
        title="UNPUBLISHED-DRAFT children bill",
        kind="law",
        url="https://example.org/draft",
    )
    services.evidence_verify(evidence=draft, actor=editor, publish=False)
    services.implementation_set_status(
        implementation=kenya_3, status=Status.IN_PROGRESS, actor=editor, comment="SECRET-COMMENT kenya"
    )
    return implementation


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_opens_without_login(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"<h1" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/commitments/99/",
        "/states/ZZ/",
        "/recommendations/no-such-recommendation/",
        "/events/no-such-event/",
        "/events/documents/no-such-document/",
    ],
)
def test_unknown_items_answer_not_found(client, url):
    assert client.get(url).status_code == 404


def test_state_codes_are_accepted_in_lower_case(client):
    assert client.get("/states/fr/").status_code == 200


def test_a_newcomer_finds_which_states_implemented_commitment_3_and_on_what_evidence(client, france_implemented_3):
    page = client.get(reverse("recommendations:commitment-detail", args=[3]), {"status": "implemented"})
    html = page.content.decode()
    table = html[html.index('id="states-caption"') : html.index("</table>", html.index('id="states-caption"'))]
    assert "France" in table
    assert "Kenya" not in table
    assert "Ministry of Justice" in table
    assert "Loi relative à la protection de l&#x27;enfant" in html
    assert "?status=implemented&amp;evidence_of=FR#evidence" in table  # the link keeps the filter (issue 19)
    assert "1 state" in html


def test_commitment_page_quotes_the_text_and_lists_actions_themes_and_recommendations(client):
    html = client.get(reverse("recommendations:commitment-detail", args=[3])).content.decode()
    assert "Establish national action plans for the elimination of child immigration detention" in html
    assert html.count('class="actions"') == 1
    assert len(re.findall(r'<li value="\d">', html)) == 4
    assert "issue-area-a" in html
    assert "gfmd-hr-ws-political-02" in html  # the recommendation on detention of children supports commitment 3


def test_commitment_table_filters_by_regional_group(client):
    html = client.get(
        reverse("recommendations:commitment-detail", args=[1]), {"regional_group": "african"}
    ).content.decode()
    assert "Kenya" in html and "54 states" in html
    assert ">France</a>" not in html


def test_commitment_table_sorts_by_status_both_ways(client, france_implemented_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    descending = client.get(url, {"sort": "-status"}).content.decode()
    ascending = client.get(url, {"sort": "status"}).content.decode()
    first_row = re.compile(r'<tbody>\s*<tr[^>]*>\s*<th scope="row"><a [^>]*>([^<]+)</a>')
    assert first_row.search(descending).group(1) == "France"
    assert first_row.search(ascending).group(1) != "France"
    assert 'aria-sort="descending"' in descending


def test_unknown_sort_key_falls_back_to_state_name(client):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"sort": "owner__username"})
    assert response.status_code == 200
    assert 'aria-sort="ascending"' in response.content.decode()


def test_nothing_private_reaches_any_public_page(client, france_implemented_3, editor):
    for url in PAGES:
        html = client.get(url).content.decode()
        for secret in ("SECRET-COMMENT", "SECRET-NOTE", "UNPUBLISHED-DRAFT", editor.username, editor.email):
            assert secret not in html, (secret, url)


def test_state_page_shows_status_evidence_and_a_history_without_staff_identities(client, france_implemented_3):
    html = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    assert "The law bans the detention of children." in html
    assert "by a Secretariat editor" in html
    assert "Loi relative à la protection de l&#x27;enfant" in html
    assert "Implemented" in html
    assert html.count("Commitment 3") >= 1


def test_unpublishing_evidence_removes_it_from_public_pages(client, france_implemented_3, editor):
    evidence = france_implemented_3.evidence.get()
    services.evidence_unpublish(evidence=evidence, actor=editor)
    for url in (
        reverse("recommendations:state-detail", args=["FR"]),
        reverse("recommendations:commitment-detail", args=[3]),
    ):
        assert "Loi relative" not in client.get(url).content.decode()


def test_report_and_assessment_are_both_shown_and_a_difference_is_marked(client, france_implemented_3, editor):
    services.implementation_set_status(
        implementation=france_implemented_3,
        status=Status.IN_PROGRESS,
        actor=editor,
        comment="Review finds gaps.",
        track=Track.ASSESSED,
    )
    html = client.get(reverse("recommendations:commitment-detail", args=[3]), {"disagreement": "true"}).content.decode()
    assert "differs from the report" in html
    assert "1 state" in html


def test_claims_without_new_evidence_go_out_of_date(client, france_implemented_3, settings):
    settings.OUT_OF_DATE_AFTER_DAYS = -1
    page = client.get(reverse("recommendations:commitment-detail", args=[3]), {"regional_group": "weog"})
    html = page.content.decode()
    assert "out of date" in html


def test_dashboard_counts_states_per_status_and_the_share_with_published_evidence(client, france_implemented_3):
    response = client.get(reverse("recommendations:dashboard"))
    row = next(r for r in response.context["rows"] if r["commitment"].number == 3)
    assert row["counts"][Status.IMPLEMENTED] == 1
    assert row["counts"][Status.IN_PROGRESS] == 1
    assert row["states_with_evidence"] == 1  # Kenya's evidence is not published
    assert response.context["share"]["evidenced"] == 1
    assert "The law bans the detention of children." in response.content.decode()


def test_dashboard_can_show_the_secretariats_assessment(client, france_implemented_3, editor):
    services.implementation_set_status(
        implementation=france_implemented_3, status=Status.PLANNED, actor=editor, comment="x", track=Track.ASSESSED
    )
    response = client.get(reverse("recommendations:dashboard"), {"track": "assessed"})
    row = next(r for r in response.context["rows"] if r["commitment"].number == 3)
    assert row["counts"][Status.PLANNED] == 1 and row["counts"][Status.IMPLEMENTED] == 0


def test_a_newcomer_finds_gfmd_recommendations_first_made_in_2012_about_discrimination(client):
    response = client.get(reverse("recommendations:recommendation-list"), {"theme": "issue-area-c", "year": 2012})
    codes = [r.code for r in response.context["page"]]
    assert codes == ["gfmd-bp-key-03", "gfmd-bp-key-06", "gfmd-bp-key-07"]
    html = response.content.decode()
    assert "3 recommendations match" in html
    assert 'href="/events/documents/gfmd-briefing-paper/#rec-gfmd-bp-key-03"' in html or "#rec-gfmd-bp-key-03" in html


def test_each_recommendation_links_to_its_place_in_its_document(client):
    html = client.get(reverse("recommendations:recommendation-detail", args=["gfmd-bp-key-03"])).content.decode()
    link = re.search(r'href="(/events/documents/[^"#]+)#rec-gfmd-bp-key-03"', html)
    assert link
    document = client.get(link.group(1)).content.decode()
    assert 'id="rec-gfmd-bp-key-03"' in document


def test_recommendations_text_search_finds_words(client):
    response = client.get(reverse("recommendations:recommendation-list"), {"q": "xenophobia"})
    codes = {r.code for r in response.context["page"]}
    assert "gfmd-bp-key-03" in codes
    assert all("xenophob" in r.text.lower() for r in response.context["page"])


def test_recommendations_browser_is_paginated(client):
    first = client.get(reverse("recommendations:recommendation-list"))
    assert first.context["page"].paginator.num_pages > 1
    second = client.get(reverse("recommendations:recommendation-list"), {"page": 2})
    assert {r.code for r in first.context["page"]}.isdisjoint(r.code for r in second.context["page"])
    assert 'rel="next"' in first.content.decode()


def test_every_filter_of_the_recommendations_browser_is_labelled(client):
    html = client.get(reverse("recommendations:recommendation-list")).content.decode()
    for name in ("q", "theme", "kind", "document", "event", "year", "commitment"):
        assert f'<label for="id_{name}">' in html, name


def test_fuzzy_dates_are_shown_as_the_source_gives_them(client):
    html = client.get(reverse("events:event-detail", args=["intergovernmental-conference-2018"])).content.decode()
    assert "September - TBA" in html
    assert "to be confirmed" in html
    assert "1 September 2018" not in html and "2018-09-01" not in html
    half = client.get(reverse("events:event-detail", args=["midcom-2017"])).content.decode()
    assert "Second Half of 2017 (TBC)" in half
    assert "1 July 2017" not in half


def test_a_day_without_a_year_in_the_source_gets_its_year_only(client):
    html = client.get(reverse("events:event-list")).content.decode()
    assert '<time datetime="2017-03-02">2 March (2017)</time>' in html


def test_event_timeline_is_grouped_by_phase_in_order(client):
    html = client.get(reverse("events:event-list")).content.decode()
    phases = ["Phase I", "Phase II", "Phase III"]
    positions = [html.index(name) for name in phases]
    assert positions == sorted(positions)


def test_event_timeline_filters_by_kind_place_and_year(client):
    url = reverse("events:event-list")
    kind = client.get(url, {"kind": "negotiation"}).context["events"]
    assert kind and all(e.kind == "negotiation" for e in kind)
    place = client.get(url, {"place": "Geneva"}).context["events"]
    assert place and all("Geneva" in e.place for e in place)
    year = client.get(url, {"year": 2018}).context["events"]
    assert year and all(e.start_date.year <= 2018 <= e.end_date.year for e in year)


def test_event_page_shows_agenda_participants_documents_and_recommendations(client):
    html = client.get(reverse("events:event-detail", args=["thematic-session-1"])).content.decode()
    assert "Agenda" in html and "Opening Segment" in html
    assert "Juan José Gómez Camacho" in html and "co-chair" in html
    report = client.get(reverse("events:event-detail", args=["gfmd-working-session-human-rights"])).content.decode()
    assert "Recommendations made or presented here" in report
    assert "access to justice needs to be granted through the set-up of firewalls" in report


def test_document_page_lists_its_commitments_and_recommendations_in_order(client):
    brief = client.get(reverse("events:document-detail", args=["issue-brief-1"])).content.decode()
    numbers = [int(n) for n in re.findall(r'id="commitment-(\d+)"', brief)]
    assert numbers == list(range(1, 11))
    report = client.get(reverse("events:document-detail", args=["gfmd-human-rights-working-session-report"]))
    codes = re.findall(r'id="rec-([\w-]+)"', report.content.decode())
    assert codes[:2] == ["gfmd-hr-ws-political-01", "gfmd-hr-ws-political-02"]
    assert len(codes) == 34  # with the ten takeaways under their questions (issue 17)


def test_state_list_filters_by_regional_group_and_sorts(client, france_implemented_3):
    response = client.get(reverse("recommendations:state-list"), {"regional_group": "weog", "sort": "-implemented"})
    states = list(response.context["states"])
    assert len(states) == 29
    assert states[0].iso2 == "FR"
    assert states[0].public_evidence == 1


def test_state_list_sorts_by_published_evidence_both_ways_ties_by_name(client, france_implemented_3):
    url = reverse("recommendations:state-list")
    most = list(client.get(url, {"sort": "-evidence"}).context["states"])
    assert [s.iso2 for s in most[:1]] == ["FR"] and most[0].public_evidence == 1
    assert [s.name for s in most[1:]] == sorted(s.name for s in most[1:])
    least = client.get(url, {"sort": "evidence"})
    assert least.context["sort"] == "evidence" and least.context["states"][-1].iso2 == "FR"


def test_pages_work_without_javascript(client):
    for url in PAGES:
        assert b"<script" not in client.get(url).content, url


def test_events_the_sources_disagree_on_are_marked_and_filterable(client):
    url = reverse("events:event-list")
    html = client.get(url).content.decode()
    assert html.count('class="flag flag-differ"') == Event.objects.filter(sources_differ=True).count() > 0
    differing = client.get(url, {"sources_differ": "true"}).context["events"]
    assert differing and all(event.sources_differ for event in differing)
    assert "thematic-session-6" in {event.slug for event in differing}
    assert "escap-regional-meeting-2017-11-06" not in {event.slug for event in differing}
    narrowed = client.get(url, {"sources_differ": "true"}).content.decode()
    assert "The sources differ on: date, title. Shown as listed in: Main preparatory events" in narrowed


def test_event_page_shows_every_listing_beside_its_source(client):
    html = client.get(reverse("events:event-detail", args=["thematic-session-6"])).content.decode()
    assert "How the 2 listings give it, side by side" in html
    assert "Main preparatory events for the global compact" in html and "Workplan of the Secretary-General" in html
    assert "2-3 October 2017" in html and "3-4 October" in html
    assert "labour mobility" in html and "labor mobility" in html  # each title in its own source's words
    assert "As listed in: Main preparatory events" in html
    tentative = client.get(reverse("events:event-detail", args=["hearing-geneva-2017-10"])).content.decode()
    assert "4 October 2017 TBC" in tentative and "2 October" in tentative


def test_event_downloads_give_a_column_block_per_listing(client):
    import csv
    import io

    response = client.get(reverse("events:event-list"), {"format": "csv", "sources_differ": "true"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {row["sources_differ"] for row in rows} == {csv_cell(True)}
    eca = next(row for row in rows if row["slug"] == "eca-regional-meeting-2017-09")
    assert eca["shown_as_listed_in"] == "main-preparatory-events"
    first = (eca["listing_1_document"], eca["listing_1_date_as_given"])
    assert first == ("main-preparatory-events", "19-20 October 2017")
    assert (eca["listing_2_document"], eca["listing_2_date_as_given"]) == ("sg-workplan", "14-15 September")
    assert (eca["earliest_start"], eca["latest_end"]) == ("2017-09-14", "2017-10-20")


def test_api_gives_the_listings_and_whether_they_differ(client):
    data = client.get("/api/v1/events/escwa-regional-meeting-2017/").json()
    assert data["sources_differ"] is True and data["differs_on"] == "date,place,title"
    assert [(x["document"], x["place"], x["place_tentative"]) for x in data["listings"]] == [
        ("main-preparatory-events", "Beirut", False),
        ("sg-workplan", "TBA", True),
    ]
    listed = client.get("/api/v1/events/", {"sources_differ": "true"}).json()
    assert listed["count"] == Event.objects.filter(sources_differ=True).count()


def test_document_page_lists_its_events_in_its_own_words(client):
    html = client.get(reverse("events:document-detail", args=["main-preparatory-events"])).content.decode()
    assert "Events this document lists" in html
    assert "Informal interactive multi-stakeholder hearing (half day)" in html
    assert "Sources differ" in html


def test_document_pages_read_through_and_lead_on(client):
    brief = client.get(reverse("events:document-detail", args=["issue-brief-1"])).content.decode()
    assert "Documents it cites, and documents citing it" in brief and "A/71/278" in brief
    cited = client.get(reverse("events:document-detail", args=["a-71-278"])).content.decode()
    assert "Cited in" in cited and reverse("events:document-detail", args=["issue-brief-1"]) in cited
    report = client.get(reverse("events:document-detail", args=["gfmd-roundtables-2-1-2-2-report"])).content.decode()
    assert 'href="#section-1"' in report and "Algeria mentioned that yesterday was" in report
    codes = re.findall(r'id="rec-([\w-]+)"', report)
    assert codes[:3] == ["gfmd-rt-inclusion-model-01", "gfmd-rt-inclusion-model-02", "gfmd-rt-inclusion-model-03"]
    # Every document page leads somewhere: an event, a phase, a listing, a citation or its items.
    from events.models import Document

    for slug in Document.objects.values_list("slug", flat=True):
        html = client.get(reverse("events:document-detail", args=[slug])).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert main.count("<a href=") >= 2, slug
