"""Review cycles: what each cycle reports is derived from the history at its close, compared with
the cycle before (or any earlier one), per commitment and per state, with the public evidence."""

import datetime

import pytest
from django.db.models import Case, When
from django.urls import reverse

from recommendations import services
from recommendations.choices import CycleKind, Status, Track
from recommendations.models import Implementation, ReviewCycle, StatusUpdate
from recommendations.review import asof
from recommendations.review.timeline import status_series
from tests.factories import EvidenceFactory
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

D = datetime.date


def set_status(implementation, status, actor, on, *, track=Track.REPORTED, evidence=(), rationale="Reported."):
    return services.implementation_set_status(
        implementation=implementation,
        status=status,
        actor=actor,
        comment="STAFF-ONLY COMMENT",
        rationale=rationale,
        track=track,
        effective_date=on,
        evidence=evidence,
    )


def published(implementation, editor, title):
    evidence = EvidenceFactory(implementation=implementation, title=title)
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    return evidence


@pytest.fixture
def cycles(db):
    return [
        ReviewCycle.objects.create(
            slug="t-baseline",
            name="T baseline",
            kind=CycleKind.BASELINE,
            opens_on=D(2019, 1, 1),
            closes_on=D(2019, 12, 31),
        ),
        ReviewCycle.objects.create(
            slug="t-regional",
            name="T regional",
            kind=CycleKind.REGIONAL_REVIEW,
            opens_on=D(2020, 1, 1),
            closes_on=D(2021, 12, 31),
        ),
        ReviewCycle.objects.create(
            slug="t-forum",
            name="T forum",
            kind=CycleKind.REVIEW_FORUM,
            opens_on=D(2022, 1, 1),
            closes_on=D(2022, 5, 20),
        ),
    ]


@pytest.fixture
def history(cycles, editor):
    """On commitment 6, France climbs from planned to partially implemented on published evidence,
    Kenya falls back from in progress to not started, and Brazil stays planned."""
    france, kenya, brazil = (
        Implementation.objects.get(state__iso2=code, commitment__number=6) for code in ("FR", "KE", "BR")
    )
    law = published(france, editor, "Law on equal access to services")
    EvidenceFactory(implementation=france, title="Unpublished draft note")
    set_status(france, Status.PLANNED, editor, D(2019, 6, 1))
    set_status(
        france,
        Status.PARTIALLY_IMPLEMENTED,
        editor,
        D(2021, 3, 1),
        evidence=[law],
        rationale="The law is in force in half of the regions.",
    )
    set_status(kenya, Status.IN_PROGRESS, editor, D(2019, 6, 1))
    set_status(kenya, Status.NOT_STARTED, editor, D(2021, 6, 1), rationale="The programme was suspended.")
    set_status(brazil, Status.PLANNED, editor, D(2019, 6, 1))
    return france, kenya, brazil


def test_progress_over_time_agrees_with_the_status_as_of_each_date(history, editor):
    france, kenya, brazil = history
    set_status(kenya, Status.PLANNED, editor, D(2021, 6, 1))  # a correction the same day: the later one counts
    set_status(brazil, Status.IN_PROGRESS, editor, D(2019, 6, 1), track=Track.ASSESSED)
    implementations = Implementation.objects.filter(commitment__number=6)
    dates = [D(2019, 1, 1), D(2019, 6, 1), D(2020, 12, 31), D(2021, 6, 1), D(2021, 6, 1), D(2030, 1, 1)]

    for track in Track:
        series = status_series(implementations, dates, [str(d) for d in dates], track=track)
        assert series["counts"] == [dict(asof.status_counts_as_of(implementations, d, track=track)) for d in dates]
    reported = status_series(implementations, dates, [str(d) for d in dates])["counts"]
    assert reported[1][Status.IN_PROGRESS] == reported[2][Status.IN_PROGRESS] == 1  # Kenya until 2021
    assert Status.IN_PROGRESS not in reported[3] and Status.NOT_STARTED not in reported[3]


def test_progress_over_time_is_one_query_whatever_the_number_of_dates(history, django_assert_num_queries):
    dates = asof.month_ends(D(2019, 1, 1), D(2022, 12, 31))
    with django_assert_num_queries(1):
        status_series(Implementation.objects.filter(commitment__number=6), dates, [str(d) for d in dates])


def test_cycle_list_names_each_cycle_with_its_window(client, cycles):
    response = client.get(reverse("cycles:cycle-list"))
    assert response.status_code == 200
    for cycle in cycles:
        assert cycle.name in response.content.decode()
        assert cycle.get_absolute_url() in response.content.decode()


def test_cycle_counts_per_commitment_who_moved_up_down_or_stayed_since_the_previous_cycle(client, history):
    response = client.get(reverse("cycles:cycle-detail", args=["t-regional"]))
    assert response.context["since"].slug == "t-baseline"
    six = next(row for row in response.context["rows"] if row["commitment"].number == 6)
    assert six["moves"]["up"] == 1
    assert six["moves"]["down"] == 1
    assert six["moves"]["same"] == Implementation.objects.filter(commitment__number=6).count() - 2


def test_cycle_page_for_one_commitment_lists_the_states_that_moved_with_their_evidence(client, history):
    url = reverse("cycles:cycle-detail", args=["t-regional"]) + "?commitment=6"
    response = client.get(url)
    moved = {c.implementation.state.iso2: (c.before, c.after, c.direction) for c in response.context["changes"]}
    assert moved == {
        "FR": (Status.PLANNED, Status.PARTIALLY_IMPLEMENTED, "up"),
        "KE": (Status.IN_PROGRESS, Status.NOT_STARTED, "down"),
    }
    html = response.content.decode()
    assert "Law on equal access to services" in html
    assert "The law is in force in half of the regions." in html
    assert "Unpublished draft note" not in html
    assert "STAFF-ONLY COMMENT" not in html


def test_the_first_cycle_compares_with_the_day_before_it_opened(client, history):
    response = client.get(reverse("cycles:cycle-detail", args=["t-baseline"]))
    assert response.context["since"] is None
    assert response.context["start"] == D(2018, 12, 31)
    six = next(row for row in response.context["rows"] if row["commitment"].number == 6)
    assert six["moves"]["up"] == 3  # no information -> planned, in progress, planned


def test_a_cycle_can_be_compared_with_any_earlier_cycle(client, history):
    url = reverse("cycles:cycle-detail", args=["t-forum"]) + "?since=t-baseline&commitment=6"
    response = client.get(url)
    assert response.context["since"].slug == "t-baseline"
    assert {c.implementation.state.iso2 for c in response.context["changes"]} == {"FR", "KE"}


def test_a_later_cycle_cannot_be_the_baseline_of_a_comparison(client, history):
    url = reverse("cycles:cycle-detail", args=["t-regional"]) + "?since=t-forum"
    assert client.get(url).context["since"].slug == "t-baseline"


def test_cycle_changes_download_as_csv_without_staff_comments(client, history):
    url = reverse("cycles:cycle-detail", args=["t-regional"]) + "?commitment=6&format=csv"
    body = client.get(url).content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("state_iso2,state,item,before,after,direction")
    assert any(line.startswith("FR,France,6,planned,partially_implemented,up") for line in lines)
    assert "Law on equal access to services" in body
    assert "STAFF-ONLY COMMENT" not in body and "Unpublished draft note" not in body


def test_state_report_shows_both_tracks_at_the_cycle_close_and_what_moved_them(client, history, editor):
    france = history[0]
    set_status(france, Status.IN_PROGRESS, editor, D(2021, 7, 1), track=Track.ASSESSED, rationale="Assessed.")
    response = client.get(reverse("cycles:state-report", args=["t-regional", "fr"]))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["implementation"].pk == france.pk)
    assert (row["reported"].before, row["reported"].after, row["reported"].direction) == (
        Status.PLANNED,
        Status.PARTIALLY_IMPLEMENTED,
        "up",
    )
    assert row["assessed"].after == Status.IN_PROGRESS
    assert [u.status for u in row["updates"]] == [Status.PARTIALLY_IMPLEMENTED, Status.IN_PROGRESS]
    html = response.content.decode()
    assert "Law on equal access to services" in html and "STAFF-ONLY COMMENT" not in html
    assert 'media="print"' in html  # the print stylesheet


def test_state_report_downloads_as_csv(client, history):
    response = client.get(reverse("cycles:state-report", args=["t-regional", "FR"]) + "?format=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="FR-t-regional-follow-up')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("item,reported_before,reported_at_close,reported_direction")
    assert len(lines) == 1 + Implementation.objects.filter(state__iso2="FR").count()


@pytest.mark.parametrize(
    "url",
    [
        reverse("cycles:cycle-detail", args=["nope"]),
        reverse("cycles:state-report", args=["t-baseline", "QQ"]),
        reverse("cycles:state-report", args=["nope", "FR"]),
    ],
)
def test_unknown_cycle_or_state_is_not_found(client, cycles, url):
    assert client.get(url).status_code == 404


def test_review_cycle_links_to_its_page(cycles):
    assert cycles[0].get_absolute_url() == "/cycles/t-baseline/"


# --- Query counts stay flat as the history grows -------------------------------------------------


def bulk_history(size: int) -> None:
    """`size` reported updates spread over the commitment grid and the three cycles, bulk-created:
    only their number matters here (the service is exercised above)."""
    # France first, so that its report changes too.
    implementations = list(
        Implementation.objects.filter(commitment__isnull=False)
        .order_by(Case(When(state__iso2="FR", then=0), default=1), "pk")
        .values_list("pk", "state_id")
    )
    ladder = [Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED]
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            implementation_id=implementations[n % len(implementations)][0],
            state_id=implementations[n % len(implementations)][1],
            track=Track.REPORTED,
            status=ladder[(n // len(implementations)) % len(ladder)],
            previous_status=Status.NO_INFORMATION,
            effective_date=D(2019, 1, 1) + datetime.timedelta(days=(n * 131) % 1300),
            comment="bulk",
        )
        for n in range(size)
    )


# The cycle pages and the state report also read the cycle's reporting rounds (one query with none;
# tests/test_round_public.py counts them with a round).
QUERY_CEILINGS = {
    reverse("cycles:cycle-list"): 2,
    reverse("cycles:cycle-detail", args=["t-regional"]): 6,
    reverse("cycles:cycle-detail", args=["t-regional"]) + "?commitment=6&since=t-baseline": 7,
    reverse("cycles:cycle-detail", args=["t-forum"]) + "?format=csv": 5,
    reverse("cycles:state-report", args=["t-regional", "FR"]): 10,
    reverse("cycles:state-report", args=["t-regional", "FR"]) + "?format=csv": 9,
}


def test_cycle_pages_issue_the_same_queries_with_10_and_10000_status_updates(client, cycles, settings):
    settings.CACHE_SECONDS = 0
    bulk_history(10)
    small = count_queries(client, QUERY_CEILINGS)
    bulk_history(10_000 - 10)
    assert StatusUpdate.objects.count() == 10_000
    large = count_queries(client, QUERY_CEILINGS)
    assert small == large
    assert not [url for url, ceiling in QUERY_CEILINGS.items() if large[url] > ceiling], large
