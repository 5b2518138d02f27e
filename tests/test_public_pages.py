"""The public pages, read by an anonymous visitor, on the real source data.

Statuses and evidence are made through the services, as staff would make them, so the pages
are checked against what the workflow really produces: published evidence shows, nothing
unpublished or staff-only ever does.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation, Recommendation, State
from recommendations.public.views import PAGE_SIZE
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
    assert "Recommendations made here" in report
    assert "access to justice needs to be granted through the set-up of firewalls" in report


def test_document_page_lists_its_commitments_and_recommendations_in_order(client):
    brief = client.get(reverse("events:document-detail", args=["issue-brief-1"])).content.decode()
    numbers = [int(n) for n in re.findall(r'id="commitment-(\d+)"', brief)]
    assert numbers == list(range(1, 11))
    report = client.get(reverse("events:document-detail", args=["gfmd-human-rights-working-session-report"]))
    codes = re.findall(r'id="rec-([\w-]+)"', report.content.decode())
    assert codes[:2] == ["gfmd-hr-ws-political-01", "gfmd-hr-ws-political-02"]
    assert len(codes) == 33


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


# ---------------------------------------------------------------------------------------------
# A state's page at scale: its long lists are shown a page at a time, the downloads give them whole.


@pytest.fixture
def france_tracks_30_recommendations(france, editor):
    """France tracks 30 recommendations, more than a page, each with a published law dated a day apart."""
    implementations = Implementation.objects.bulk_create(
        Implementation(state=france, recommendation=recommendation)
        for recommendation in Recommendation.objects.order_by("code")[:30]
    )
    for n, implementation in enumerate(implementations):
        law = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Law number {n:02}",
            kind="law",
            url=f"https://example.org/law-{n}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
        services.evidence_verify(evidence=law, actor=editor, publish=True)
    return implementations


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_state_page_shows_tracked_recommendations_a_page_at_a_time_keeping_the_date(
    client, france_tracks_30_recommendations
):
    url = reverse("recommendations:state-detail", args=["FR"])
    first = client.get(url, {"as_of": "2024-06-01"})
    second = client.get(url, {"as_of": "2024-06-01", "items": "2"})
    on_first = [i.pk for i in first.context["recommendations"]]
    on_second = [i.pk for i in second.context["recommendations"]]
    assert len(on_first) == PAGE_SIZE and len(on_second) == 30 - PAGE_SIZE
    assert not set(on_first) & set(on_second)
    html = first.content.decode()
    assert f"Showing 1–{PAGE_SIZE} of 30, in the order of their source documents." in html
    assert 'href="?as_of=2024-06-01&amp;items=2#recommendations-heading" rel="next"' in html
    assert len(first.context["commitments"]) == 10  # the commitments are never paged
    assert 'href="?as_of=2024-06-01&amp;items=1#recommendations-heading" rel="prev"' in second.content.decode()


def test_state_status_download_has_every_item_whatever_the_page(client, france_tracks_30_recommendations):
    response = client.get(reverse("recommendations:state-detail", args=["FR"]), {"items": "2", "format": "csv"})
    assert len(csv_rows(response)) == 10 + 30


def test_state_page_filters_tracked_recommendations_by_status_and_the_download_follows(
    client, france_tracks_30_recommendations, editor
):
    services.implementation_set_status(
        implementation=france_tracks_30_recommendations[7],
        status=Status.IN_PROGRESS,
        actor=editor,
        comment="Drafting has started.",
    )
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url, {"status": Status.IN_PROGRESS})
    assert [i.pk for i in response.context["recommendations"]] == [france_tracks_30_recommendations[7].pk]
    assert len(response.context["commitments"]) == 10
    rows = csv_rows(client.get(url, {"status": Status.IN_PROGRESS, "format": "csv"}))
    assert len(rows) == 10 + 1


def test_state_page_shows_the_most_recent_evidence_and_how_much_there_is(client, france_tracks_30_recommendations):
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url)
    html = response.content.decode()
    assert len(response.context["evidence"]) == PAGE_SIZE
    assert f"Showing 1–{PAGE_SIZE} of 30, most recent first." in html
    assert "Law number 29" in html and "Law number 00" not in html
    assert 'id="evidence"' in html and 'href="?evidence=2#evidence" rel="next"' in html
    assert "Law number 00" in client.get(url, {"evidence": "2"}).content.decode()
    assert len(csv_rows(client.get(url, {"evidence": "2", "format": "csv", "list": "evidence"}))) == 30


def test_state_page_past_the_last_page_shows_the_last_page(client, france_tracks_30_recommendations):
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url, {"items": "9", "evidence": "x"})
    assert response.context["recommendations"].number == 2
    assert response.context["evidence"].number == 1
    response = client.get(url, {"items": "9" * 30, "evidence": "-3"})
    assert response.context["recommendations"].number == 2
    assert response.context["evidence"].number == 1


def test_state_history_pages_run_newest_first_without_overlap(client, france_tracks_30_recommendations, editor):
    for n, implementation in enumerate(france_tracks_30_recommendations[: PAGE_SIZE + 1]):
        services.implementation_set_status(
            implementation=implementation,
            status=Status.PLANNED,
            actor=editor,
            comment=f"Plan {n}.",
            effective_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 3),
        )
    url = reverse("recommendations:state-detail", args=["FR"])
    first, second = (client.get(url, {"page": n}).context["history"] for n in (1, 2))
    updates = [*first, *second]
    assert first.paginator.count == PAGE_SIZE + 1 and len(second) == 1
    assert len({u.pk for u in updates}) == PAGE_SIZE + 1
    keys = [(u.effective_date, u.created_at, u.pk) for u in updates]
    assert keys == sorted(keys, reverse=True)


def test_commitment_page_lists_states_fifty_at_a_time_and_every_state_on_the_map(client):
    # Unfiltered, the table lists only the states with information (test_known_first); the states
    # with none fill pages when asked for.
    url = reverse("recommendations:commitment-detail", args=[3])
    first, second = (
        client.get(url, {"status": "no_information"}),
        client.get(url, {"status": "no_information", "page": 2}),
    )
    names = [[i.state.name for i in page.context["implementations"]] for page in (first, second)]
    assert len(names[0]) == 50 and names[1] and not set(names[0]) & set(names[1])
    assert names[0] + names[1] == sorted(names[0] + names[1])
    assert len(first.context["colours"]) == State.objects.count()
    html = first.content.decode()
    assert f"Showing 1–50 of {State.objects.count()}." in html
    assert 'href="?status=no_information&amp;page=2#states-caption"' in html
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(csv) == State.objects.count() + 1  # the download is never a page


def test_commitment_page_shows_one_states_evidence_from_its_count_in_the_table(client, france_implemented_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    html = client.get(url, {"evidence_of": "fr"}).content.decode()
    assert "Evidence from France only." in html
    assert "Loi relative à la protection de l&#x27;enfant" in html
    html = client.get(url, {"evidence_of": "KE"}).content.decode()
    assert "protection de l&#x27;enfant" not in html and "No evidence on this commitment" in html
    assert client.get(url, {"evidence_of": "ZZ"}).context["evidence_of"] is None  # unknown code: every state


def test_state_page_shows_one_items_evidence_from_its_count_in_the_table(client, france_implemented_3, kenya):
    france_3 = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    url = reverse("recommendations:state-detail", args=["FR"])
    html = client.get(url).content.decode()
    assert f'href="?evidence_item={france_3.pk}#evidence"' in html
    page = client.get(url, {"evidence_item": france_3.pk})
    assert [e.implementation_id for e in page.context["evidence"]] == [france_3.pk]
    assert "Evidence on commitment 3 only." in page.content.decode()
    other = Implementation.objects.filter(state=france_3.state).exclude(pk=france_3.pk).first()
    assert not list(client.get(url, {"evidence_item": other.pk}).context["evidence"])
    kenya_3 = Implementation.objects.get(state=kenya, commitment__number=3)
    for ignored in (kenya_3.pk, "x", "-1"):  # another state's item, or no id: all the state's evidence
        page = client.get(url, {"evidence_item": ignored})
        assert page.context["evidence_about"] is None and len(page.context["evidence"]) == 1


def test_the_evidence_download_follows_the_item_chosen(client, france_implemented_3):
    france_3 = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    other = Implementation.objects.filter(state__iso2="FR").exclude(pk=france_3.pk).first()
    url = reverse("recommendations:state-detail", args=["FR"])

    def rows(**params):
        return client.get(url, {"format": "csv", "list": "evidence", **params}).content.decode("utf-8-sig").splitlines()

    assert len(rows()) == 2 and rows(evidence_item=france_3.pk) == rows()
    assert len(rows(evidence_item=other.pk)) == 1  # the header alone
