"""The state list's overview (issue 19): a world map of how much is known about each state, and the
same figures by UN regional group. Server-side SVG, no JavaScript, the shapes from the same cached
file as the status map (`charts.world_map`).

`{% load coverage %}` then `{% coverage_map states measure total %}`, `states` being the state list's
rows (selectors.state_list), `measure` a key of public.queries.STATE_MAP_MEASURES, `total` the number of commitments.
"""

from django import template
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recommendations.models import localized_state_name
from recommendations.public.queries import STATE_MAP_MEASURES, state_map_measure

from .charts import WORLD_SHAPES, _new_id, _num, map_rows, world_geometry

register = template.Library()


def _bucket(count: int, total: int) -> int:
    """0 none, 1 up to a third, 2 up to two thirds, 3 more, 4 every commitment."""
    if count <= 0:
        return 0
    if count >= total:
        return 4
    return 1 + min(2, (3 * (count - 1)) // max(total - 1, 1))


def _bucket_labels(total: int) -> list[str]:
    """Each bucket's range of counts, read from `_bucket` itself ("" for a bucket no count falls in)."""
    ranges: dict[int, list[int]] = {}
    for count in range(1, total):
        ranges.setdefault(_bucket(count, total), []).append(count)
    middle = [
        (_("%(low)s to %(high)s") % {"low": r[0], "high": r[-1]} if len(r) > 1 else str(r[0])) if r else ""
        for r in (ranges.get(bucket) for bucket in (1, 2, 3))
    ]
    return [_("None"), *middle, ngettext("All %(count)s", "All %(count)s", total) % {"count": total}]


@register.inclusion_tag("charts/coverage_map.html")
def coverage_map(states, measure, total):
    field, on_what = STATE_MAP_MEASURES[state_map_measure(measure)]
    counts = {state.iso2: getattr(state, field) for state in states}
    geometry = world_geometry()
    rows = []
    per_bucket = [0] * 5
    # Translated once a map, not once a state.
    counted, not_selected = _("%(state)s: %(count)s of %(total)s commitments"), _("%(state)s: not in this selection")
    for iso2, shape in geometry["states"].items():
        name = localized_state_name(iso2, shape["name"])
        if iso2 in counts:
            count = counts[iso2]
            bucket = _bucket(count, total)
            per_bucket[bucket] += 1
            css = f"cov-{bucket}"
            title = counted % {"state": name, "count": count, "total": total}
        else:
            css, title = "fill-none", not_selected % {"state": name}
        rows.append((iso2, css, title))
    shapes_url = static(WORLD_SHAPES)
    shapes, markers = map_rows(shapes_url, rows)
    labels = _bucket_labels(total)
    return {
        "id": _new_id("coverage"),
        "label": _(
            "World map: for each state, the number of commitments on which %(what)s. The tables give the same figures."
        )
        % {"what": on_what},
        "width": _num(geometry["width"]),
        "height": _num(geometry["height"]),
        "shapes_url": shapes_url,
        "states": shapes,
        "markers": markers,
        "legend": [{"css": f"cov-{i}", "label": labels[i], "count": per_bucket[i]} for i in range(5) if labels[i]],
        "caption": _("Commitments on which %(what)s") % {"what": on_what},
    }
