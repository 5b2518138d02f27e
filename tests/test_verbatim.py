"""Every text fixtures/ quotes from a source matches the source word for word.

The seeds live beside the clone (../shared/seeds), as in CI. Whitespace, line breaks, bullet
glyphs, list numbers at a line start and markdown emphasis are normalised on both sides; any
other difference fails.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from events.models import Event, EventListing, Participant, ParticipantListing
from recommendations.models import Commitment, CommitmentAction, Recommendation, Theme

SEEDS = Path(os.environ.get("GCM_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))

# Which seed file each source document was extracted from.
SEED_OF_DOCUMENT = {
    "gfmd-briefing-paper-ws1": "000_3bf2a7fe8ae64145.txt",
    "gfmd-dialogue-ws1-report": "001_8f447f431320a9e8.txt",
    "gfmd-human-rights-working-session-report": "002_79f0e10af5283463.txt",
    "gfmd-roundtables-2-1-2-2-report": "004_c98582e8ca4b032e.txt",
    **dict.fromkeys(
        [
            "pga-letter-2017-04-13",
            "cofacilitators-letter-2017-04-13",
            "general-concept-note",
            "main-preparatory-events",
            "annex-i-stakeholder-participation",
            "procedural-note-its1",
            "srsg-letter-2017-04-13",
            "sg-workplan",
            "issue-brief-1",
            # Documents the UN package cites by symbol: their titles and symbols are quoted there.
            "a-res-71-1",
            "a-res-71-280",
            "a-70-59",
            "a-71-278",
            "a-71-285",
            "a-hrc-31-35",
            "a-68-292",
        ],
        "003_4b6b82e0db190404.txt",
    ),
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} (set GCM_SEEDS_DIR)"),
]


def normalise(text: str) -> str:
    text = text.replace("*", "")
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1-\2", text)  # a word hyphenated across a line break
    text = re.sub(r"[•▪●◦\uf0b7\uf0a7\uf0d8\uf076]", " ", text)
    text = re.sub(r"(?m)^\s*(?:[-o]|\d{1,2}\.|[a-z]\)|[ivx]+\))\s+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_text(filename: str) -> str:
    return normalise((SEEDS / filename).read_text(encoding="utf-8"))


@cache
def all_seeds() -> str:
    return " ".join(seed_text(p.name) for p in sorted(SEEDS.glob("*.txt")) if p.name != "README.md")


def quoted_texts():
    """(what, text, seed file or None for any[, table cell]) for every quoted text in the fixtures."""
    for rec in Recommendation.objects.select_related("document"):
        # A footnote may split a sentence (paragraph 5 a) of the working session report): "footnote".
        yield f"recommendation {rec.code}", rec.text, SEED_OF_DOCUMENT.get(rec.document.slug), "footnote"
        if rec.origin_text:
            yield f"origin of {rec.code}", rec.origin_text, SEED_OF_DOCUMENT.get(rec.document.slug)
        if rec.section:  # a section heading, shown as the heading on the document page
            yield f"section of {rec.code}", rec.section, SEED_OF_DOCUMENT.get(rec.document.slug)
    for commitment in Commitment.objects.select_related("document"):
        yield f"commitment {commitment.number}", commitment.text, SEED_OF_DOCUMENT.get(commitment.document.slug)
    for action in CommitmentAction.objects.select_related("commitment__document"):
        yield f"action {action}", action.text, SEED_OF_DOCUMENT.get(action.commitment.document.slug)
    for theme in Theme.objects.select_related("document"):
        yield f"theme {theme.slug}", theme.name, SEED_OF_DOCUMENT.get(theme.document.slug)
    for participant in Participant.objects.exclude(statement=""):
        yield f"statement of {participant}", participant.statement, None
    for participant in Participant.objects.exclude(section=""):
        yield f"section of {participant}", participant.section, None
    for event in Event.objects.exclude(listed_in=None).select_related("listed_in"):
        yield f"event {event.slug}", event.title, SEED_OF_DOCUMENT.get(event.listed_in.slug), True
    from events.models import Document

    for document in Document.objects.exclude(cited_by=None).distinct():
        seed = SEED_OF_DOCUMENT.get(document.slug)
        yield f"cited document {document.slug} title", document.title, seed
        yield f"cited document {document.slug} symbol", document.symbol, seed
    # How each source names a participant and their role: its own words.
    for listing in ParticipantListing.objects.select_related("participant", "document"):
        seed = SEED_OF_DOCUMENT.get(listing.document.slug)
        for field in ("name", "position", "role_text"):
            if value := getattr(listing, field):
                yield f"{listing} {field}", value, seed
    # Every field of a listing is its source's own words (only `editorial_note` is the secretariat's).
    for listing in EventListing.objects.select_related("event", "document"):
        seed = SEED_OF_DOCUMENT.get(listing.document.slug)
        for field in ("title", "category", "date_text", "place", "organiser", "section"):
            value = getattr(listing, field)
            if value:
                yield f"listing {listing.event.slug} #{listing.order} {field}", value, seed, True


FOOTNOTE_GAP = 400  # characters a footnote's text may stand between the two halves of a sentence


def in_source(text: str, haystack: str, *, cells: bool | str = False) -> bool:
    """Whether the text stands in the source. A table cell (cells=True) may wrap once around the
    neighbouring columns of a PDF table: then its two halves must both stand there, in order.
    A sentence split by a footnote (cells="footnote") may have the footnote's text between its
    halves, no more than FOOTNOTE_GAP characters."""
    text = normalise(text)
    if text in haystack:
        return True
    if not cells:
        return False
    if cells == "footnote":
        return _split_by_footnote(text, haystack)
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        start = haystack.find(head)
        if start < 0:
            continue
        found = haystack.find(tail, start + len(head))
        if found >= 0 and len(tail.split(" ")) >= 2:
            return True
        # A one-word tail ("14-15 … September") only counts in the same table row, a few cells on.
        if found >= 0 and found - (start + len(head)) <= 200:
            return True
    return False


def _split_by_footnote(text: str, haystack: str) -> bool:
    """Both halves stand in order with at most FOOTNOTE_GAP characters between them; the cut may fall
    after a space or inside a hyphenated word ("responsibility-" [footnote] "sharing")."""
    for cut in range(len(text) - 1, 0, -1):
        if text[cut - 1] not in " -":
            continue
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        if len(tail.split(" ")) < 2:
            continue
        start = haystack.find(head)
        while start >= 0:
            found = haystack.find(tail, start + len(head), start + len(head) + FOOTNOTE_GAP + len(tail))
            if found >= 0:
                return True
            start = haystack.find(head, start + 1)
    return False


def test_every_document_is_mapped_to_its_seed_file():
    from events.models import Document

    unmapped = sorted(set(Document.objects.values_list("slug", flat=True)) - set(SEED_OF_DOCUMENT))
    assert unmapped == []


def test_every_quoted_text_matches_its_source_word_for_word():
    mismatches = []
    checked = 0
    for what, text, seed, *cells in quoted_texts():
        haystack = seed_text(seed) if seed else all_seeds()
        checked += 1
        if not in_source(text, haystack, cells=cells[0] if cells else False):
            mismatches.append(f"{what}: {text[:120]!r}")
    assert checked > 100
    assert mismatches == [], "\n".join(mismatches)


def test_the_normaliser_still_catches_a_changed_word():
    text = Commitment.objects.get(number=5).text
    assert normalise(text) in seed_text("003_4b6b82e0db190404.txt")
    assert normalise(text.replace("child", "person")) not in seed_text("003_4b6b82e0db190404.txt")


def test_a_changed_word_in_a_listing_or_a_footnote_split_sentence_is_caught():
    from events.models import EventListing

    listing = EventListing.objects.get(event__slug="thematic-session-4", document__slug="sg-workplan")
    seed = seed_text("003_4b6b82e0db190404.txt")
    assert in_source(listing.title, seed, cells=True)
    assert not in_source(listing.title.replace("remittances", "transfers"), seed, cells=True)
    split = Recommendation.objects.get(code="gfmd-hr-ws-political-5a-c").text
    report = seed_text("002_79f0e10af5283463.txt")
    assert normalise(split) not in report  # the footnote stands between its halves
    assert in_source(split, report, cells="footnote")
    assert not in_source(split.replace("sharing", "caring"), report, cells="footnote")


def test_document_parts_stand_in_the_source_order():
    """A report's page gives its sections in the source's order, and in each section every kind of
    item (and the statements) in the order the source gives them. (Kind by kind: a table, such as
    the working session's closing one, is read a column at a time; its extraction runs row-wise.
    tests/test_source_coverage.py checks how items and statements interleave.)"""
    from events.models import Document
    from events.selectors import document_detail, document_outline, report_people

    def texts(parts):
        for part in parts:
            if hasattr(part, "nested"):
                yield part.kind, part.text
                yield from texts(part.nested)
            elif getattr(part, "statement", ""):
                yield "statement", part.statement

    checked = 0
    for document in Document.objects.filter(kind="report").exclude(recommendations=None):
        haystack = seed_text(SEED_OF_DOCUMENT[document.slug])
        outline = document_outline(document_detail(document.slug), list(report_people(document)))
        section_at = 0
        for section in outline:
            if section.heading:
                found = haystack.find(normalise(section.heading), section_at)
                assert found >= 0, f"{document.slug}: section {section.heading!r} out of order"
                section_at = found
            last = {}
            for run in section.runs:
                for kind, text in texts(run.parts):
                    # The first words (a footnote may split a sentence further on).
                    found = haystack.find(normalise(text)[:25], last.get(kind, section_at))
                    assert found >= 0, f"{document.slug}: {kind} {text[:60]!r} out of the source's order"
                    last[kind], checked = found, checked + 1
    assert checked > 100
