"""Arabic pages read mixed-direction text in the right order (issue 19): English words from the
sources and from users keep their own order, their full stops and brackets, inside right-to-left
pages. Checked where it shows, in Debian's chromium: the position of characters on the screen."""

import pytest
from django.core.management import call_command

from recommendations import services
from recommendations.choices import Role
from recommendations.models import Implementation
from tests.browser import BROWSER
from tests.factories import UserFactory

pytestmark = BROWSER

# The x of the first occurrence of `needle` in the element's text, on the screen.
CHAR_X = """([element, needle]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      return range.getBoundingClientRect().x;
    }
  }
  return null;
}"""


@pytest.fixture
def site(live_server, settings):
    settings.CACHE_SECONDS = 0
    call_command("compilemessages", ignore=[".venv"], verbosity=0)
    editor = UserFactory(username="zq-bidi-editor", role=Role.EDITOR)
    implementation = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    services.implementation_assign(
        implementation=implementation, actor=editor, owner=None, lead_agency="Ministry of [Demo] Justice."
    )
    return live_server.url


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def x_of(page, locator, needle):
    return page.evaluate(f"({CHAR_X})", [locator.element_handle(), needle])


def test_a_lead_agency_keeps_its_order_brackets_and_full_stop(site, page):
    page.goto(site + "/ar/states/FR/")
    cell = page.locator("td", has_text="Ministry of").first
    ministry, bracket, justice, stop = (x_of(page, cell, s) for s in ("Ministry", "[", "Justice", "."))
    assert ministry < bracket < justice < stop


def test_an_events_date_as_the_source_gives_it_reads_left_to_right(site, page):
    page.goto(site + "/ar/events/")
    date = page.locator(".event-date", has_text="2 March").first
    assert x_of(page, date, "2") < x_of(page, date, "March") < x_of(page, date, "(2017)")


def test_the_commitments_read_in_arabic_with_their_number_first(site, page):
    page.goto(site + "/ar/states/FR/")
    link = page.locator("main table a", has_text="إنهاء احتجاز الأطفال").first
    # Right to left: the number is at the right, the title to its left.
    assert x_of(page, link, "3") > x_of(page, link, "إنهاء")
    assert page.locator("main dd", has_text="غرب أوروبا").count() == 1


def test_english_titles_in_a_right_to_left_list_keep_their_number_first(site, page):
    page.goto(site + "/ar/recommendations/")
    meta = page.locator(".recommendation .meta a", has_text="GFMD").first
    assert meta.count() == 1
    text = meta.inner_text()
    first_word = text.split()[0]
    last_word = text.split()[-1]
    assert x_of(page, meta, first_word) < x_of(page, meta, last_word)


def test_a_translated_locator_keeps_the_quoted_heading_in_its_order(site, page):
    page.goto(site + "/ar/events/budapest-process-consultation-2017-03-02/")
    cell = page.locator("td bdi", has_text="الجدول").first
    # Right to left: "the table" at the right, then the source's heading (left to right inside its
    # isolate), then the month at the left.
    assert x_of(page, cell, "آذار") < x_of(page, cell, "Phase") < x_of(page, cell, "Consultations")
    assert x_of(page, cell, "Consultations") < x_of(page, cell, "الجدول")
