"""What is known first (issue 19), drawn on the server: `{% load known %}{% known_first_chart rows track as_of %}`
gives, per commitment, a headline in words, a thin bar of the share of states with any
information and a bar of their statuses (`known_first`), as markup built here with `format_html`
(every value escaped, every word translated) rather than by a template loop (issue 18: 2).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from recommendations.choices import Status, Track

from .charts import _new_id, _pct, _x

register = template.Library()


def _known_headline(counts: dict, total: int, track: str, as_of) -> str:
    """ "18 of 195 states have reported; of those, 2 implemented, 6 in progress and 1 not started.",
    the most advanced status first."""
    known = total - counts.get(Status.NO_INFORMATION, 0)
    if not known:
        if track == Track.ASSESSED:
            return _("No state had been assessed yet.") if as_of else _("No state has been assessed yet.")
        return _("No state had reported yet.") if as_of else _("No state has reported yet.")
    if track == Track.ASSESSED:
        lead = (
            ngettext(
                "%(known)s of %(total)s states had been assessed",
                "%(known)s of %(total)s states had been assessed",
                known,
            )
            if as_of
            else ngettext(
                "%(known)s of %(total)s states has been assessed",
                "%(known)s of %(total)s states have been assessed",
                known,
            )
        )
    else:
        lead = (
            ngettext("%(known)s of %(total)s states had reported", "%(known)s of %(total)s states had reported", known)
            if as_of
            else ngettext(
                "%(known)s of %(total)s states has reported", "%(known)s of %(total)s states have reported", known
            )
        )
    parts = [
        _("%(count)s %(status)s") % {"count": counts[status.value], "status": str(status.label).lower()}
        for status in reversed(KNOWN_STATUSES)
        if counts.get(status.value)
    ]
    listed = (
        parts[0]
        if len(parts) == 1
        else _("%(first)s and %(last)s")
        % {
            "first": ", ".join(parts[:-1]),
            "last": parts[-1],
        }
    )
    return _("%(lead)s; of those, %(list)s.") % {"lead": lead % {"known": known, "total": total}, "list": listed}


# Statuses that say something is known, from least to most advanced (not applicable first, as the
# status ladder has it: it is known, but not progress).
KNOWN_STATUSES = [status for status in Status if status != Status.NO_INFORMATION]


def known_first(rows, track=Track.REPORTED, as_of=None):
    """What is known first: per row (commitment), a headline in words, a thin coverage bar (the
    share of all states with any information) and a bar of the statuses reported, scaled to the
    largest number of states with information on any row, so that the known part is not a sliver
    beside the "no information" majority. `rows` as for `status_bars`."""
    rtl = get_language_bidi()
    labels = {status.value: str(status.label) for status in Status}
    known_of = [sum(n for s, n in row["counts"].items() if s != Status.NO_INFORMATION) for row in rows]
    largest = max(known_of, default=0) or 1
    items = []
    for row, known in zip(rows, known_of, strict=True):
        counts = row["counts"]
        total = sum(counts.values())
        segments, start = [], 0.0
        for status in KNOWN_STATUSES:
            count = counts.get(status.value, 0)
            if not count:
                continue
            width = 100 * count / largest
            segments.append(
                {
                    "value": status.value,
                    "label": labels[status.value],
                    "count": count,
                    "x": _x(start, width, rtl),
                    "width": _pct(width),
                }
            )
            start += width
        coverage = 100 * known / total if total else 0
        items.append(
            {
                "label": row["label"],
                "url": row.get("url"),
                "id": _new_id("known"),
                "headline": _known_headline(counts, total, track, as_of),
                "known": known,
                "total": total,
                "coverage_x": _x(0, coverage, rtl),
                "coverage_width": _pct(coverage),
                "coverage_percent": round(coverage),
                "segments": segments,
                "outline_x": _x(0, start, rtl),
                "outline_width": _pct(start),
            }
        )
    return {
        "items": items,
        "largest": largest,
        "statuses": [{"value": s.value, "label": labels[s.value]} for s in KNOWN_STATUSES],
    }


@register.simple_tag
def known_first_chart(rows, track=Track.REPORTED, as_of=None) -> str:
    """The chart of `known_first(rows, track, as_of)`, as its template gave it."""
    chart = known_first(rows, track, as_of)
    # blocktranslate left its sentences unescaped and escaped only the values put into them.
    legend = format_html(
        '<div class="known-first">\n<ul class="chart-legend known-legend" aria-label="{}">\n'
        '  <li><span class="swatch coverage-known"></span>{}</li>\n  <li>{}</li>\n  {}\n</ul>\n',
        _("Legend"),
        mark_safe(_("Thin bar: the share of all states with any information")),
        mark_safe(
            ngettext(
                "Thick bar: the statuses of the states with information, drawn to the scale of the longest "
                "(%(largest)s state)",
                "Thick bar: the statuses of the states with information, drawn to the scale of the longest "
                "(%(largest)s states)",
                chart["largest"],
            )
            % {"largest": chart["largest"]}
        ),
        format_html_join(
            "", '<li><span class="swatch fill-{}"></span>{}</li>', ((s["value"], s["label"]) for s in chart["statuses"])
        ),
    )
    return mark_safe(legend + '<ol class="known-list">' + "".join(map(_item, chart["items"])) + "\n</ol>\n</div>\n")


def _item(item) -> str:
    title = (
        format_html('<a href="{}"><bdi>{}</bdi></a>', item["url"], item["label"])
        if item["url"]
        else format_html("<bdi>{}</bdi>", item["label"])
    )
    known = ""
    if item["known"]:
        covered = mark_safe(
            _("%(known)s of %(total)s states with information (%(percent)s%%)")
            % {"known": item["known"], "total": item["total"], "percent": item["coverage_percent"]}
        )
        known = format_html(
            '<rect class="coverage-known" x="{}" y="1" width="{}" height="8"><title>{}</title></rect>\n'
            '      <rect class="chart-track" x="{}" y="15" width="{}" height="20"/>',
            item["coverage_x"],
            item["coverage_width"],
            covered,
            item["outline_x"],
            item["outline_width"],
        )
    segments = format_html_join(
        "",
        '<rect class="fill-{}" x="{}" y="15" width="{}" height="20"><title>{}: {}</title></rect>',
        ((s["value"], s["x"], s["width"], s["label"], s["count"]) for s in item["segments"]),
    )
    return format_html(
        '\n  <li>\n    <h3 class="known-title">{}</h3>\n'
        '    <p class="known-headline" id="{}-headline">{}</p>\n'
        '    <svg class="known-bars" xmlns="http://www.w3.org/2000/svg" width="100%" height="36" role="img" '
        'aria-labelledby="{}-headline">\n'
        '      <rect class="coverage-track" x="0" y="1" width="100%" height="8"/>\n'
        "      {}\n      {}\n    </svg>\n  </li>",
        title,
        item["id"],
        item["headline"],
        item["id"],
        known,
        segments,
    )
