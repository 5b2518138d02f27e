"""The chart and map template tags: valid SVG, labelled for people who cannot see colour, mirrored
for right-to-left languages, and a map on which every state can be found."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from recommendations.choices import Status
from recommendations.models import State
from recommendations.templatetags.charts import WORLD_MAP_FILE, WORLD_SHAPES, world_geometry

SVG = "{http://www.w3.org/2000/svg}"

ROWS = [
    {"label": "1. Accountability", "url": "/commitments/1/", "counts": {Status.IMPLEMENTED: 12, Status.PLANNED: 3}},
    {
        "label": "2. Alternatives to detention",
        "url": None,
        "counts": {Status.NO_INFORMATION: 20, Status.IN_PROGRESS: 5},
    },
]
SERIES = {
    "periods": ["2018", "2019", "2020"],
    "counts": [{Status.NO_INFORMATION: 10}, {Status.NO_INFORMATION: 6, Status.PLANNED: 4}, {Status.IMPLEMENTED: 10}],
}


def render(source: str, **context) -> ET.Element:
    """Render a template using the chart tags and parse the result as XML: a stray `<` fails here."""
    html = Template("{% load charts %}" + source).render(Context(context))
    return ET.fromstring(html)


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def titles(element: ET.Element) -> list[str]:
    return [title.text for title in element.iter(f"{SVG}title")]


def legend(figure: ET.Element) -> list[str]:
    return ["".join(item.itertext()).strip() for item in figure.iter("li")]


def segment_x(figure: ET.Element, status: str) -> float:
    rect = next(r for r in figure.iter(f"{SVG}rect") if r.get("class") == f"fill-{status}")
    return float(rect.get("x").rstrip("%"))


def test_status_bars_is_an_svg_image_labelled_by_its_title_and_description():
    svg = svg_of(render("{% status_bars rows %}", rows=ROWS))

    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == ids


def test_status_bars_legend_names_every_status():
    assert legend(render("{% status_bars rows %}", rows=ROWS)) == Status.labels


def test_status_bars_segments_say_label_status_and_count():
    figure = render("{% status_bars rows %}", rows=ROWS)

    assert "1. Accountability: Implemented – 12" in titles(figure)
    assert "2. Alternatives to detention: In progress – 5" in titles(figure)


def test_status_bars_link_labels_that_have_a_url():
    figure = render("{% status_bars rows %}", rows=ROWS)

    links = list(figure.iter(f"{SVG}a"))
    assert [link.get("href") for link in links] == ["/commitments/1/"]


def test_status_bars_are_scaled_to_the_largest_row_so_totals_compare():
    figure = render("{% status_bars rows %}", rows=ROWS)

    widths = {r.get("class"): float(r.get("width").rstrip("%")) for r in figure.iter(f"{SVG}rect")}
    assert widths["fill-no_information"] == 80  # 20 of the largest total, 25
    assert widths["fill-implemented"] == 48


def test_status_bars_use_no_inline_styles():
    html = Template("{% load charts %}{% status_bars rows %}{% status_timeline series %}").render(
        Context({"rows": ROWS, "series": SERIES})
    )

    assert "style=" not in html


def test_status_bars_grow_from_the_right_on_right_to_left_pages():
    ltr = render("{% status_bars rows %}", rows=ROWS)
    with translation.override("ar"):
        rtl = render("{% status_bars rows %}", rows=ROWS)

    # Planned (3 of 25) comes first in reading order, then implemented (12 of 25).
    assert segment_x(ltr, Status.PLANNED) == 0
    assert segment_x(ltr, Status.IMPLEMENTED) == 12
    assert segment_x(rtl, Status.PLANNED) == 88
    assert segment_x(rtl, Status.IMPLEMENTED) == 40
    assert svg_of(rtl).get("direction") == "rtl"


def test_coordinates_are_not_localised_with_a_decimal_comma():
    rows = [{"label": "A", "url": None, "counts": {Status.PLANNED: 1, Status.IMPLEMENTED: 2}}]
    with translation.override("fr"):
        figure = render("<div>{% status_bars rows %}{% status_timeline series %}</div>", rows=rows, series=SERIES)

    for rect in figure.iter(f"{SVG}rect"):
        for attribute in ("x", "y", "width", "height"):
            assert "," not in rect.get(attribute, "")


def test_status_table_has_a_caption_a_row_per_bar_and_a_column_per_status_and_total():
    table = render("{% status_table rows %}", rows=ROWS).find("table")

    assert table.find("caption").text
    header = ["".join(th.itertext()) for th in table.find("thead").iter("th")]
    assert header[1:] == [*Status.labels, "Total"]
    body = [["".join(cell.itertext()) for cell in tr] for tr in table.find("tbody").iter("tr")]
    assert body[0][0] == "1. Accountability"
    assert body[0][-1] == "15"
    assert body[1][1] == "20"
    assert table.find("tbody/tr/th/a").get("href") == "/commitments/1/"


def test_status_timeline_has_a_column_per_period_with_counts_in_titles():
    figure = render("{% status_timeline series %}", series=SERIES)

    svg = svg_of(figure)
    assert svg.get("role") == "img"
    assert len(svg.findall(f"{SVG}g")) == 3
    assert "2019: Planned – 4" in titles(figure)
    assert legend(figure) == Status.labels


def test_status_timeline_titles_are_translated_and_escape_the_period_and_status():
    series = {"periods": ["R&D <2019>", "2020"], "counts": [{Status.PLANNED: 4}, {Status.PLANNED: 5}]}
    with translation.override("fr"):
        figure = render("{% status_timeline series %}", series=series)  # parsed as XML: escaped
        planned = str(Status.PLANNED.label)

    assert f"R&D <2019> : {planned} – 4" in titles(figure)
    assert [text.text for text in figure.iter(f"{SVG}text")][1:] == ["R&D <2019>", "2020"]


def test_status_timeline_runs_from_the_right_on_right_to_left_pages():
    ltr = render("{% status_timeline series %}", series=SERIES)
    with translation.override("ar"):
        rtl = render("{% status_timeline series %}", series=SERIES)

    first_ltr = float(next(ltr.iter(f"{SVG}rect")).get("x").rstrip("%"))
    first_rtl = float(next(rtl.iter(f"{SVG}rect")).get("x").rstrip("%"))
    width = float(next(ltr.iter(f"{SVG}rect")).get("width").rstrip("%"))
    assert first_ltr < 50 < first_rtl
    assert first_rtl == pytest.approx(100 - first_ltr - width, abs=0.01)


def test_charts_accept_empty_data():
    assert render("{% status_bars rows %}", rows=[]) is not None
    assert render("{% status_timeline series %}", series={"periods": [], "counts": []}) is not None


# ---------------------------------------------------------------------------------------------
# World map


def map_shapes(figure: ET.Element, tag: str) -> dict[str, ET.Element]:
    return {shape.get("data-iso2"): shape for shape in figure.iter(f"{SVG}{tag}") if shape.get("data-iso2")}


@pytest.fixture(scope="module")
def world():
    return render("{% world_map colours %}", colours={"FR": Status.IMPLEMENTED, "TV": Status.PLANNED})


def test_world_map_is_an_image_whose_label_points_to_the_table(world):
    svg = svg_of(world)

    assert svg.get("role") == "img"
    assert "table below" in svg.get("aria-label")


def test_world_map_colours_france_and_names_it_with_its_status(world):
    france = map_shapes(world, "use")["FR"]

    assert france.get("class") == "fill-implemented"
    assert france.find(f"{SVG}title").text == "France: Implemented"
    assert france.get("href") == "/static/map/world.svg#FR"


def test_world_map_draws_shapes_from_the_static_file_not_inline(world):
    assert not list(world.iter(f"{SVG}path"))
    assert svg_of(world).find(f"{SVG}use").get("href") == "/static/map/world.svg#other"


def test_every_shape_the_map_uses_is_in_the_geometry_file(world):
    shapes = ET.parse(Path(settings.BASE_DIR) / "static" / WORLD_SHAPES).getroot()
    paths = {path.get("id"): path for path in shapes.iter(f"{SVG}path")}
    used = {use.get("href").partition("#")[2] for use in world.iter(f"{SVG}use")}

    assert used == set(paths)
    assert all(path.get("d").startswith("M") and not path.get("fill") for path in paths.values())


def test_world_map_marks_tuvalu_which_the_geometry_lacks_with_a_dot(world):
    assert "TV" not in map_shapes(world, "use")
    tuvalu = map_shapes(world, "circle")["TV"]
    assert tuvalu.get("class") == "map-marker fill-planned"
    assert tuvalu.find(f"{SVG}title").text == "Tuvalu: Planned"


def test_world_map_shows_states_without_data_in_a_neutral_fill(world):
    kenya = map_shapes(world, "use")["KE"]

    assert kenya.get("class") == "fill-none"
    assert kenya.find(f"{SVG}title").text == "Kenya: No data"


def test_every_state_in_the_fixtures_has_a_shape_or_a_dot_on_the_map(world):
    fixture = json.loads((Path(settings.BASE_DIR) / "fixtures" / "states.json").read_text())
    codes = {record["fields"]["iso2"] for record in fixture if record["model"] == "recommendations.state"}
    on_map = set(map_shapes(world, "use")) | set(map_shapes(world, "circle"))

    assert len(codes) == 195
    assert codes <= on_map


def test_the_map_file_agrees_with_the_state_table_on_numeric_codes(db):
    numeric = dict(State.objects.values_list("iso2", "numeric"))

    assert {iso2: shape["numeric"] for iso2, shape in world_geometry()["states"].items()} == numeric


def test_very_small_states_get_a_dot_as_well_as_their_shape(world):
    dots = map_shapes(world, "circle")

    assert {"VA", "MC", "SM", "LI", "MT", "SG"} <= set(dots)
    assert "FR" not in dots


def test_world_map_prints_the_un_disclaimer(world):
    text = " ".join(world.itertext())

    assert (
        "The boundaries and names shown and the designations used on this map do not imply official "
        "endorsement or acceptance by the United Nations."
    ) in text


def test_world_map_legend_names_every_status_and_no_data(world):
    assert legend(world) == [*Status.labels, "No data"]


def test_world_map_rejects_an_unknown_status():
    with pytest.raises(ValueError):
        Template("{% load charts %}{% world_map colours %}").render(Context({"colours": {"FR": "done"}}))


def test_generated_map_files_stay_small():
    assert (Path(settings.BASE_DIR) / "static" / WORLD_SHAPES).stat().st_size < 600_000
    assert WORLD_MAP_FILE.stat().st_size < 30_000


def test_the_map_markup_stays_small(world):
    assert len(ET.tostring(world)) < 40_000


def test_world_map_names_states_and_statuses_in_the_pages_language():
    with translation.override("fr"):
        figure = render("{% world_map colours %}", colours={"DE": Status.IMPLEMENTED, "PS": Status.PLANNED})
        germany, palestine = map_shapes(figure, "use")["DE"], map_shapes(figure, "use")["PS"]
        assert germany.find(f"{SVG}title").text == f"Allemagne : {Status.IMPLEMENTED.label}"
        assert palestine.find(f"{SVG}title").text.startswith("État de Palestine : ")
