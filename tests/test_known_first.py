"""Show what is known first (issue 19): headlines per commitment, statuses apart from "no
information", states with information first on the commitment page, a compact state overview."""

import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation
from recommendations.templatetags.known import known_first
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


@pytest.fixture
def editor(db):
    return UserFactory(username="zq-known-editor", role=Role.EDITOR)


def set_status(iso2, status, editor, *, track=Track.REPORTED, number=3):
    implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=number)
    evidence = []
    if status in (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED):
        item = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Act {iso2}",
            kind="law",
            url=f"https://example.org/{iso2}",
        )
        services.evidence_verify(evidence=item, actor=editor, publish=True)
        evidence = [item]
    services.implementation_set_status(
        implementation=implementation,
        status=status,
        actor=editor,
        comment="c",
        rationale="r",
        evidence=evidence,
        track=track,
    )


@pytest.fixture
def three_reported(editor):
    set_status("FR", Status.IMPLEMENTED, editor)
    set_status("KE", Status.IN_PROGRESS, editor)
    set_status("BR", Status.IN_PROGRESS, editor)


def test_each_commitment_has_a_headline_of_what_is_known(client, three_reported):
    html = client.get(reverse("recommendations:dashboard")).content.decode()
    assert "3 of 195 states have reported; of those, 1 implemented and 2 in progress." in html
    assert html.count("No state has reported yet.") == 9


def test_the_assessed_track_says_assessed(client, three_reported, editor):
    set_status("KE", Status.PLANNED, editor, track=Track.ASSESSED)
    html = client.get(reverse("recommendations:dashboard"), {"track": "assessed"}).content.decode()
    assert "1 of 195 states has been assessed; of those, 1 planned." in html


def test_the_status_bar_leaves_no_information_out_and_is_scaled_to_the_longest_known():
    rows = [
        {"label": "a", "url": None, "counts": {Status.NO_INFORMATION: 190, Status.IMPLEMENTED: 5}},
        {"label": "b", "url": None, "counts": {Status.NO_INFORMATION: 193, Status.PLANNED: 2}},
    ]
    items = known_first(rows)["items"]
    assert [s["value"] for s in items[0]["segments"]] == [Status.IMPLEMENTED]
    assert items[0]["segments"][0]["width"] == "100%"  # the longest known fills the width
    assert items[1]["segments"][0]["width"] == "40%"
    assert items[0]["coverage_width"] == f"{round(100 * 5 / 195, 3):g}%"


def test_the_counts_table_puts_no_information_apart_after_the_statuses(client, three_reported):
    response = client.get(reverse("recommendations:dashboard"))
    html = response.content.decode()
    table = html[html.index('class="status-counts"') :]
    head = table[: table.index("</thead>")]
    assert head.index("States with information") < head.index("Not started") < head.index("No information")
    row = next(r for r in response.context["rows"] if r["commitment"].number == 3)
    assert (row["known"], row["known_share"]) == (3, 2)


def test_the_commitment_table_lists_the_states_with_information_and_collapses_the_others(client, three_reported):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]))
    table = [i.state.iso2 for i in response.context["implementations"]]
    assert sorted(table) == ["BR", "FR", "KE"]
    assert len(response.context["nothing_known"]) == 192
    html = response.content.decode()
    assert '<details class="nothing-known" id="no-information">' in html
    assert "192 states with no information" in html and "3 states with information" in html


@pytest.mark.parametrize("query", [{}, {"regional_group": "weog"}])
def test_the_states_with_nothing_known_are_named_by_name_with_links_filtered_or_not(client, three_reported, query):
    """Unfiltered, the map's rows tell them; filtered, a query of the states the filters keep: the
    same names, in the same order, in the page's language."""
    from recommendations.models import State, sorted_by_localized_name

    with_filter = {"regional_group": query["regional_group"]} if query else {}
    response = client.get("/fr" + reverse("recommendations:commitment-detail", args=[3]), query)
    with translation.override("fr"):  # in the alphabetical order of their French names, as on the state list
        expected = sorted_by_localized_name(State.objects.filter(**with_filter).exclude(iso2__in=["BR", "FR", "KE"]))
    assert [s.iso2 for s in response.context["nothing_known"]] == [s.iso2 for s in expected]
    names = re.search(r'<ul class="name-list">(.*?)</ul>', response.content.decode(), re.S)[1]
    germany = State.objects.get(iso2="DE")
    with translation.override("fr"):
        assert f'<a href="{germany.get_absolute_url()}">Allemagne</a>' in names


def test_the_map_colours_the_track_the_page_shows(client, three_reported, editor):
    set_status("DE", Status.PLANNED, editor, track=Track.ASSESSED)
    url = reverse("recommendations:commitment-detail", args=[3])
    reported = client.get(url).context["colours"]
    assessed = client.get(url, {"track": "assessed"}).context["colours"]
    assert (reported["FR"], reported["DE"]) == (Status.IMPLEMENTED, Status.NO_INFORMATION)
    assert (assessed["FR"], assessed["DE"]) == (Status.NO_INFORMATION, Status.PLANNED)
    assert len(reported) == len(assessed) == 195


def test_a_state_only_assessed_counts_as_known(client, three_reported, editor):
    set_status("DE", Status.PLANNED, editor, track=Track.ASSESSED)
    response = client.get(reverse("recommendations:commitment-detail", args=[3]))
    assert "DE" in [i.state.iso2 for i in response.context["implementations"]]


def test_filtering_on_a_status_shows_those_states_in_the_table_with_nothing_collapsed(client, three_reported):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"status": "no_information"})
    assert response.context["implementations"].paginator.count == 192
    assert response.context["nothing_known"] is None


def test_as_of_a_past_date_every_state_is_collapsed(client, three_reported):
    response = client.get(reverse("recommendations:commitment-detail", args=[3]), {"as_of": "2019-01-01"})
    assert response.context["implementations"].paginator.count == 0
    assert len(response.context["nothing_known"]) == 195


@pytest.mark.parametrize("lang", ["", "/fr", "/es", "/ar"])
def test_the_about_page_explains_the_method_in_every_language(client, lang):
    response = client.get(f"{lang}/about/")
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in ("statuses", "evidence-rule", "freshness", "cycles", "sources", "cite", "licence"):
        assert f'id="{anchor}"' in html
    if not lang:
        assert "Only the secretariat's editors and administrators set it." in html
        assert "older than 730 days" in html


def test_state_and_commitment_pages_end_with_a_ready_citation(client, settings):
    settings.SITE_URL = "https://tracker.example.org"
    state = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    assert '<span dir="ltr">https://tracker.example.org/states/FR/</span>' in state
    assert "<bdi>France</bdi>. GCM Tracker." in state
    commitment = client.get(reverse("recommendations:commitment-detail", args=[3])).content.decode()
    assert "<bdi>Commitment 3: End child immigration detention" in commitment


@pytest.mark.parametrize("query", [{}, {"sort": "-status", "track": "assessed"}, {"regional_group": "weog"}])
def test_the_tables_count_is_the_states_with_information_counted_once(client, three_reported, editor, query):
    """Unfiltered, the map's rows (every state's statuses and position) give the count of the
    states with information, and no COUNT query runs for it; a filter counts what it keeps."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.choices import Position

    implementation = Implementation.objects.get(state__iso2="DE", commitment__number=3)
    services.implementation_assign(  # a stated position alone is information too
        implementation=implementation,
        actor=UserFactory(username="zq-known-admin", role=Role.ADMINISTRATOR),
        owner=None,
        lead_agency="",
        due_date=None,
        position=Position.SUPPORTED,
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("recommendations:commitment-detail", args=[3]), query)
    page = response.context["implementations"]
    expected = {"BR", "DE", "FR", "KE"} if "regional_group" not in query else {"DE", "FR"}
    assert page.paginator.count == len(expected) == len(page.object_list)
    assert {row.state.iso2 for row in page.object_list} == expected
    counted = [
        q["sql"]
        for q in queries
        if re.search(r'COUNT\(\*\) AS "__count" FROM "recommendations_implementation"', q["sql"])
    ]
    assert len(counted) == (1 if "regional_group" in query else 0), counted


@pytest.mark.parametrize("sort", ["state", "-state", "-status", "assessment", "position", "-evidence", "last_update"])
def test_the_compiled_keys_of_an_unfiltered_table_are_those_the_orm_gives(sort):
    """The commitment table's keys, unfiltered, by a compiled query (`views._KeysOf`): the same
    (id, state, version) in the same order as the queryset the page filters, on both pages."""
    from recommendations.choices import Position
    from recommendations.models import Commitment
    from recommendations.public import queries, views
    from recommendations.selectors import IMPLEMENTATION_SORTS, sort_queryset
    from tests.factories import EvidenceFactory

    commitment = Commitment.objects.get(number=3)
    items = list(Implementation.objects.filter(commitment=commitment).order_by("state__iso2"))
    statuses = [Status.PLANNED, Status.IN_PROGRESS, Status.NOT_STARTED]
    for n, implementation in enumerate(items[:70]):
        Implementation.objects.filter(pk=implementation.pk).update(
            position=Position.SUPPORTED if n % 2 else Position.NO_RESPONSE,
            status=statuses[n % 3] if n % 5 else Status.NO_INFORMATION,
            assessment=Status.PLANNED if n % 7 == 0 else Status.NO_INFORMATION,
        )
        if n % 4 == 0:
            EvidenceFactory(implementation=implementation, verified=True, visibility="public")
    unknown = Q(status=Status.NO_INFORMATION, assessment=Status.NO_INFORMATION, position=Position.NO_RESPONSE)
    ordered, applied = sort_queryset(
        queries.commitment_implementations(commitment), sort, IMPLEMENTATION_SORTS, "state"
    )
    expected = list(ordered.exclude(unknown).values_list("pk", "state__iso2", "version"))
    assert len(expected) > 50  # two pages
    keys = views._KeysOf(commitment.pk, applied)
    assert keys[0:50] + keys[50:100] == expected
