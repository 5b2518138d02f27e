"""The public pages of reporting rounds (issue 20, item 3): every round at /rounds/, and one round at
/rounds/<slug>/ with its message, deadline and items, a map of how far each state got, a table per
UN regional group (the map's text alternative), a summary, the approved stakeholder reports
received in the round and a download of the per-state progress; the cycle's page lists its rounds
and a closed round's frozen results, the cycle's state report shows the state's round result, and
a contributor's page lists the open rounds that invite stakeholder reports. Their cache:
tests/test_round_public_cache.py."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from recommendations import services
from recommendations.choices import CycleKind, Role, Status
from recommendations.models import Commitment, Implementation, Recommendation, ReviewCycle, State, StatusUpdate
from tests.factories import UserFactory
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
URL = "/rounds/t-spring/"


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


def a_cycle():
    return ReviewCycle.objects.create(
        slug="t-review",
        name="T review",
        kind=CycleKind.REGIONAL_REVIEW,
        opens_on=TODAY - 30 * DAY,
        closes_on=TODAY + 60 * DAY,
    )


def a_focal_point():
    """The focal point of France, Kenya and Brazil."""
    states = list(State.objects.filter(iso2__in=["FR", "KE", "BR"]))
    return UserFactory(username="zq-round-fp", role=Role.FOCAL_POINT, states=states)


@pytest.fixture
def cycle(db):
    return a_cycle()


@pytest.fixture
def focal_point(db):
    return a_focal_point()


def open_round(editor, cycle, *, slug="t-spring", states=("FR", "KE", "BR", "DE"), numbers=(1, 2), **extra):
    options = {
        "name": "Spring reporting",
        "opens_on": TODAY - 5 * DAY,
        "deadline": TODAY + 10 * DAY,
        "message": "Please update commitments 1 and 2 before the forum.",
        **extra,
    }
    return services.round_open(
        actor=editor,
        cycle=cycle,
        slug=slug,
        commitments=list(Commitment.objects.filter(number__in=numbers)),
        states=list(State.objects.filter(iso2__in=states)),
        **options,
    )


def item(iso2, number):
    return Implementation.objects.select_related("state", "commitment").get(state__iso2=iso2, commitment__number=number)


def report(actor, iso2, number, status=Status.PLANNED):
    services.implementation_set_status(
        implementation=item(iso2, number), status=status, actor=actor, comment="c", rationale="Reported."
    )


def the_spring_round(editor, cycle, focal_point):
    """France reported both items (one confirmed unchanged), Kenya one of two, Brazil and Germany none."""
    reporting_round = open_round(editor, cycle)
    report(focal_point, "FR", 1)
    services.round_confirm_unchanged(actor=focal_point, round=reporting_round, implementations=[item("FR", 2)])
    report(focal_point, "KE", 1)
    reporting_round.refresh_from_db()
    return reporting_round


@pytest.fixture
def spring(editor, cycle, focal_point):
    return the_spring_round(editor, cycle, focal_point)


def map_class(html, iso2):
    return re.search(rf'<use class="([^"]+)" href="[^"]+#{iso2}"', html).group(1)


def row_of(html, name):
    """The table row of a state, as text without tags."""
    found = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>{name}</a>.*?</tr>", html, re.S)
    assert found, name
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def test_the_round_list_names_each_round_its_cycle_deadline_and_states_reported(client, spring):
    html = client.get(reverse("cycles:round-list")).content.decode()
    assert "Spring reporting" in html and "Review cycle: T review" in html
    assert f'datetime="{spring.deadline:%Y-%m-%d}"' in html
    assert ">open<" in html
    assert "1 of 4" in html  # France only has reported every item


def test_the_round_page_gives_the_message_the_deadline_and_the_items(client, spring):
    html = client.get(URL).content.decode()
    assert "Please update commitments 1 and 2 before the forum." in html
    assert f'datetime="{spring.deadline:%Y-%m-%d}"' in html
    for number in (1, 2):
        assert reverse("recommendations:commitment-detail", args=[number]) in html
    assert "Open: the figures change as states report." in html


def test_the_summary_counts_states_reported_partly_and_not_started(client, spring):
    html = " ".join(client.get(URL).content.decode().split())
    assert "1 of 4 states have reported every item of the round; 1 partly, 2 not started." in html
    assert "3 of 8 items reported in all." in html


def test_the_map_colours_each_state_by_how_far_it_got(client, spring):
    html = client.get(URL).content.decode()
    assert map_class(html, "FR") == "round-reported"
    assert map_class(html, "KE") == "round-partly"
    assert map_class(html, "BR") == "round-not_started"
    assert map_class(html, "US") == "fill-none"
    assert "France: 2 of 2 items reported" in html and "United States of America: not in this round" in html
    assert 'Not in this round <span class="muted">(' in html


def test_a_table_per_regional_group_lists_each_state_with_items_reported_and_when(client, spring):
    html = client.get(URL).content.decode()
    captions = re.findall(r"<caption[^>]*>([^<]+)</caption>", html)
    assert "Western European and other States: 1 of 2 states have reported" in captions
    assert "African States: 0 of 1 state has reported" in captions
    assert "Latin American and Caribbean States: 0 of 1 state has reported" in captions
    france = row_of(html, "France")
    assert "2 of 2" in france and "1 confirmed unchanged" in france and "late" not in france
    assert date_format(TODAY, "SHORT_DATE_FORMAT") in france  # completed today
    assert "1 of 2" in row_of(html, "Kenya") and "Not yet" in row_of(html, "Kenya")
    assert "0 of 2" in row_of(html, "Brazil") and "Not started" in row_of(html, "Brazil")
    assert '<progress class="round-bar" max="2" value="1"' in html


def test_a_report_recorded_after_the_deadline_counts_and_is_late(client, editor, cycle, focal_point):
    open_round(editor, cycle, opens_on=TODAY - 20 * DAY, deadline=TODAY - 2 * DAY, numbers=(3,))
    report(focal_point, "FR", 3)
    html = client.get(URL).content.decode()
    assert "1 of 1" in row_of(html, "France") and "late" in row_of(html, "France")
    assert "past the deadline" in html


def test_a_status_update_recorded_before_the_round_opened_does_not_count(client, editor, cycle, focal_point):
    report(focal_point, "FR", 1)
    open_round(editor, cycle, opens_on=TODAY + DAY, deadline=TODAY + 10 * DAY)
    assert "0 of 2" in row_of(client.get(URL).content.decode(), "France")


def test_a_state_that_tracks_none_of_the_rounds_items_has_nothing_to_report(
    client, editor, administrator, cycle, focal_point
):
    recommendation = Recommendation.objects.order_by("code").first()
    services.implementation_track(
        actor=administrator, state=State.objects.get(iso2="FR"), recommendation=recommendation
    )
    services.round_open(
        actor=editor,
        cycle=cycle,
        slug="t-spring",
        name="Spring reporting",
        opens_on=TODAY - DAY,
        deadline=TODAY + DAY,
        recommendations=[recommendation],
        states=list(State.objects.filter(iso2__in=["FR", "KE"])),
    )
    html = " ".join(client.get(URL).content.decode().split())
    assert "Nothing to report: the state tracks none of the round's items." in row_of(html, "Kenya")
    assert "0 of 1" in row_of(html, "France")
    assert map_class(html, "KE") == "fill-none" and "Kenya: nothing to report in this round" in html
    assert "1 state has nothing to report in it." in html
    assert "Not in this round, or nothing to report" in html


def test_the_download_gives_each_states_progress(client, spring):
    rows = json.loads(client.get(URL, {"format": "json"}).content)["results"]
    france = next(row for row in rows if row["state_iso2"] == "FR")
    assert france["items"] == 2 and france["reported"] == 2 and france["confirmed_unchanged"] == 1
    assert france["standing"] == "reported" and france["percent"] == 100 and france["late"] is False
    assert france["completed_at"].startswith(TODAY.isoformat())
    assert {row["state_iso2"]: row["standing"] for row in rows} == {
        "FR": "reported",
        "KE": "partly",
        "BR": "not_started",
        "DE": "not_started",
    }
    csv = client.get(URL, {"format": "csv"}).content.decode().lstrip("\ufeff")
    assert csv.splitlines()[0].startswith("state_iso2,state,regional_group,items,reported")
    assert "KE,Kenya,african,2,1,0,50,partly" in csv


def test_an_unknown_round_is_not_found(client, db):
    assert client.get("/rounds/no-such-round/").status_code == 404


def test_the_round_pages_read_in_arabic_right_to_left(client, spring):
    html = client.get("/ar" + URL).content.decode()
    assert 'dir="rtl"' in html and "فرنسا" in html
    assert "Not in this round" not in html and "Items reported" not in html
    assert client.get("/ar/rounds/").status_code == 200


def test_the_navigation_and_the_cycle_list_link_to_the_rounds(client, db):
    html = client.get(reverse("cycles:cycle-list")).content.decode()
    assert html.count(f'href="{reverse("cycles:round-list")}"') == 2


# The cycle's snapshot: the cycle lists its rounds, a closed round's results are frozen.


def test_the_cycle_page_lists_its_rounds_with_how_many_states_reported(client, spring):
    html = " ".join(client.get(reverse("cycles:cycle-detail", args=["t-review"])).content.decode().split())
    assert spring.get_absolute_url() in html
    assert "1 of 4 states have reported every item of the round; 1 partly, 2 not started." in html
    assert "Each state's result at the close" not in html  # open: no frozen results yet


def test_a_closed_round_shows_its_frozen_results_on_the_round_the_cycle_and_the_state_report(
    client, editor, focal_point, spring
):
    services.round_close(actor=editor, round=spring, version=spring.version)
    report(focal_point, "KE", 2)  # after the close: no longer counts
    round_page = client.get(URL).content.decode()
    assert "Closed on" in round_page and "1 of 2" in row_of(round_page, "Kenya")
    cycle_page = client.get(reverse("cycles:cycle-detail", args=["t-review"])).content.decode()
    assert "Each state's result at the close" in cycle_page and "1 of 2" in row_of(cycle_page, "Kenya")
    state_report = client.get(reverse("cycles:state-report", args=["t-review", "KE"])).content.decode()
    assert "Spring reporting" in state_report and "the result at the close" in state_report
    assert "1 of 2" in state_report


def test_the_state_report_shows_the_states_result_in_an_open_round(client, spring):
    html = client.get(reverse("cycles:state-report", args=["t-review", "FR"])).content.decode()
    assert "Spring reporting" in html and "2 of 2" in html and "1 confirmed unchanged" in html
    us = client.get(reverse("cycles:state-report", args=["t-review", "US"])).content.decode()
    assert "Spring reporting" not in us  # not in the round


# Stakeholder reports: invited, received in the round, shown by the organisation's name only once approved.


def submitted(contributor, iso2="FR", number=1, narrative="Only part of the law is in force."):
    return services.report_submit(
        actor=contributor, state=iso2, commitment=number, assessment=Status.PARTIALLY_IMPLEMENTED, narrative=narrative
    )


def test_an_approved_report_in_the_round_is_listed_by_the_organisations_name_only(client, editor, cycle, contributor):
    open_round(editor, cycle, invite_stakeholders=True)
    report_in_round = submitted(contributor)
    services.report_moderate(actor=editor, report=report_in_round, decision="approve")
    outside = submitted(contributor, iso2="US", narrative="Not a state of the round.")
    services.report_moderate(actor=editor, report=outside, decision="approve")
    html = client.get(URL).content.decode()
    assert "Stakeholder reports received in this round" in html
    section = html[html.index('id="stakeholders-heading"') :]
    assert "Observatory of Migrants&#x27; Rights" in section and "Partially implemented" in section
    assert "United States" not in section  # not one of the round's pairs
    assert "contributor@example.org" not in html and ">contributor<" not in html


@pytest.mark.parametrize("decision", [None, "changes", "reject"])
def test_an_unapproved_report_reaches_neither_the_round_page_nor_its_download(
    client, editor, cycle, contributor, decision
):
    open_round(editor, cycle, invite_stakeholders=True)
    waiting = submitted(contributor, narrative="Unpublished finding.")
    if decision:
        services.report_moderate(actor=editor, report=waiting, decision=decision, reason="Not yet.")
    for response in (client.get(URL), client.get(URL, {"format": "csv"}), client.get(URL, {"format": "json"})):
        text = response.content.decode()
        assert "Observatory" not in text and "Unpublished finding." not in text
    assert "No stakeholder report on this round's items has been published yet." in client.get(URL).text


def test_the_contributors_page_lists_the_open_rounds_that_invite_reports(client, editor, cycle, contributor):
    invited = open_round(editor, cycle, invite_stakeholders=True, numbers=(4,))
    open_round(editor, cycle, slug="t-quiet", name="Quiet round")
    closed = open_round(editor, cycle, slug="t-closed", name="Closed round", invite_stakeholders=True)
    services.round_close(actor=editor, round=closed, version=closed.version)
    client.force_login(contributor)
    html = client.get(reverse("stakeholders:mine")).content.decode()
    section = html[html.index('id="invitations-heading"') :]
    assert invited.get_absolute_url() in section and f'datetime="{invited.deadline:%Y-%m-%d}"' in section
    assert "Quiet round" not in section and "Closed round" not in section
    assert reverse("recommendations:commitment-detail", args=[4]) in section
    submit = reverse("stakeholders:submit")
    assert f'href="{submit}?state=FR&amp;commitment=4"' in section and ">Kenya</a>" in section
    form = client.get(submit, {"state": "FR", "commitment": "4"}).content.decode()
    assert 'name="state" value="FR"' in form and 'name="commitment" value="4"' in form


def test_a_contributor_of_an_organisation_not_approved_is_not_invited(client, editor, cycle, contributor):
    open_round(editor, cycle, invite_stakeholders=True)
    services.organisation_moderate(
        actor=editor, organisation=contributor.contributor.organisation, approve=False, reason="Closed."
    )
    client.force_login(contributor)
    assert 'id="invitations-heading"' not in client.get(reverse("stakeholders:mine")).content.decode()


# Query counts: the same whatever the number of states in the round and of status updates.

QUERY_PAGES = [
    URL,
    URL + "?format=csv",
    "/rounds/",
    "/cycles/t-review/",
    "/cycles/t-review/states/FR/",
]
QUERY_CEILINGS = {
    URL: 8,  # the round, its commitments, its recommendations, progress (4), the stakeholder reports
    URL + "?format=csv": 5,  # the round, progress (4)
    "/rounds/": 7,  # the rounds, the open ones' progress (6 whatever their number: tests/test_round_lists.py)
    "/cycles/t-review/": 10,
    "/cycles/t-review/states/FR/": 15,  # with the stakeholder reports published by the close, their links
}


def bulk_reports(states, numbers, focal_point):
    """Reported updates on every (state, item) given, recorded now: through the bulk service, as a
    round's many reports would be."""
    services.implementation_set_status_bulk(
        changes=[
            services.StatusChange(
                implementation=implementation, status=Status.PLANNED, comment="bulk", rationale="Reported."
            )
            for implementation in Implementation.objects.filter(state__iso2__in=states, commitment__number__in=numbers)
        ],
        actor=focal_point,
    )


def test_the_round_pages_make_the_same_queries_with_4_and_120_states(client, editor, cycle, contributor):
    small = open_round(editor, cycle, invite_stakeholders=True)
    administrator = UserFactory(username="zq-round-admin", role=Role.EDITOR)
    bulk_reports(["FR", "KE"], [1], administrator)
    services.report_moderate(actor=editor, report=submitted(contributor), decision="approve")
    small_counts = count_queries(client, QUERY_PAGES)

    everyone = list(State.objects.order_by("name").values_list("iso2", flat=True)[:120])
    services.round_edit(
        actor=editor,
        round=small,
        version=small.version,
        states=list(State.objects.filter(iso2__in=everyone)),
        commitments=list(Commitment.objects.filter(number__in=range(1, 11))),
    )
    bulk_reports(everyone[:80], range(1, 11), administrator)
    for iso2 in ("KE", "BR", "DE"):
        services.report_moderate(actor=editor, report=submitted(contributor, iso2=iso2), decision="approve")
    assert StatusUpdate.objects.count() > 800
    large_counts = count_queries(client, QUERY_PAGES)
    assert small_counts == large_counts
    assert not [url for url, ceiling in QUERY_CEILINGS.items() if large_counts[url] > ceiling], large_counts
