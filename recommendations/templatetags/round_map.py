"""A reporting round's world map (issue 20, item 3): each state in the round coloured by how far it
got (reported every item, reported some, not started), the others drawn as not in the round.
Server-side SVG, the shapes from the same cached file as the status map (`charts.world_map`).

`{% load round_map %}` then `{% round_map progresses %}`, `progresses` being `rounds.progress(round)`.
The page's table by regional group is the map's text alternative.
"""

from django import template
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recommendations.models import localized_state_name
from recommendations.review.round_figures import NOTHING, standing

from .charts import WORLD_SHAPES, _new_id, _num, map_rows, world_geometry

register = template.Library()


@register.inclusion_tag("charts/round_map.html")
def round_map(progresses):
    by_iso2 = {progress.state.iso2: progress for progress in progresses}
    words = {
        "reported": _("Reported every item"),
        "partly": _("Reported some items"),
        "not_started": _("Not started"),
        "outside": _("Not in this round"),
    }
    per_standing = dict.fromkeys(words, 0)
    geometry = world_geometry()
    rows = []
    for iso2, shape in geometry["states"].items():
        name = localized_state_name(iso2, shape["name"])
        if iso2 not in by_iso2:
            rows.append((iso2, "fill-none", _("%(state)s: not in this round") % {"state": name}))
            continue
        progress = by_iso2[iso2]
        where = standing(progress)
        if where == NOTHING:
            per_standing["outside"] += 1
            rows.append((iso2, "fill-none", _("%(state)s: nothing to report in this round") % {"state": name}))
            continue
        per_standing[where] += 1
        title = ngettext(
            "%(state)s: %(reported)s of %(items)s item reported",
            "%(state)s: %(reported)s of %(items)s items reported",
            progress.items,
        ) % {"state": name, "reported": progress.reported, "items": progress.items}
        rows.append((iso2, f"round-{where}", title))
    shapes_url = static(WORLD_SHAPES)
    shapes, markers = map_rows(shapes_url, rows)
    nothing = per_standing["outside"]
    per_standing["outside"] = len(rows) - sum(n for key, n in per_standing.items() if key != "outside")
    if nothing:
        words["outside"] = _("Not in this round, or nothing to report")
    return {
        "id": _new_id("round"),
        "label": _(
            "World map of the states in this round, by how far each has reported. "
            "The tables by regional group give the same figures."
        ),
        "width": _num(geometry["width"]),
        "height": _num(geometry["height"]),
        "shapes_url": shapes_url,
        "states": shapes,
        "markers": markers,
        "legend": [
            {"css": "fill-none" if key == "outside" else f"round-{key}", "label": label, "count": per_standing[key]}
            for key, label in words.items()
        ],
    }
