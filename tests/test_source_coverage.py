"""Issue 17: every item of the five source documents is in the data, stored once, in the source's
order, with sub-items as children (the words themselves are checked by test_verbatim.py)."""

import json

import pytest
from django.core.management import call_command

from recommendations.imports.seeding import FIXTURES_DIR
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

ROUNDTABLES = "gfmd-roundtables-2-1-2-2-report"


def items(document, **filters):
    return list(Recommendation.objects.filter(document__slug=document, **filters).order_by("order"))


def test_every_issue_the_roundtables_report_raises_is_an_issue_in_the_source_order():
    issues = items(ROUNDTABLES, kind="issue")
    assert [(x.text, x.parent_id, x.event.slug) for x in issues] == [
        # The Co-Chairs, in prose after their Tools (issue 17's "two issues raised")...
        (
            "If this is not achieved, migrants would be socially excluded, violence and radicalization could "
            "also be a consequence.",
            None,
            "gfmd-roundtable-2-1",
        ),
        (
            "Social inclusion not just about coexistence of native populations with migrants, needs a whole of "
            "society approach.",
            None,
            "gfmd-roundtable-2-1",
        ),
        # ...and after their guiding questions.
        (
            "They talked about preventive policies or measures to address security concerns and prevent "
            "violent extremism.",
            None,
            "gfmd-roundtable-2-1",
        ),
        # "The main issues discussed were:"
        ("Access to services, political participation and other measures of integration", None, "gfmd-roundtable-2-1"),
        ("Addressing negative perception of migrants", None, "gfmd-roundtable-2-1"),
        ("Preventing violent extremism", None, "gfmd-roundtable-2-1"),
        # "Over all main issues that were repeatedly emphasized were:"
        ("Implementation is the main concern", None, "gfmd-roundtable-2-2"),
        ("Climate Change is an issue of concern in terms of protection", None, "gfmd-roundtable-2-2"),
        ("Human Rights of migrants", None, "gfmd-roundtable-2-2"),
        ("The implementation of existing conventions", None, "gfmd-roundtable-2-2"),
    ]
    codes = [x.code for x in items(ROUNDTABLES)]
    tools_end, questions = codes.index("gfmd-rt-tool-04d"), codes.index("gfmd-rt-guiding-questions")
    assert codes[tools_end + 1 : tools_end + 3] == ["gfmd-rt-cochairs-issue-01", "gfmd-rt-cochairs-issue-02"]
    assert codes[questions + 1] == "gfmd-rt-cochairs-issue-03"
    orders = [x.order for x in items(ROUNDTABLES)]
    assert orders == list(range(1, len(orders) + 1))


def test_items_the_files_move_within_their_document_are_reseeded_in_one_load(tmp_path):
    # An item inserted before others moves them on (issue 17 added three issues mid-document): a
    # database seeded before that loads the new files although each moved row's new order is, until
    # it is written, still another row's.
    records = json.loads((FIXTURES_DIR / "gfmd_roundtables.json").read_text(encoding="utf-8"))
    reordered = [r for r in records if r["fields"].get("code", "").startswith("gfmd-rt-inclusion-model-")]
    orders = [r["fields"]["order"] for r in reordered]
    for record, order in zip(reordered, reversed(orders), strict=True):
        record["fields"]["order"] = order
    path = tmp_path / "gfmd_roundtables.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    call_command("seed", str(path), verbosity=0)
    models = items(ROUNDTABLES, kind="inclusion_model")
    assert [x.code for x in models] == [f"gfmd-rt-inclusion-model-0{n}" for n in (3, 2, 1)]
    call_command("seed", verbosity=0)  # and back
    assert [x.code for x in items(ROUNDTABLES, kind="inclusion_model")] == [
        f"gfmd-rt-inclusion-model-0{n}" for n in (1, 2, 3)
    ]
