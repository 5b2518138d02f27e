"""Dashboard, commitment and state pages "as of" a past date show the statuses of that date,
from the history; a bad date says so and shows today's."""

import datetime

import pytest
from django.db import connection
from django.db.models import Case, When
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.choices import CycleKind, Status, Track
from recommendations.models import Implementation, ReviewCycle, StatusUpdate

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def france_six(editor):
    """France on commitment 6: planned in 2019, in progress from mid-2021."""
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=6)
    for status, on in ((Status.PLANNED, D(2019, 6, 1)), (Status.IN_PROGRESS, D(2021, 6, 1))):
        services.implementation_set_status(
            implementation=implementation, status=status, actor=editor, comment="c", effective_date=on
        )
    return implementation


def row_of(rows, number):
    return next(row for row in rows if row["commitment"].number == number)


def test_dashboard_counts_statuses_as_of_a_date(client, france_six):
    then = client.get(reverse("recommendations:dashboard") + "?as_of=2020-01-01")
    now = client.get(reverse("recommendations:dashboard"))
    assert row_of(then.context["rows"], 6)["counts"][Status.PLANNED] == 1
    assert row_of(then.context["rows"], 6)["counts"][Status.IN_PROGRESS] == 0
    assert row_of(now.context["rows"], 6)["counts"][Status.IN_PROGRESS] == 1
    assert "Statuses as they stood on" in then.content.decode()


def test_dashboard_latest_changes_stop_at_the_date(client, france_six):
    response = client.get(reverse("recommendations:dashboard") + "?as_of=2020-01-01")
    assert [u.status for u in response.context["changes"]] == [Status.PLANNED]


def test_commitment_page_shows_each_state_and_the_map_as_of_a_date(client, france_six):
    url = reverse("recommendations:commitment-detail", args=[6])
    response = client.get(url, {"as_of": "2020-01-01", "regional_group": "weog"})
    france = next(i for i in response.context["implementations"] if i.state.iso2 == "FR")
    assert france.status == Status.PLANNED
    assert response.context["colours"]["FR"] == Status.PLANNED


def test_commitment_page_as_of_a_date_offers_no_filter_on_todays_status(client, france_six):
    url = reverse("recommendations:commitment-detail", args=[6]) + "?as_of=2020-01-01&status=in_progress"
    response = client.get(url)
    names = [field.name for field in response.context["filter_fields"]]
    assert "status" not in names and "regional_group" in names
    # Every state, those with no information then collapsed under the table (issue 19).
    assert response.context["implementations"].paginator.count + len(response.context["nothing_known"]) == (
        Implementation.objects.filter(commitment__number=6).count()
    )


def test_commitment_download_as_of_a_date_holds_the_statuses_of_that_date(client, france_six):
    url = reverse("recommendations:commitment-detail", args=[6]) + "?as_of=2020-01-01&format=csv"
    lines = client.get(url).content.decode("utf-8-sig").splitlines()
    assert any(line.startswith("6,FR,France,weog,planned,") for line in lines)


def test_state_page_shows_its_commitments_as_of_a_date(client, france_six):
    response = client.get(reverse("recommendations:state-detail", args=["FR"]) + "?as_of=2021-12-31")
    six = next(i for i in response.context["commitments"] if i.commitment.number == 6)
    assert six.status == Status.IN_PROGRESS
    before = client.get(reverse("recommendations:state-detail", args=["FR"]) + "?as_of=2019-01-01")
    assert next(i for i in before.context["commitments"] if i.commitment.number == 6).status == Status.NO_INFORMATION


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/12/2020", "That is not a valid date"),
        ("2020-02-30", "That is not a valid date"),
        ("2999-01-01", "The date is in the future"),
    ],
)
def test_a_bad_date_says_so_and_shows_todays_statuses(client, france_six, value, message):
    response = client.get(reverse("recommendations:state-detail", args=["FR"]) + f"?as_of={value}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["as_of"] is None
    assert next(i for i in response.context["commitments"] if i.commitment.number == 6).status == Status.IN_PROGRESS


def test_the_date_field_is_labelled(client):
    html = client.get(reverse("recommendations:dashboard")).content.decode()
    assert '<label for="id_as_of">Show statuses as of</label>' in html
    assert 'type="date" name="as_of" id="id_as_of"' in html


def test_progress_over_time_is_by_cycle_when_cycles_exist(client, france_six):
    ReviewCycle.objects.create(
        slug="c1", name="Cycle one", kind=CycleKind.BASELINE, opens_on=D(2019, 1, 1), closes_on=D(2019, 12, 31)
    )
    ReviewCycle.objects.create(
        slug="c2", name="Cycle two", kind=CycleKind.REGIONAL_REVIEW, opens_on=D(2020, 1, 1), closes_on=D(2021, 12, 31)
    )
    timeline = client.get(reverse("recommendations:commitment-detail", args=[6])).context["timeline"]
    assert timeline["by"] == "cycle"
    assert timeline["series"]["periods"] == ["Cycle one", "Cycle two", "Today"]
    assert [c.get(Status.PLANNED, 0) for c in timeline["series"]["counts"]] == [1, 0, 0]
    assert [c.get(Status.IN_PROGRESS, 0) for c in timeline["series"]["counts"]] == [0, 1, 1]
    state = client.get(reverse("recommendations:state-detail", args=["FR"])).context["timeline"]
    assert sum(state["series"]["counts"][0].values()) == 10  # the ten commitments


def test_progress_over_time_is_by_month_without_cycles(client, france_six):
    timeline = client.get(reverse("recommendations:commitment-detail", args=[6])).context["timeline"]
    assert timeline["by"] == "month"
    assert len(timeline["series"]["periods"]) == 24


# --- Query counts stay flat as the history grows -------------------------------------------------

PAGES = [
    reverse("recommendations:dashboard") + "?as_of=2021-06-30",
    reverse("recommendations:dashboard") + "?as_of=2021-06-30&track=assessed",
    reverse("recommendations:commitment-detail", args=[6]) + "?as_of=2021-06-30",
    reverse("recommendations:commitment-detail", args=[6]) + "?as_of=2021-06-30&sort=-status&format=csv",
    reverse("recommendations:state-detail", args=["FR"]) + "?as_of=2021-06-30",
    reverse("recommendations:commitment-list") + "?as_of=2021-06-30&format=csv",
]


def bulk_history(size: int) -> None:
    implementations = list(
        Implementation.objects.filter(commitment__isnull=False)
        .order_by(Case(When(state__iso2="FR", then=0), default=1), "pk")
        .values_list("pk", "state_id")
    )
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            implementation_id=implementations[n % len(implementations)][0],
            state_id=implementations[n % len(implementations)][1],
            track=(Track.REPORTED, Track.ASSESSED)[n % 2],
            status=(Status.PLANNED, Status.IN_PROGRESS, Status.IMPLEMENTED)[n % 3],
            previous_status=Status.NO_INFORMATION,
            effective_date=D(2019, 1, 1) + datetime.timedelta(days=(n * 131) % 1300),
            comment="bulk",
        )
        for n in range(size)
    )


def test_as_of_pages_issue_the_same_queries_with_10_and_10000_status_updates(client, settings):
    settings.CACHE_SECONDS = 0
    ReviewCycle.objects.create(
        slug="c1", name="Cycle one", kind=CycleKind.BASELINE, opens_on=D(2019, 1, 1), closes_on=D(2019, 12, 31)
    )
    counts = []
    for size in (10, 10_000 - 10):
        bulk_history(size)
        measured = {}
        for url in PAGES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            measured[url] = len(queries)
        counts.append(measured)
    assert StatusUpdate.objects.count() == 10_000
    assert counts[0] == counts[1]
    # the commitment page: 3 paginated lists, and its stakeholder reports (issue 20)
    assert max(counts[1].values()) <= 15, counts[1]
