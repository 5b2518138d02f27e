"""Fragments of public pages kept under their own scopes (gcmtracker/cache.py: `fragments`): the
rows of the implementation tables, each under its state's scope (issue 18: 2).

A write in France retires France's row and leaves the other states' rows in the cache, on a page
that is itself rendered again; a write not yet committed is rendered, not served from the cache;
pages with the cache off, staff pages and "as of" pages render every row.
"""

import re
import sys

import pytest
from django.core.cache import cache

from gcmtracker import cache as page_cache
from gcmtracker import scopes
from gcmtracker.remembered import Remembered
from recommendations import services
from recommendations.choices import Status
from recommendations.models import CommitmentAction, Implementation
from tests import cache_backends
from tests.factories import EvidenceFactory

ROW = re.compile(r'<tr(?: class="disagrees")?>\s*<th scope="row"><a href="/states/(?P<iso2>[A-Z]{2})/">.*?</tr>', re.S)


@pytest.fixture(params=cache_backends.WITHOUT_QUERIES)
def shared_cache(request, db):
    switched = cache_backends.use(request.param)
    yield cache
    switched.disable()


@pytest.fixture
def known(db, editor, django_capture_on_commit_callbacks):
    """Four states with a status on commitment 1 (the table lists the states with information)."""
    with django_capture_on_commit_callbacks(execute=True):
        for iso2 in ("DE", "FR", "KE", "MX"):
            implementation = Implementation.objects.select_related("state", "commitment").get(
                state__iso2=iso2, commitment__number=1
            )
            services.implementation_set_status(
                implementation=implementation, status=Status.PLANNED, actor=editor, comment="Planned."
            )


def rows(response) -> dict[str, str]:
    return {match["iso2"]: match[0] for match in ROW.finditer(response.content.decode())}


def fragment_reads(monkeypatch, reference=False) -> list:
    """(fragments asked, fragments found) at each read of fragments from the cache: of the rows'
    fragments, or with `reference` of the reference parts' (`{% reference_part %}`)."""
    found = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get_many(self, keys, *args, **kwargs):
            keys = list(keys)
            result = cache.get_many(keys, *args, **kwargs)
            # who asked: the rows' read (from tables._by_state) or the reference parts'
            frames = [sys._getframe(depth) for depth in range(1, 6)]
            callers = {frame.f_code for frame in frames}
            if reference:  # a page's own reference parts, not the site header every page has
                counted = any(
                    frame.f_code.co_filename.endswith("reference.py")
                    and frame.f_locals.get("part") != "reference:header"
                    for frame in frames
                )
            else:
                counted = any(code.co_name == "_by_state" for code in callers)
            if keys and counted:
                found.append((len(keys), len(result)))
            return result

    monkeypatch.setattr(page_cache, "cache", Spy())
    # Every read reaches the shared cache: what this process remembers (gcmtracker.remembered,
    # tested in tests/test_remembered.py) would answer some of them before it.
    monkeypatch.setattr(Remembered, "in_use", staticmethod(lambda: False))
    return found


def miss(client, url, n):
    """The page rendered again (another Accept header is another page in the page cache)."""
    response = client.get(url, HTTP_ACCEPT=f"text/html, x-test/{n};q=0.1")
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    return response


def test_a_write_in_one_state_renders_that_states_row_again_and_keeps_the_others(
    client, shared_cache, known, editor, monkeypatch, django_capture_on_commit_callbacks
):
    found = fragment_reads(monkeypatch)
    first = miss(client, "/commitments/1/", 1)
    again = miss(client, "/commitments/1/", 2)
    assert sorted(rows(first)) == ["DE", "FR", "KE", "MX"]
    assert rows(again) == rows(first)
    assert found[:2] == [(4, 0), (4, 4)]  # all rendered, then all kept
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france, status=Status.IN_PROGRESS, actor=editor, comment="A law is drafted."
        )

    after = miss(client, "/commitments/1/", 3)
    assert found[2] == (4, 3)  # France's row only is rendered again
    before_rows, after_rows = rows(first), rows(after)
    assert "status-in_progress" in after_rows["FR"]
    assert after_rows["FR"] != before_rows.get("FR")
    assert {k: v for k, v in after_rows.items() if k != "FR"} == {k: v for k, v in before_rows.items() if k != "FR"}


def test_a_write_not_yet_committed_is_rendered_not_served_from_the_cache(client, shared_cache, editor):
    miss(client, "/states/FR/", 1)
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=2)
    # The test's transaction never commits: France's scope stays pending in this thread.
    services.implementation_set_status(implementation=france, status=Status.PLANNED, actor=editor, comment="Planned.")
    assert scopes.state("FR") in scopes.pending()
    page = client.get("/states/FR/", HTTP_ACCEPT="text/html, x-test/2;q=0.1")
    assert page.get("X-Cache") is None  # neither served nor kept
    assert "status-planned" in rows_of_items(page)["2"]


def rows_of_items(response) -> dict[str, str]:
    items = re.compile(r'<tr(?: class="disagrees")?>\s*<th scope="row"><a href="/commitments/(\d+)/">.*?</tr>', re.S)
    return {match[1]: match[0] for match in items.finditer(response.content.decode())}


def test_with_the_cache_off_and_as_of_a_date_every_row_is_rendered(client, known, monkeypatch, settings):
    found = fragment_reads(monkeypatch)
    settings.CACHE_SECONDS = 0
    assert rows(client.get("/commitments/1/"))
    settings.CACHE_SECONDS = 300
    assert client.get("/commitments/1/?as_of=2020-01-01").status_code == 200
    assert found == []


def test_the_rows_cost_one_read_of_the_cache_a_table_whatever_their_number(client, shared_cache, known, monkeypatch):
    found = fragment_reads(monkeypatch)
    miss(client, "/commitments/1/", 1)
    miss(client, "/states/FR/", 2)
    miss(client, "/commitments/2/", 3)
    # The commitment page's table (the 4 states with information), the state page's commitments
    # (10; its recommendations are a table only when it tracks some), an empty table (no read).
    assert found == [(4, 0), (10, 0)]


def test_the_evidence_of_a_commitment_is_kept_by_state_too(
    client, shared_cache, known, editor, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for iso2 in ("FR", "KE"):
            implementation = Implementation.objects.get(state__iso2=iso2, commitment__number=1)
            services.evidence_verify(
                evidence=EvidenceFactory(implementation=implementation, title=f"Law of {iso2}"),
                actor=editor,
                publish=True,
            )
    found = fragment_reads(monkeypatch)
    first = miss(client, "/commitments/1/", 1)
    assert "Law of FR" in first.content.decode() and "Law of KE" in first.content.decode()
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_unpublish(evidence=france.evidence.get(), actor=editor)
    after = miss(client, "/commitments/1/", 2).content.decode()
    assert "Law of FR" not in after and "Law of KE" in after
    # Rows (4), then evidence (2) on each render; after the write, Kenya's item comes from the cache.
    assert found == [(4, 0), (2, 0), (4, 3), (1, 1)]


def test_the_dashboards_latest_changes_are_kept_by_state(
    client, shared_cache, known, editor, monkeypatch, django_capture_on_commit_callbacks
):
    found = fragment_reads(monkeypatch)
    first = miss(client, "/", 1).content.decode()
    assert first.count('class="change-head"') == 4
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france, status=Status.NOT_STARTED, actor=editor, comment="Not started after all."
        )
    after = miss(client, "/", 2).content.decode()
    assert after.count('class="change-head"') == 5
    assert "status-not_started" in after
    # France's two changes are rendered again (its scope moved), the other three come from the cache.
    assert found == [(4, 0), (5, 3)]


def test_the_state_lists_rows_are_built_every_time(
    client, shared_cache, known, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """195 rows cost less to build than to fetch: they are not kept as fragments, and a write shows."""
    found = fragment_reads(monkeypatch)
    first = miss(client, "/states/", 1).content.decode()
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france, status=Status.PLANNED, actor=editor, comment="Planned too."
        )
    after = miss(client, "/states/", 2).content.decode()
    # The table lists the four states with information, France now with two commitments reported.
    assert found == []
    row = re.compile(r'<a href="/states/FR/">France</a></th>\s*<td>[^<]*</td>\s*<td class="num">(\d+)</td>')
    assert row.search(first)[1] == "1" and row.search(after)[1] == "2"


def test_a_commitments_reference_parts_are_kept_through_status_writes_and_retired_by_a_reference_write(
    client, shared_cache, known, editor, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    """The commitment page's text, actions and themes, its related recommendations and its filter
    form are kept under the reference scope (`{% reference_part %}`): a status write renders the
    page again but reads the three parts from the cache; an edit of one of its actions shows on the
    next request."""
    found = fragment_reads(monkeypatch, reference=True)
    first = miss(client, "/commitments/1/", 1).content.decode()
    assert found == [(1, 0)] * 3
    france = Implementation.objects.select_related("state", "commitment").get(state__iso2="FR", commitment__number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.implementation_set_status(
            implementation=france, status=Status.IN_PROGRESS, actor=editor, comment="A law is drafted."
        )
    after_status = miss(client, "/commitments/1/", 2).content.decode()
    assert found[3:] == [(1, 1)] * 3  # the three parts from the cache
    assert (
        after_status.split('<section aria-labelledby="states-heading">')[0]
        == first.split('<section aria-labelledby="states-heading">')[0]
    )
    action = CommitmentAction.objects.filter(commitment__number=1).order_by("number").first()
    action.text = "A new wording of the first action."
    with django_capture_on_commit_callbacks(execute=True):
        services.record_save(actor=administrator, instance=action)
    after_edit = miss(client, "/commitments/1/", 3).content.decode()
    assert found[6:] == [(1, 0)] * 3  # the reference version moved: all rendered again
    assert "A new wording of the first action." in after_edit and "A new wording" not in first
    fr = client.get("/fr/commitments/1/", HTTP_ACCEPT="text/html, x-test/4;q=0.1").content.decode()
    assert "A new wording of the first action." in fr and found[9:] == [(1, 0)] * 3  # per language
