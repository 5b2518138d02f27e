"""Reporting rounds' lists at size (issue 20): the stakeholder reports received in a round and a
contributor's own submissions are paged 25 at a time past 100, in one query with the total; the
public and staff round lists keep their number of queries however many rounds there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import rounds, services
from recommendations.choices import ReportStatus, Status
from recommendations.models import Implementation, StakeholderReport
from tests.arrange import setup_writes
from tests.rounds_arrange import report
from tests.test_round_public import DAY, TODAY, URL, a_cycle, a_focal_point, item, open_round
from tests.test_stakeholder_surfaces import many_published, measured

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


@pytest.fixture
def inviting(editor):
    return open_round(editor, a_cycle(), invite_stakeholders=True)


# --- the round page's stakeholder reports -----------------------------------------------------------------


def test_the_round_page_lists_its_stakeholder_reports_a_page_at_a_time_past_a_hundred(client, inviting):
    many_published(130)
    response, _ = measured(client, URL)
    page = response.context["reports"]
    assert page.paginator.count == 130 and page.paginator.num_pages == 6 and len(page) == 25
    html = response.content.decode()
    assert "stakeholders=2#stakeholders" in html and "Page 1 of 6" in html
    assert html.count("Bulk organisation") == 25
    last, _ = measured(client, URL, {"stakeholders": 6})
    assert len(last.context["reports"]) == 5 and "Page 6 of 6" in last.content.decode()
    assert measured(client, URL, {"stakeholders": 99})[0].context["reports"].number == 6
    assert measured(client, URL, {"stakeholders": "x"})[0].context["reports"].number == 1


def test_the_round_page_with_no_report_says_so(client, inviting):
    response, _ = measured(client, URL)
    assert response.context["reports"].paginator.count == 0
    assert "No stakeholder report on this round" in response.content.decode()


def test_a_page_of_the_rounds_reports_reads_a_fixed_number_of_queries(client, inviting):
    many_published(30)
    _, few = measured(client, URL, {"stakeholders": 2})
    many_published(130)
    _, more = measured(client, URL, {"stakeholders": 2})
    assert few == more <= 8


# --- the contributor's own page ---------------------------------------------------------------------------------


def own_reports(contributor, count):
    """`count` reports of the contributor's organisation, on as many implementations, the newest first."""
    organisation = contributor.contributor.organisation
    implementations = list(Implementation.objects.order_by("pk")[:count])
    assert len(implementations) == count
    start = timezone.now() - datetime.timedelta(days=1)
    with setup_writes():
        StakeholderReport.objects.bulk_create(
            StakeholderReport(
                organisation=organisation,
                implementation=implementation,
                assessment=Status.IN_PROGRESS,
                narrative=f"Own finding {n}.",
                status=ReportStatus.SUBMITTED,
                submitted_by=contributor,
                submitted_at=start + datetime.timedelta(seconds=n),
            )
            for n, implementation in enumerate(implementations)
        )


def test_the_contributors_page_lists_its_reports_a_page_at_a_time_past_a_hundred(client, contributor):
    own_reports(contributor, 130)
    client.force_login(contributor)
    mine = reverse("stakeholders:mine")
    response, _ = measured(client, mine)
    page = response.context["reports"]
    assert page.paginator.count == 130 and page.paginator.num_pages == 6 and len(page) == 25
    assert page[0].narrative == "Own finding 129." and page[24].narrative == "Own finding 105."
    html = response.content.decode()
    assert "page=2#mine-heading" in html and "Page 1 of 6" in html
    last, _ = measured(client, mine, {"page": 6})
    assert [r.narrative for r in last.context["reports"]] == [f"Own finding {n}." for n in range(4, -1, -1)]


def test_the_contributors_page_with_no_report_says_so(client, contributor):
    client.force_login(contributor)
    response, _ = measured(client, reverse("stakeholders:mine"))
    assert "Your organisation has submitted no report yet." in response.content.decode()


def test_a_page_of_the_contributors_reports_reads_a_fixed_number_of_queries(client, contributor):
    client.force_login(contributor)
    mine = reverse("stakeholders:mine")
    own_reports(contributor, 30)
    _, few = measured(client, mine, {"page": 2})
    with setup_writes():
        StakeholderReport.objects.all().delete()
    own_reports(contributor, 130)
    _, more = measured(client, mine, {"page": 2})
    assert few == more


# --- the round lists ----------------------------------------------------------------------------------


def rounds_of(editor, cycle, numbers):
    """Rounds of France, Kenya, Brazil and Germany on commitments 1 and 2, every other one closed."""
    for n in numbers:
        made = open_round(editor, cycle, slug=f"t-round-{n}", name=f"Round {n}")
        if n % 2:
            services.round_close(actor=editor, round=made, version=made.version)


@pytest.mark.parametrize(
    ("url", "limit"), [("cycles:round-list", 12), ("staff:round-list", 13)], ids=["public", "staff"]
)
def test_the_round_lists_read_the_same_queries_with_two_and_with_twelve_rounds(
    client, editor, url, limit, django_assert_max_num_queries
):
    client.force_login(editor)
    cycle = a_cycle()
    rounds_of(editor, cycle, range(2))
    with django_assert_max_num_queries(limit) as few:
        assert client.get(reverse(url)).status_code == 200
    rounds_of(editor, cycle, range(2, 12))
    with django_assert_max_num_queries(limit) as more:
        response = client.get(reverse(url))
    assert response.status_code == 200 and "Round 11" in response.content.decode()
    assert len(few.captured_queries) == len(more.captured_queries)


def test_the_lists_progress_of_many_rounds_is_each_rounds_own(editor):
    """`rounds.progress_of_rounds` (the lists') gives what `rounds.progress` gives round by round:
    rounds opened on different days, late, confirmed, not yet open and closed."""
    cycle, focal_point = a_cycle(), a_focal_point()
    now = timezone.now()
    early = open_round(editor, cycle, slug="t-early", opens_on=TODAY - 20 * DAY, deadline=TODAY - 10 * DAY)
    later = open_round(editor, cycle, slug="t-later", states=("FR", "KE"), numbers=(2, 3))
    ahead = open_round(editor, cycle, slug="t-ahead", opens_on=TODAY + 3 * DAY, deadline=TODAY + 9 * DAY)
    report(focal_point, item("FR", 1), now - 15 * DAY)
    report(focal_point, item("FR", 2), now - 2 * DAY)
    report(focal_point, item("KE", 1), now - 30 * DAY)  # before any window
    report(focal_point, item("BR", 2), now - 1 * DAY)
    services.round_confirm_unchanged(actor=focal_point, round=later, implementations=[item("KE", 2)])
    services.round_confirm_unchanged(actor=focal_point, round=early, implementations=[item("KE", 1)])
    closed = open_round(editor, cycle, slug="t-closed", states=("FR", "BR"))
    services.round_close(actor=editor, round=closed, version=closed.version)
    listed = [early, later, ahead, closed]
    for each in listed:
        each.refresh_from_db()
    together = rounds.progress_of_rounds(listed)
    assert {pk: rounds.progress(r) for pk, r in ((r.pk, r) for r in listed)} == together
    france = together[early.pk][[p.state.iso2 for p in together[early.pk]].index("FR")]
    assert (france.reported, france.done, france.late) == (2, True, True)
    assert [p.reported for p in together[ahead.pk]] == [0, 0, 0, 0]
