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

from events.models import Event, Participant
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
        yield f"recommendation {rec.code}", rec.text, SEED_OF_DOCUMENT.get(rec.document.slug)
    for commitment in Commitment.objects.select_related("document"):
        yield f"commitment {commitment.number}", commitment.text, SEED_OF_DOCUMENT.get(commitment.document.slug)
    for action in CommitmentAction.objects.select_related("commitment__document"):
        yield f"action {action}", action.text, SEED_OF_DOCUMENT.get(action.commitment.document.slug)
    for theme in Theme.objects.select_related("document"):
        yield f"theme {theme.slug}", theme.name, SEED_OF_DOCUMENT.get(theme.document.slug)
    for participant in Participant.objects.exclude(statement=""):
        yield f"statement of {participant}", participant.statement, None
    for event in Event.objects.exclude(listed_in=None).select_related("listed_in"):
        yield f"event {event.slug}", event.title, SEED_OF_DOCUMENT.get(event.listed_in.slug), True


def in_source(text: str, haystack: str, *, cells: bool = False) -> bool:
    """Whether the text stands in the source. A table cell (cells=True) may wrap once around the
    neighbouring columns of a PDF table: then its two halves must both stand there, in order."""
    text = normalise(text)
    if text in haystack:
        return True
    if not cells:
        return False
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        start = haystack.find(head)
        if start >= 0 and haystack.find(tail, start + len(head)) >= 0 and len(tail.split(" ")) >= 2:
            return True
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
        if not in_source(text, haystack, cells=bool(cells)):
            mismatches.append(f"{what}: {text[:120]!r}")
    assert checked > 100
    assert mismatches == [], "\n".join(mismatches)


def test_the_normaliser_still_catches_a_changed_word():
    text = Commitment.objects.get(number=5).text
    assert normalise(text) in seed_text("003_4b6b82e0db190404.txt")
    assert normalise(text.replace("child", "person")) not in seed_text("003_4b6b82e0db190404.txt")
