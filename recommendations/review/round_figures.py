"""What the public pages say of a state in a reporting round, and of a round as a whole, read from
`rounds.progress` (the round page, the round list, the cycle's page and its state reports).

A state *has reported* when every one of its round items is reported, has *partly* reported when
some are, and has *not started* when none is. A state with no item in the round (it tracks none
of the round's recommendations) has *nothing to report*: named so, and counted apart."""

REPORTED, PARTLY, NOT_STARTED, NOTHING = "reported", "partly", "not_started", "nothing_to_report"


def standing(progress) -> str:
    if not progress.items:
        return NOTHING
    if progress.done:
        return REPORTED
    return PARTLY if progress.reported else NOT_STARTED


def counts(progresses) -> dict:
    """How many states reported, partly reported or have not started, and the items reported."""
    found = {REPORTED: 0, PARTLY: 0, NOT_STARTED: 0, NOTHING: 0}
    for progress in progresses:
        found[standing(progress)] += 1
    return {
        **found,
        "states": len(progresses),
        "late": sum(1 for p in progresses if p.late),
        "items": sum(p.items for p in progresses),
        "items_reported": sum(p.reported for p in progresses),
    }
