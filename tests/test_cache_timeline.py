"""Progress over time on the state and commitment pages (issue 18: 2): the counts at the past
periods' dates kept in the cache under the `timeline` facet of the page's scope, today's column
counted from the current statuses. A status change of today leaves the past in the cache; one
dated before today shows in the past periods on the next request. Either way the section reads as
the page without the cache gives it."""

import datetime
import re

import pytest
from django.utils import timezone

from gcmtracker import scopes
from recommendations import services
from recommendations.choices import Status, Track
from recommendations.models import Implementation
from recommendations.review import timeline as timeline_module

PAGES = ["/states/FR/", "/fr/commitments/1/", "/ar/commitments/1/?track=assessed"]


@pytest.fixture
def replays(monkeypatch) -> list:
    """The dates of each replay of the history (`status_series`) a render asks for."""
    asked = []
    real = timeline_module.status_series

    def counting(queryset, dates, labels, **kwargs):
        asked.append(list(dates))
        return real(queryset, dates, labels, **kwargs)

    monkeypatch.setattr(timeline_module, "status_series", counting)
    return asked


def progress(html: str) -> str:
    """The page's progress-over-time section, without the chart's per-render id."""
    found = re.search(r'<section aria-labelledby="progress-heading">.*?</section>', html, re.S)
    assert found
    return re.sub(r"timeline-\d+", "timeline-N", found[0])


def miss(client, url: str, n) -> str:
    response = client.get(url, HTTP_ACCEPT=f"text/html, x-test/{n};q=0.1")
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    return response.content.decode()


def uncached(client, url: str, settings) -> str:
    """The page as it is read with the cache off: every period replayed from the history."""
    settings.CACHE_SECONDS = 0
    try:
        return client.get(url).content.decode()
    finally:
        settings.CACHE_SECONDS = 300


def set_status(editor, django_capture_on_commit_callbacks, *, track=Track.REPORTED, **kwargs):
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france, status=Status.IN_PROGRESS, actor=editor, comment="Drafted.", track=track, **kwargs
        )
    scopes.forget_pending()


@pytest.mark.parametrize("url", PAGES)
def test_a_status_change_of_today_counts_today_again_and_keeps_the_past(
    client, public_cache, editor, replays, settings, url, django_capture_on_commit_callbacks
):
    before = miss(client, url, 1)
    assert len(replays) == 1 and len(replays[0]) == 23  # the 23 month ends before this month's
    set_status(editor, django_capture_on_commit_callbacks, track=Track.ASSESSED if "assessed" in url else "reported")

    after = miss(client, url, 2)

    assert len(replays) == 1  # the past periods from the cache
    assert progress(after) != progress(before)  # today's column moved
    assert progress(after) == progress(uncached(client, url, settings))


@pytest.mark.parametrize("url", PAGES)
def test_a_status_change_dated_before_today_shows_in_the_past_periods(
    client, public_cache, editor, replays, settings, url, django_capture_on_commit_callbacks
):
    miss(client, url, 1)
    end_of_last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    set_status(
        editor,
        django_capture_on_commit_callbacks,
        track=Track.ASSESSED if "assessed" in url else "reported",
        effective_date=end_of_last_month,
    )

    after = miss(client, url, 2)

    assert len(replays) == 2  # the past read again
    last_month = re.findall(r"<tr><th scope=\"row\">[^<]*</th>(.*?)</tr>", progress(after))[-2]
    assert '<td class="num">1</td>' in last_month  # one item in progress at the end of last month
    assert progress(after) == progress(uncached(client, url, settings))


def test_only_a_change_dated_before_today_declares_the_timeline():
    from types import SimpleNamespace

    from recommendations.services.scopes import status_scopes

    item = SimpleNamespace(
        state=SimpleNamespace(iso2="FR"), commitment_id=1, commitment=SimpleNamespace(number=1), recommendation_id=None
    )
    today = timezone.localdate()
    assert "state:FR#timeline" not in status_scopes(item, today)
    assert not any(scope.endswith("#timeline") for scope in status_scopes(item))
    assert {"state:FR#timeline", "commitment:1#timeline"} <= set(status_scopes(item, today - datetime.timedelta(1)))


@pytest.mark.parametrize(
    ("url", "table"), [("/commitments/1/", "recommendations_commitment"), ("/states/FR/", "recommendations_state")]
)
def test_the_pages_commitment_or_state_is_read_once_until_the_reference_data_changes(
    client, public_cache, editor, administrator, url, table, django_capture_on_commit_callbacks
):
    """The commitment (with its document and indicators) and the state are reference data, kept
    under the reference version (`gcmtracker.cache.reference`): a status write renders the page
    again without reading them; an edit of the reference data shows on the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.models import Commitment, State

    def render(n) -> tuple[str, int]:
        """The page, and how many of its queries read the table first (`SELECT ... FROM table`)."""
        with CaptureQueriesContext(connection) as queries:
            html = miss(client, url, n)
        first_from = re.compile(rf'^SELECT (?:(?!\bFROM\b).)*? FROM "{table}"(?: |$)')
        return html, sum(1 for query in queries.captured_queries if first_from.match(query["sql"]))

    assert render(1)[1] >= 1
    set_status(editor, django_capture_on_commit_callbacks)
    assert render(2)[1] == 0
    if table == "recommendations_state":
        record, field, value = State.objects.get(iso2="FR"), "subregion", "Western Europe (edited)"
    else:
        record, field, value = Commitment.objects.get(number=1), "short_title", "An edited short title"
    setattr(record, field, value)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_save(actor=administrator, instance=record)
    edited, reads = render(3)
    assert reads >= 1 and value in edited


def test_the_charts_short_period_labels_are_those_of_the_language_asked_for():
    from django.utils import translation

    from recommendations.review.timeline import chart_series

    dates = [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)]
    series = {"periods": ["", ""], "counts": [{}, {}]}
    labels = {}
    for language in ("en", "fr", "en"):
        with translation.override(language):
            labels.setdefault(language, []).append(chart_series(series, dates)["periods"])
    assert labels["en"] == [["Jan 2026", "Feb 2026"]] * 2
    assert labels["fr"][0][1].lower().startswith("f") and labels["fr"][0] != labels["en"][0]


@pytest.mark.parametrize("url", ["/states/FR/", "/commitments/1/"])
def test_the_review_cycles_are_read_once_until_one_is_added(
    client, public_cache, editor, administrator, url, django_capture_on_commit_callbacks
):
    """The cycles a timeline is drawn by are reference data, kept under the reference version: a
    status write renders the timeline again without reading them; a new cycle shows on the next
    request, the timeline then drawn by cycle."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.choices import CycleKind
    from recommendations.models import ReviewCycle

    def render(n) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = miss(client, url, n)
        cycles = [query for query in queries.captured_queries if 'FROM "recommendations_reviewcycle"' in query["sql"]]
        return html, len(cycles)

    assert render(1)[1] == 1
    set_status(editor, django_capture_on_commit_callbacks)
    assert render(2)[1] == 0
    cycle = ReviewCycle(
        slug="t-forum",
        name="A forum of the test",
        kind=CycleKind.REVIEW_FORUM,
        opens_on=datetime.date(2022, 1, 1),
        closes_on=datetime.date(2022, 5, 20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_save(actor=administrator, instance=cycle)
    html, reads = render(3)
    assert reads == 1 and "A forum of the test" in progress(html)
