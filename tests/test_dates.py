"""Date wordings of the sources and the bounds they allow."""

import datetime

import pytest

from events.dates import contradiction, wording_bounds

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "tentative"),
    [
        ("2 March", D(2017, 3, 2), D(2017, 3, 2), "day", False),
        ("Monday, 17 April 2017", D(2017, 4, 17), D(2017, 4, 17), "day", False),
        ("24-April", D(2017, 4, 24), D(2017, 4, 24), "day", False),
        ("5 April TBC", D(2017, 4, 5), D(2017, 4, 5), "day", True),
        ("18-19 April", D(2017, 4, 18), D(2017, 4, 19), "day", False),
        ("29 Jun – 1 July", D(2017, 6, 29), D(2017, 7, 1), "day", False),
        ("4 October 2017 TBC", D(2017, 10, 4), D(2017, 10, 4), "day", True),
        ("Last week of July", D(2017, 7, 25), D(2017, 7, 31), "week", False),
        ("early December", D(2017, 12, 1), D(2017, 12, 10), "part_of_month", False),
        ("Mid-February 2018 TBA", D(2018, 2, 11), D(2018, 2, 20), "part_of_month", True),
        ("late November", D(2017, 11, 21), D(2017, 11, 30), "part_of_month", False),
        ("August 2017", D(2017, 8, 1), D(2017, 8, 31), "month", False),
        ("September - TBA", D(2017, 9, 1), D(2017, 9, 30), "month", True),
        ("February 3 days TBA", D(2017, 2, 1), D(2017, 2, 28), "month", True),
        ("June/July 2018 TBA", D(2018, 6, 1), D(2018, 7, 31), "month", True),
        ("Second/Third quarter of 2017 (TBC)", D(2017, 4, 1), D(2017, 9, 30), "quarter", True),
        ("Second Half of 2017 (TBC)", D(2017, 7, 1), D(2017, 12, 31), "half_year", True),
        ("TBC", None, None, "unknown", True),
        ("", None, None, "unknown", False),
    ],
)
def test_wordings_of_the_sources(text, start, end, precision, tentative):
    bounds = wording_bounds(text, 2017)
    assert (bounds.start, bounds.end, bounds.precision, bounds.tentative) == (start, end, precision, tentative)


def test_unknown_wordings_and_impossible_days_are_not_guessed():
    assert wording_bounds("sometime soon", 2017) is None
    assert wording_bounds("31 February", 2017) is None
    assert wording_bounds("8 May", None) is None


def test_bounds_that_contradict_the_wording_are_named():
    # "Last week of July" stored with month bounds (as it once was) is a contradiction.
    assert "means 2017-07-25 to 2017-07-31" in contradiction(
        "Last week of July", D(2017, 7, 1), D(2017, 7, 31), "week", False
    )
    assert "precision week" in contradiction("Last week of July", D(2017, 7, 25), D(2017, 7, 31), "month", False)
    assert "tentative" in contradiction("April TBA", D(2017, 4, 1), D(2017, 4, 30), "month", False)
    assert contradiction("3-4 October", D(2017, 10, 2), D(2017, 10, 4), "day", False, exact=False) == ""
    assert "outside" in contradiction("3-4 October", D(2017, 10, 3), D(2017, 10, 3), "day", False, exact=False)
