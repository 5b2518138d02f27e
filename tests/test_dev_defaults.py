"""The development defaults behave like production, tested the way a developer meets them: real
processes on a real SQLite file, nothing overridden.

- A command run in another terminal (`manage.py demo`) shows on the running server's next page
  load: the cache is shared by every process (a table in the database, not per-process memory).
- Twenty API writers at once on one implementation get no server error on SQLite: WAL, a busy
  timeout and immediate transactions make them wait for the lock; a conflict is still a 412.
"""

import re
import threading

import pytest

from tests.served import manage, only_in_the_sqlite_run

WRITERS = 20
PROGRESS = {"track": "reported", "status": "in_progress", "comment": "Written by one of twenty writers at once."}

pytestmark = only_in_the_sqlite_run


@pytest.fixture
def site(sqlite_site):
    return sqlite_site


def _states_with_published_evidence(html: str) -> int:
    found = re.search(r"(\d+) of 195 states have published evidence", html)
    assert found, "the dashboard says how many states have published evidence"
    return int(found.group(1))


def test_a_command_run_in_another_process_shows_on_the_next_page_load(site):
    before, _cache = site.page("/")
    assert site.page("/")[1] == "hit"  # the next visitor gets the cached page

    manage("demo", env=site.env)
    after, cache = site.page("/")

    # Before the shared cache, this stayed "0 of 195" for CACHE_SECONDS (five minutes).
    assert _states_with_published_evidence(before) == 0
    assert cache == "miss"
    assert _states_with_published_evidence(after) == 20


def _write(site, *, retry_on_conflict: bool) -> list[int]:
    """One writer: read the version, post a status from it; with retries, read again after a 412."""
    path = f"/api/v1/implementations/{site.implementation_id}/"
    codes = []
    for _attempt in range(60):
        status, headers, _body = site.request("GET", path)
        codes.append(status)
        if status != 200:
            return codes
        status, _headers, _body = site.request(
            "POST", path + "status/", body=PROGRESS, headers={"If-Match": headers["ETag"]}
        )
        codes.append(status)
        if status != 412 or not retry_on_conflict:
            return codes
    return codes


def _writers_at_once(site, *, retry_on_conflict: bool) -> list[int]:
    codes: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer():
        start.wait()
        mine = _write(site, retry_on_conflict=retry_on_conflict)
        with lock:
            codes.extend(mine)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return codes


def _version(site) -> int:
    _status, headers, _body = site.request("GET", f"/api/v1/implementations/{site.implementation_id}/")
    return int(headers["ETag"].strip('W/"'))


def test_twenty_simultaneous_status_writes_on_sqlite_give_no_server_error(site):
    version = _version(site)

    codes = _writers_at_once(site, retry_on_conflict=False)

    assert [code for code in codes if code >= 500] == []
    writes = codes[1::2]
    assert len(writes) == WRITERS
    # Every writer either won (201) or was told its version was stale (412), never "locked".
    assert set(writes) <= {201, 412} and 201 in writes
    assert _version(site) == version + writes.count(201)


def test_twenty_writers_retrying_on_412_all_land_without_a_server_error(site):
    version = _version(site)

    codes = _writers_at_once(site, retry_on_conflict=True)

    assert [code for code in codes if code >= 500] == []
    assert codes.count(201) == WRITERS
    assert _version(site) == version + WRITERS
