"""The cached pages of reporting rounds (issue 20, item 3): a round's pages show the aggregates
(gcmtracker/cache.py), which every write that changes them touches, so a status update, a
"no change, confirmed" and a close each show on the next request of the cached page (the close on
the cycle's page and its state reports too), and an unapproved stakeholder report never reaches
the cached page or its download."""

import pytest
from django.test import Client
from django.urls import reverse

from gcmtracker import scopes
from recommendations import services
from tests import cache_backends
from tests.test_round_public import (
    URL,
    a_cycle,
    a_focal_point,
    item,
    open_round,
    report,
    row_of,
    submitted,
    the_spring_round,
)

pytestmark = pytest.mark.django_db


# The same round as tests/test_round_public.py's (its arrangements, as fixtures here).
cycle = pytest.fixture(a_cycle, name="cycle")
focal_point = pytest.fixture(a_focal_point, name="focal_point")
spring = pytest.fixture(the_spring_round, name="spring")


@pytest.fixture
def public_cache(db):
    switched = cache_backends.use(cache_backends.LOCAL_MEMORY)
    yield
    switched.disable()


def cached_then_fresh(reader, urls, write, capture):
    """Cache `urls`, make `write` commit, and return each page as the next request reads it."""
    scopes.forget_pending()
    before = {url: reader.get(url).content for url in urls}
    assert all(reader.get(url)["X-Cache"] == "hit" for url in urls)
    with capture(execute=True):
        write()
    scopes.forget_pending()  # read the committed write as any other connection does
    after = {}
    for url in urls:
        response = reader.get(url)
        assert response["X-Cache"] == "miss", url
        assert response.content != before[url], f"{url} does not show the write"
        after[url] = response.content.decode()
    return after


ROUND_SURFACES = [URL, "/ar" + URL, URL + "?format=csv", "/rounds/"]


def test_a_status_update_shows_on_the_next_request_of_the_cached_round_pages(
    public_cache, spring, focal_point, django_capture_on_commit_callbacks
):
    after = cached_then_fresh(
        Client(), ROUND_SURFACES, lambda: report(focal_point, "KE", 2), django_capture_on_commit_callbacks
    )
    assert "2 of 2" in row_of(after[URL], "Kenya") and "2 of 4" in after["/rounds/"]


def test_a_confirmation_shows_on_the_next_request_of_the_cached_round_pages(
    public_cache, spring, focal_point, django_capture_on_commit_callbacks
):
    def confirm():
        services.round_confirm_unchanged(actor=focal_point, round=spring, implementations=[item("KE", 2)])

    after = cached_then_fresh(Client(), ROUND_SURFACES, confirm, django_capture_on_commit_callbacks)
    assert "2 of 2" in row_of(after[URL], "Kenya")


def test_a_close_shows_on_the_next_request_of_the_cached_round_cycle_and_state_pages(
    public_cache, spring, editor, django_capture_on_commit_callbacks
):
    def close():
        services.round_close(actor=editor, round=spring, version=spring.version)

    urls = [URL, "/rounds/", reverse("cycles:cycle-detail", args=["t-review"]), "/cycles/t-review/states/BR/"]
    after = cached_then_fresh(Client(), urls, close, django_capture_on_commit_callbacks)
    assert "Closed on" in after[URL] and "Each state's result at the close" in after[urls[2]]
    assert "the result at the close" in after[urls[3]]


def test_an_unapproved_report_never_reaches_the_cached_round_page(
    public_cache, editor, cycle, contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_round(editor, cycle, invite_stakeholders=True)
    reader = Client()
    scopes.forget_pending()
    assert "Observatory" not in reader.get(URL).text
    with django_capture_on_commit_callbacks(execute=True):
        waiting = submitted(contributor, narrative="Unpublished finding.")
    scopes.forget_pending()
    for url in (URL, URL + "?format=json"):
        assert "Observatory" not in reader.get(url).text
        assert "Observatory" not in reader.get(url).text  # the cached copy too
    with django_capture_on_commit_callbacks(execute=True):
        services.report_moderate(actor=editor, report=waiting, decision="approve")
    scopes.forget_pending()
    assert "Observatory" in reader.get(URL).text  # and once approved, the next request shows it
