"""The history entries and implementation rows of the state and commitment pages, read only where
the cache misses them (issue 18: 2): a history entry is kept under its state's `history` facet, a
table row under its state's `rows` facet and its version (`gcmtracker.cache.RowsByKey`); and the
commitment page's filter form under the reference scope. Set-up and helpers: test_cache_parts.py.
"""

import re

from recommendations import services
from recommendations.choices import Status
from recommendations.models import Evidence, Implementation
from tests.test_cache_parts import LANGUAGES, france, item, pages, section, write

__all__ = ["france"]  # a fixture


def history(html: str) -> str:
    return section(html, "history-heading")


def test_a_status_write_reads_only_the_new_entry_of_the_history_and_keeps_the_others(
    client, public_cache, france, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from recommendations.public.history import HistoryPage

    for status, comment in ((Status.PLANNED, "A plan."), (Status.IN_PROGRESS, "A law is drafted.")):
        write(
            django_capture_on_commit_callbacks,
            lambda status=status, comment=comment: services.implementation_set_status(
                implementation=item(commitment=1), status=status, actor=editor, comment="-", rationale=comment
            ),
        )
    before = pages(client, "/states/FR/")
    read = []
    entries = HistoryPage.entries
    monkeypatch.setattr(HistoryPage, "entries", lambda self, keys: read.append(list(keys)) or entries(self, keys))
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(),
            status=Status.PLANNED,
            actor=editor,
            comment="-",
            rationale="The recommendation is planned.",
        ),
    )
    for language, html in pages(client, "/states/FR/").items():
        entries_after = history(html)
        assert "The recommendation is planned." in entries_after, language
        # The entries that were there are unchanged, and only the new one was read.
        assert "A law is drafted." in entries_after and "A plan." in entries_after
    assert all(len(keys) == 1 for keys in read), read
    assert history(before[""]) != history(pages(client, "/states/FR/")[""])


def test_unpublishing_evidence_shows_in_the_history_entries_that_linked_it(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    law = Evidence.objects.get(title__startswith="Law 2024-12")
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1),
            status=Status.PLANNED,
            actor=editor,
            comment="-",
            rationale="A plan.",
            evidence=[law],
        ),
    )
    assert all("Law 2024-12" in history(html) for html in pages(client, "/states/FR/").values())
    write(django_capture_on_commit_callbacks, lambda: services.evidence_unpublish(evidence=law, actor=editor))
    for language, html in pages(client, "/states/FR/").items():
        assert "A plan." in history(html) and "Law 2024-12" not in history(html), language


def rows_read(monkeypatch) -> list:
    """The ids of the rows each render read from the database (`RowsByKey.load`)."""
    from gcmtracker.cache import RowsByKey

    read = []
    load = RowsByKey.load
    monkeypatch.setattr(RowsByKey, "load", lambda self, pks: read.append(sorted(pks)) or load(self, pks))
    return read


def test_a_commitment_page_reads_only_the_rows_the_cache_misses(
    client, public_cache, france, editor, django_capture_on_commit_callbacks, monkeypatch
):
    """A write in France renders France's row again, from France's row alone; the other states'
    rows are neither read nor built (`RowsByKey`)."""

    def known(iso2):
        return services.implementation_set_status(
            implementation=Implementation.objects.select_related("state", "commitment").get(
                state__iso2=iso2, commitment__number=1
            ),
            status=Status.PLANNED,
            actor=editor,
            comment="-",
        )

    write(django_capture_on_commit_callbacks, lambda: [known(iso2) for iso2 in ("DE", "FR", "KE")])
    before = pages(client, "/commitments/1/")
    read = rows_read(monkeypatch)
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.IN_PROGRESS, actor=editor, comment="-"
        ),
    )
    after = pages(client, "/commitments/1/")
    assert read == [[item(commitment=1).pk]] * len(LANGUAGES)
    for language, html in after.items():
        table, table_before = section(html, "states-heading"), section(before[language], "states-heading")
        assert "status-in_progress" in table and table != table_before, language
        assert table.count("<tr") == table_before.count("<tr")


def test_a_status_write_reads_only_its_own_row_of_the_state_pages_commitments(
    client, public_cache, france, editor, django_capture_on_commit_callbacks, monkeypatch
):
    before = pages(client, "/states/FR/")
    read = rows_read(monkeypatch)
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=3), status=Status.PLANNED, actor=editor, comment="-"
        ),
    )
    for language, html in pages(client, "/states/FR/").items():
        rows, rows_before = section(html, "commitments-heading"), section(before[language], "commitments-heading")
        assert rows.count("status-planned") == rows_before.count("status-planned") + 1, language
        assert rows.count("<tr") == rows_before.count("<tr")
    assert read == [[item(commitment=3).pk]] * len(LANGUAGES)


def test_the_commitment_pages_filter_form_is_kept_through_a_status_write_and_follows_the_query(
    client, public_cache, france, editor, django_capture_on_commit_callbacks
):
    def form(html):
        found = re.search(r'<form method="get" class="filters".*?</form>', html, re.S)
        assert found
        return found[0]

    url = "/commitments/1/?status=planned&sort=-evidence"
    before = {prefix: form(client.get(prefix + url).content.decode()) for prefix in LANGUAGES}
    assert 'value="planned" selected' in before[""] and 'value="-evidence"' in before[""]
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=item(commitment=1), status=Status.PLANNED, actor=editor, comment="-"
        ),
    )
    for prefix in LANGUAGES:
        html = client.get(prefix + url).content.decode()
        assert form(html) == before[prefix], prefix
        assert "status-planned" in section(html, "states-heading")  # the page itself was rendered again
    assert 'value="implemented" selected' in form(client.get("/commitments/1/?status=implemented").content.decode())


def test_the_api_list_reads_and_serializes_only_the_items_the_cache_misses(
    client, public_cache, france, editor, django_capture_on_commit_callbacks, settings
):
    """`/api/v1/implementations/?state=FR`: each item's JSON kept under France's `rows` facet and
    its version. After a status write on one item, only that item is read (one id in the rows'
    query); the answer is the one the API gives without the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/api/v1/implementations/?state=FR&ordering=-id"

    def get(n):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_ACCEPT=f"application/json, x-test/{n};q=0.1")
        assert response.status_code == 200 and response["X-Cache"] == "miss"
        rows = [q["sql"] for q in queries.captured_queries if '"recommendations_implementation"."id" IN (' in q["sql"]]
        return response.json(), rows

    get(1)
    changed = item(commitment=1)
    write(
        django_capture_on_commit_callbacks,
        lambda: services.implementation_set_status(
            implementation=changed, status=Status.PLANNED, actor=editor, comment="A plan."
        ),
    )
    after, rows = get(2)
    assert len(rows) == 1 and re.search(rf"IN \({changed.pk}\)", rows[0]), rows
    assert {row["id"]: row["status"] for row in after["results"]}[changed.pk] == Status.PLANNED
    settings.CACHE_SECONDS = 0
    assert client.get(url, HTTP_ACCEPT="application/json").json() == after
