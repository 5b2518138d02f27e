"""Long downloads stream (issue 18): the same bytes as a short one, in chunks, with the same
queries; the public cache keeps only the short ones, and both carry its validators."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import downloads

URLS = ["/states/?format=csv", "/states/?format=json", "/events/?format=csv", "/recommendations/?format=json"]


def body_and_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body, len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_a_long_download_streams_the_same_bytes_with_the_same_queries(client, url, monkeypatch):
    whole, whole_body, whole_queries = body_and_queries(client, url)
    assert not whole.streaming

    monkeypatch.setattr(downloads, "STREAM_AFTER_ROWS", 3)
    monkeypatch.setattr(downloads, "_ROWS_PER_CHUNK", 2)
    streamed, streamed_body, streamed_queries = body_and_queries(client, url)

    assert streamed.streaming
    assert streamed_body == whole_body
    assert streamed_queries == whole_queries
    assert streamed["Content-Disposition"] == whole["Content-Disposition"]
    assert streamed["ETag"] and streamed["X-Cache"] == "streamed"


@pytest.mark.django_db
def test_a_json_download_counts_its_rows_at_the_end(client, monkeypatch):
    monkeypatch.setattr(downloads, "STREAM_AFTER_ROWS", 3)
    response = client.get("/states/?format=json&regional_group=weog")
    data = json.loads(b"".join(response.streaming_content))
    assert data["count"] == len(data["results"]) > 3
    assert data["filters"] == {"regional_group": "weog"}


@pytest.mark.django_db
def test_an_empty_download_is_still_valid(client):
    data = json.loads(client.get("/states/?format=json&q=no-such-state-anywhere").content)
    assert (data["count"], data["results"]) == (0, [])
