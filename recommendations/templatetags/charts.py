"""Charts and the world map, drawn on the server as inline SVG: no JavaScript.

`{% load charts %}` then:

- `{% status_bars rows %}`: one horizontal stacked bar per row, rows being
  `{"label": str, "url": str | None, "counts": {status: int}}` (see public/queries.commitment_status_rows);
- `{% status_table rows %}`: the same figures as a table, for people who cannot see the chart;
- `{% status_timeline series %}`: stacked columns over time, `{"periods": [label, ...], "counts": [{status: n}, ...]}`;
- `{% world_map colours %}`: states coloured by status, `colours` mapping ISO alpha-2 to a status.

Colours come from the `fill-<status>` classes in static/css/site.css, never from the colour alone:
every segment, column and country carries a <title> with its label and count, a legend names each
colour, and the caller puts `status_table` (or another table) next to each chart.

The map's geometry is not in the page: each state is a `<use>` of its path in static/map/world.svg,
one file (240 KB, 40 KB compressed) that browsers fetch once and cache under its hashed name, so a
page with the map carries only the states' colours and names. Browsers follow a `<use>` only to
the page's own origin: static files must not move to another host.

Bars and columns are laid out in percentages of the chart's width rather than in a viewBox, so text
stays at the page's font size on a phone; on right-to-left pages x positions are mirrored.
"""

import itertools
import json
import textwrap
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from recommendations.choices import Status
from recommendations.models import localized_state_name

register = template.Library()

WORLD_MAP_FILE = Path(settings.BASE_DIR) / "static" / "map" / "world.json"
WORLD_SHAPES = "map/world.svg"  # a static file: <path id="FR"> per state, and id="other"

# Ids tie each <svg> to its own <title> and <desc>; unique within a page is all that is needed.
_chart_ids = itertools.count(1)

# Bar chart geometry, in CSS pixels (the bars' lengths are percentages).
LABEL_LINE = 18
LABEL_WIDTH = 46  # characters per label line: what fits a 360 px wide phone at the page's font size
BAR_HEIGHT = 20
ROW_GAP = 14

# Column chart geometry, in CSS pixels.
PLOT_HEIGHT = 160
PLOT_TOP = 20
AXIS_LABELS = 22

MARKER_RADIUS = 8  # world map dots, in map units (the map is 2000 units wide)


def _statuses():
    return [{"value": status.value, "label": status.label} for status in Status]


def _num(value: float) -> str:
    """A coordinate as SVG wants it: templates would localise a float ("35,5" in French) and break it."""
    return f"{round(value, 3):g}"


def _pct(value: float) -> str:
    return _num(value) + "%"


def _x(start: float, width: float, rtl: bool) -> str:
    """Left edge of a span that starts `start` percent from the reading-order start."""
    return _pct(100 - start - width if rtl else start)


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_chart_ids)}"


@register.inclusion_tag("charts/status_bars.html")
def status_bars(rows, title="", desc=""):
    """Horizontal stacked bars, one per row, scaled to the largest row total so sizes compare."""
    rtl = get_language_bidi()
    statuses = _statuses()
    largest = max((sum(row["counts"].values()) for row in rows), default=0) or 1
    bars = []
    y = 0
    for row in rows:
        counts = row["counts"]
        lines = textwrap.wrap(str(row["label"]), LABEL_WIDTH, max_lines=2, placeholder="…") or [""]
        label_y = [_num(y + LABEL_LINE * (i + 1) - 4) for i in range(len(lines))]
        bar_y = y + LABEL_LINE * len(lines) + 2
        segments = []
        start = 0.0
        for status in statuses:
            count = counts.get(status["value"], 0)
            if not count:
                continue
            width = 100 * count / largest
            segments.append({**status, "count": count, "x": _x(start, width, rtl), "width": _pct(width)})
            start += width
        bars.append(
            {
                "label": row["label"],
                "lines": list(zip(lines, label_y, strict=True)),
                "url": row.get("url"),
                "y": _num(bar_y),
                "total": sum(counts.values()),
                "outline_x": _x(0, start, rtl),
                "outline_width": _pct(start),
                "segments": segments,
            }
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return {
        "id": _new_id("bars"),
        "title": title or _("Number of states at each status"),
        "desc": desc
        or _("One bar per row, split by status. The table that goes with this chart gives the same figures."),
        "rtl": rtl,
        "label_x": "100%" if rtl else "0",
        "height": _num(max(y - ROW_GAP, 1)),
        "bar_height": _num(BAR_HEIGHT),
        "bars": bars,
        "statuses": statuses,
    }


@register.inclusion_tag("charts/status_table.html")
def status_table(rows, caption="", row_header=""):
    """The figures of `status_bars` as a table: one row per bar, one column per status, and a total.

    The body's rows are built here (a timeline's table has 24 rows of 8 cells: a template loop
    over them cost more than the rest of the table)."""
    statuses = _statuses()
    shown = {}  # each number localized once: the same few counts fill most of the cells

    def number(n):
        if n not in shown:
            shown[n] = localize(n)
        return shown[n]

    body = []
    for row in rows:
        label = conditional_escape(row["label"])
        url = row.get("url")
        head = f'<a href="{conditional_escape(url)}">{label}</a>' if url else label
        cells = "".join(f'<td class="num">{number(row["counts"].get(status["value"], 0))}</td>' for status in statuses)
        total = number(sum(row["counts"].values()))
        body.append(f'\n    <tr><th scope="row">{head}</th>{cells}<td class="num">{total}</td></tr>')
    return {
        "caption": caption or _("Number of states at each status"),
        "row_header": row_header or _("Item"),
        "statuses": statuses,
        # Labels and links escaped above, the cells are numbers.
        "body": mark_safe("".join(body)),
    }


@register.inclusion_tag("charts/status_timeline.html")
def status_timeline(series, title="", desc=""):
    """Stacked columns, one per period, for progress over time. The earliest period reads first."""
    rtl = get_language_bidi()
    statuses = [{**status, "escaped": conditional_escape(status["label"])} for status in _statuses()]
    periods = list(series["periods"])
    counts = list(series["counts"])
    largest = max((sum(c.values()) for c in counts), default=0) or 1
    slot = 100 / max(len(periods), 1)
    column_width = slot * 0.6
    # Label every period while eight fit a phone; beyond that every n-th, and always the last.
    step = max(1, -(-len(periods) // 8))
    label_y = _num(PLOT_TOP + PLOT_HEIGHT + AXIS_LABELS - 6)
    # Each segment's title, as the template's blocktranslate gave it: its values localized and escaped.
    titled = _("%(period)s: %(status)s – %(count)s")
    columns = []
    for index, (period, by_status) in enumerate(zip(periods, counts, strict=True)):
        start = index * slot + (slot - column_width) / 2
        x, width, shown_period = _x(start, column_width, rtl), _pct(column_width), conditional_escape(period)
        bottom = PLOT_TOP + PLOT_HEIGHT
        column = ['\n  <g class="chart-column">']
        for status in statuses:
            count = by_status.get(status["value"], 0)
            if not count:
                continue
            height = PLOT_HEIGHT * count / largest
            bottom -= height
            named = titled % {"period": shown_period, "status": status["escaped"], "count": localize(count)}
            column.append(
                f'\n    <rect class="fill-{status["value"]}" x="{x}" y="{_num(bottom)}" width="{width}" '
                f'height="{_num(height)}"><title>{named}</title></rect>'
            )
        if index % step == 0 or index == len(periods) - 1:
            centre = _x(index * slot + slot / 2, 0, rtl)
            column.append(
                f'\n    <text class="chart-axis" x="{centre}" y="{label_y}" text-anchor="middle">{shown_period}</text>'
            )
        column.append("\n  </g>")
        columns.append("".join(column))
    return {
        "id": _new_id("timeline"),
        "title": title or _("Number of states at each status over time"),
        "desc": desc
        or _("One column per period, split by status. The table that goes with this chart gives the same figures."),
        "rtl": rtl,
        "axis_x": "100%" if rtl else "0",
        "largest": largest if counts else 0,
        "top": _num(PLOT_TOP),
        "axis_label_y": _num(PLOT_TOP - 6),
        "baseline": _num(PLOT_TOP + PLOT_HEIGHT),
        "height": _num(PLOT_TOP + PLOT_HEIGHT + AXIS_LABELS),
        # Built here, as the table's body is: a template loop over 24 columns of segments, each
        # with its translated title, cost more than the rest of the chart.
        "columns": mark_safe("".join(columns)),
        "statuses": statuses,
    }


@cache
def world_geometry() -> dict:
    """What the map knows of each state (name, whether it has a shape, where its dot goes), drawn
    by tools/map/build.mjs and read once per process."""
    return json.loads(WORLD_MAP_FILE.read_text(encoding="utf-8"))


def map_rows(shapes_url: str, states) -> tuple[str, str]:
    """The map's <use> shapes and <circle> dots, one a state, as markup built here rather than by a
    template loop over ~200 states (a third of the time of a page with a map). `states`: (iso2,
    CSS class, tooltip) in the geometry's order; the tooltip is escaped here."""
    geometry = world_geometry()["states"]
    href = escape(shapes_url)
    shapes, markers = [], []
    for iso2, css, title in states:
        shape = geometry[iso2]
        title = escape(title)
        if shape["shape"]:
            shapes.append(
                f'\n  <use class="{css}" href="{href}#{iso2}" data-iso2="{iso2}"><title>{title}</title></use>'
            )
        if shape["marker"]:
            cx, cy = _num(shape["marker"][0]), _num(shape["marker"][1])
            markers.append(
                f'\n  <circle class="map-marker {css}" cx="{cx}" cy="{cy}" r="{_num(MARKER_RADIUS)}" '
                f'data-iso2="{iso2}"><title>{title}</title></circle>'
            )
    # Every value is escaped above (the titles) or is the geometry's own (codes, numbers).
    return mark_safe("".join(shapes)), mark_safe("".join(markers))


@register.inclusion_tag("charts/world_map.html")
def world_map(colours, label=""):
    """States coloured by status; states too small to see also get a dot. `colours`: alpha-2 -> status."""
    geometry = world_geometry()
    # Translated once here rather than once per state as the template renders each.
    labels = {status.value: str(status.label) for status in Status}
    no_data = _("No data")
    tooltip = _("%(state)s: %(status)s")
    rows = []
    for iso2, shape in geometry["states"].items():
        status = colours.get(iso2)
        css = f"fill-{Status(status).value}" if status else "fill-none"
        # The tooltip: "France: Implemented", in the page's language.
        title = tooltip % {
            "state": localized_state_name(iso2, shape["name"]),
            "status": labels[status] if status else no_data,
        }
        rows.append((iso2, css, title))
    shapes_url = static(WORLD_SHAPES)
    states, markers = map_rows(shapes_url, rows)
    return {
        "id": _new_id("map"),
        "label": label or _("World map of states by status. The table below gives the same data."),
        "width": _num(geometry["width"]),
        "height": _num(geometry["height"]),
        "shapes": shapes_url,
        "states": states,
        "markers": markers,
        "statuses": _statuses(),
    }
