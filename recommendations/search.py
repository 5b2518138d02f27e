"""Site-wide search (issue 19): states, commitments, recommendations, events, documents,
published evidence and published stakeholder reports (issue 20), for one query, grouped by kind.

Each kind is searched with the same text search as its own list page (`filtersets.search_text`:
PostgreSQL full-text search with English stemming, ranked; every word as a substring on SQLite),
so a kind's "all N results" link to its list page with ?q= gives the same rows. States and
commitments are also matched on their names in the page's language (CLDR's state names and the
translated short titles are not in the database), in Python: 195 and 10 rows.

Queries, whatever the data's size: states 1, commitments 2, then for each of the five other kinds
a count and, when it found any, one page (tests/test_search.py pins at most 13).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F

from events.models import Document, Event

from .filtersets import search_text
from .models import Commitment, Evidence, Recommendation, StakeholderReport, State

PER_KIND = 10
MAX_QUERY_LENGTH = 200


def _folded(text: str) -> str:
    """Lower case, accents aside: "Côte" matches "cote"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(query: str) -> list[str]:
    return [_folded(word) for word in query.split()]


def _matches(words, *texts) -> bool:
    haystack = " ".join(_folded(text) for text in texts)
    return all(word in haystack for word in words)


@dataclass
class KindResults:
    """One kind's results: the first PER_KIND and how many there are in all."""

    kind: str
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _ranked(queryset, fields, query):
    """The kind's matches, best first on PostgreSQL (the list pages' order elsewhere)."""
    matches = search_text(queryset, fields, query)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        rank = SearchRank(F("search"), SearchQuery(query, config="english", search_type="websearch"))
        matches = matches.annotate(rank=rank).order_by("-rank", *queryset.query.order_by or ["pk"])
    return matches


def _page(kind, matches) -> KindResults:
    total = matches.count()
    return KindResults(kind=kind, items=list(matches[:PER_KIND]) if total else [], total=total)


def _states(words) -> KindResults:
    states = [
        state
        for state in State.objects.only("iso2", "iso3", "name", "regional_group", "membership")
        if _matches(words, state.name, state.localized_name, state.iso2, state.iso3)
    ]
    states.sort(key=lambda state: _folded(state.localized_name))
    return KindResults(kind="states", items=states[:PER_KIND], total=len(states))


def _commitments(query, words) -> KindResults:
    found = set(search_text(Commitment.objects.all(), ("short_title", "text"), query).values_list("pk", flat=True))
    commitments = [
        commitment
        for commitment in Commitment.objects.only("number", "short_title", "text")
        if commitment.pk in found or _matches(words, commitment.localized_short_title, str(commitment.number))
    ]
    return KindResults(kind="commitments", items=commitments, total=len(commitments))


def site_search(query: str) -> list[KindResults]:
    """Every kind's results for `query` (already stripped and at most MAX_QUERY_LENGTH long)."""
    words = _words(query)
    recommendations = Recommendation.objects.select_related("document").only(
        "code", "text", "kind", "place", "section", "document__slug", "document__title"
    )
    events = Event.objects.order_by("start_date", "pk")
    documents = Document.objects.all()
    evidence = (
        Evidence.objects.public()
        .select_related("implementation__state", "implementation__commitment", "implementation__recommendation")
        .only(
            "title",
            "kind",
            "date",
            "url",
            "file",
            "description",
            "implementation__state__iso2",
            "implementation__state__name",
            "implementation__commitment__number",
            "implementation__recommendation__code",
        )
        .order_by("-date", "-pk")
    )
    # Approved reports of approved organisations only, found by their narrative or the
    # organisation's name (the API's `q`), shown by the organisation's name, never a person's.
    stakeholder_reports = (
        StakeholderReport.objects.public()
        .select_related(
            "organisation", "implementation__state", "implementation__commitment", "implementation__recommendation"
        )
        .only(
            "assessment",
            "narrative",
            "published_at",
            "organisation__name",
            "organisation__kind",
            "implementation__state__iso2",
            "implementation__state__name",
            "implementation__commitment__number",
            "implementation__recommendation__code",
        )
        .order_by("-published_at", "-pk")
    )
    return [
        _states(words),
        _commitments(query, words),
        _page("recommendations", _ranked(recommendations, ("text",), query)),
        _page("events", _ranked(events, ("title", "theme", "organiser", "place"), query)),
        _page("documents", _ranked(documents, ("title", "author", "symbol", "description"), query)),
        _page("evidence", _ranked(evidence, ("title", "description"), query)),
        _page("stakeholder_reports", _ranked(stakeholder_reports, ("narrative", "organisation__name"), query)),
    ]
