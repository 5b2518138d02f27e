"""Issue 16, finding 10: formula defusing covers the look-alike prefixes too, in every download."""

import pytest

from recommendations.downloads import csv_cell

LOOK_ALIKES = [
    '\uff1dHYPERLINK("http://evil.example")',  # full-width equals
    "\uff0b1+1",  # full-width plus
    "\uff0d1+1",  # full-width hyphen-minus
    "\uff20SUM(A1)",  # full-width commercial at
    "\ufe66cmd",  # small equals
    "\ufe62cmd",  # small plus
    "\ufe63cmd",  # small hyphen-minus
    "\ufe6bcmd",  # small commercial at
    "\u2212cmd",  # minus sign
    "\tcmd",
    "\rcmd",
    "\ncmd",
    " =1+1",  # behind a space
    "\u00a0=1+1",  # behind a no-break space
    "\u200b=1+1",  # behind a zero-width space
    "\u202e=1+1",  # behind a right-to-left override
    "\u3000\uff1d1",  # ideographic space, then full-width equals
]


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_look_alike_formula_prefixes_are_defused(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Côte d'Ivoire", "2020-01-01", "– an en dash", "(a) item", "", "100 %"])
def test_ordinary_text_is_left_alone(value):
    assert csv_cell(value) == value


@pytest.mark.django_db
def test_a_recommendation_download_defuses_a_full_width_equals(client):
    from recommendations.models import Recommendation

    recommendation = Recommendation.objects.order_by("pk").first()
    Recommendation.objects.filter(pk=recommendation.pk).update(text='\uff1dHYPERLINK("http://evil.example")')
    response = client.get("/recommendations/", {"format": "csv", "q": "HYPERLINK"})
    body = response.content.decode("utf-8-sig")
    assert "'\uff1dHYPERLINK" in body
