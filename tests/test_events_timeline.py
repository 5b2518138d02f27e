"""The events timeline (issue 19): phases and events on a time axis, each event over the dates its
sources allow, its precision and "to be confirmed" visible; filtered with the list; a table as its
text alternative."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event
from events.timeline import events_timeline

pytestmark = pytest.mark.django_db
URL = reverse("events:event-list")


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


def layout(**filters):
    return events_timeline(list(Event.objects.select_related("phase").filter(**filters)))


def bar_of(timeline, title_start):
    return next(bar for lane in timeline["lanes"] for bar in lane["bars"] if bar["title"].startswith(title_start))


def pct(value):
    return float(value.rstrip("%"))


def test_every_dated_event_is_drawn_once_and_the_undated_are_counted():
    timeline = layout()
    drawn = sum(len(lane["bars"]) for lane in timeline["lanes"])
    assert drawn == timeline["drawn"] == Event.objects.filter(start_date__isnull=False).count()
    assert timeline["undated"] == Event.objects.filter(start_date__isnull=True).count() == 8


def test_each_event_spans_the_dates_its_source_allows_and_shows_how_precise_they_are():
    timeline = layout()
    day = bar_of(timeline, "Budapest Process Consultation Meeting")
    month = bar_of(timeline, Event.objects.get(slug="steering-committee-call-2017-04").title)
    quarter = bar_of(timeline, "Migration Dialogue for Southern African (MIDSA)")
    half = bar_of(timeline, Event.objects.get(slug="midcom-2017").title)
    assert day["css"] == "tl-day" and month["css"] == "tl-month"
    assert quarter["css"] == "tl-wide tl-tentative" and half["css"] == "tl-wide tl-tentative"
    assert "(TBC)" in quarter["title"] and "to be confirmed" in quarter["title"]
    # Widths in proportion to the days allowed: 1, 30, 183 and 184 days.
    assert pct(day["width"]) < pct(month["width"]) < pct(quarter["width"]) < pct(half["width"])
    assert pct(half["width"]) == pytest.approx(6 * pct(month["width"]), rel=0.05)


def test_events_of_a_kind_that_overlap_go_on_rows_below_each_other():
    timeline = layout(kind="regional_consultative_process")
    (lane,) = timeline["lanes"]
    rows = {bar["y"] for bar in lane["bars"]}
    assert len(rows) > 1
    for y in rows:
        spans = sorted((pct(b["x"]), pct(b["x"]) + pct(b["width"])) for b in lane["bars"] if b["y"] == y)
        assert all(left >= right - 1e-6 for (_, right), (left, _) in zip(spans, spans[1:], strict=False))


def test_the_phases_are_bands_behind_the_events_in_the_pages_language():
    with translation.override("es"):
        timeline = layout()
    assert [band["label"] for band in timeline["bands"]] == ["I", "II", "III"]
    assert timeline["bands"][1]["name"] == "Fase II – Balance"


def test_right_to_left_pages_draw_time_from_right_to_left():
    english = bar_of(layout(), "Budapest Process Consultation Meeting")
    with translation.override("ar"):
        arabic = bar_of(layout(), "Budapest Process Consultation Meeting")
    assert pct(english["x"]) < 5 and pct(arabic["x"]) > 95


def test_the_page_draws_the_events_the_filters_keep(client):
    html = client.get(URL, {"kind": "thematic_session"}).content.decode()
    assert html.count('class="tl-lane"') == 1 and html.count('<rect class="tl-bar') == 6
    html = client.get(URL, {"place": "Geneva"}).content.decode()
    drawn = len(re.findall(r'<rect class="tl-bar', html))
    assert drawn == Event.objects.filter(place__icontains="Geneva", start_date__isnull=False).count() > 0
    assert "On a time axis" not in client.get(URL, {"q": "zzzz-nothing"}).content.decode()


def test_a_table_gives_the_drawing_as_text(client):
    response = client.get(URL)
    html = response.content.decode()
    table = html.split('id="timeline-table-caption"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + Event.objects.count()
    assert '<time datetime="2017-04-01">' in table and '<time datetime="2017-09-30">' in table


def test_the_timeline_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(URL)
