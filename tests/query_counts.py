"""Counting the queries of public pages: the pages whose query count must not grow with the data
are fetched at two sizes and their counts compared."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, urls) -> dict[str, int]:
    """Each url's number of queries, fetched once; every one must answer 200."""
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts
