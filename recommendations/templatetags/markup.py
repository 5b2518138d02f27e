"""The markup of the public pages' long lists, built in Python with `format_html` (every value
escaped, every word translated in the active language) rather than by a template per row (issue
18: 2): the implementation table's rows, the published evidence items, a public history's entries,
the state list's rows, a list of recommendations, the dashboard's events; and the two filters they share, `display` and
`time_element` (`tables.py` registers them). Each builds, byte for byte, what the template it
replaced rendered (checked on the full-scale benchmark pages in four languages;
tests/test_table_rows.py); a template per row of the state list's 195 was more than half of that
page's time. The tags that use them are in `tables.py`.
"""

import datetime
import html
from functools import cache, lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from gcmtracker.reverse import code_reverser

from .tracker import fuzzy_date, status_badge


def _escape(value) -> str:
    """`conditional_escape`, without its lazy-argument wrapper (a third of a row's time): a value
    that knows its HTML gives it, anything else is escaped as `django.utils.html.escape` does."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(format_string: str, *args) -> SafeString:
    """`django.utils.html.format_html` (positional arguments), every argument through `_escape`:
    the same markup, at some 2,000 arguments a page of rows."""
    return SafeString(format_string.format(*map(_escape, args)))


@cache
def _choice_labels(model, field_name: str, language: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def display(instance, field_name: str):
    """The label of a field with choices, as `instance.get_<field_name>_display()` gives it."""
    value = getattr(instance, field_name)
    return _choice_labels(type(instance), field_name, get_language()).get(value, value)


# Days repeat across rows and pages; a bounded cache keeps a busy process from growing.
@lru_cache(maxsize=4096)
def _time_element(day: datetime.date, format_name: str, language: str) -> str:
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, format_name))


def time_element(value, format_name: str = "SHORT_DATE_FORMAT", language: str | None = None):
    """A date, or a datetime on its day in the current time zone, in a <time> element; "" for none.
    `language`: the active one, when the caller has read it already."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return _time_element(value, format_name, language or get_language())


def _implementation_row(i, *, item_column: bool, evidence_href, words: dict) -> str:
    """One row of `recommendations/_implementation_table.html`, built here rather than by a template:
    it is the longest table of the commitment and state pages (50 and 35 rows), and a template per
    row was a fifth of their rendering time. Every text is escaped (format_html), every label
    translated (the words and the tables filters, in the active language)."""
    if item_column:
        item = i.commitment if i.commitment_id else i.recommendation
        head = format_html('<th scope="row"><a href="{}">{}</a></th>\n    ', item.get_absolute_url(), item)
    else:
        head = format_html(
            '<th scope="row"><a href="{}">{}</a></th>\n    <td>{}</td>',
            i.state.get_absolute_url(),
            i.state.localized_name,
            display(i.state, "regional_group"),
        )
    disagrees = i.disagrees
    differs = format_html(' <span class="flag flag-disagree">{}</span>', words["differs"]) if disagrees else ""
    lead = format_html("<bdi>{}</bdi>", i.lead_agency) if i.lead_agency else "—"
    stale = (
        format_html(' <span class="flag flag-warn">{}</span>', words["out_of_date"])
        if getattr(i, "out_of_date", False)
        else ""
    )
    count = getattr(i, "evidence_count", 0)
    evidence = (
        format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>', evidence_href(i), count, words["pieces"]
        )
        if count
        else "0"
    )
    return format_html(
        "<tr{}>\n    {}\n    <td>{}</td>\n    <td>{}{}</td>\n    <td>{}</td>\n    <td>{}</td>\n"
        '    <td>{}</td>\n    <td>{}{}</td>\n    <td class="num">{}</td>\n  </tr>',
        mark_safe(' class="disagrees"') if disagrees else "",
        head,
        status_badge(i.status),
        status_badge(i.assessment),
        differs,
        display(i, "position"),
        lead,
        time_element(i.last_reviewed) or "—",
        time_element(getattr(i, "last_evidenced", None)) or "—",
        stale,
        evidence,
    )


def _evidence_link(item) -> str:
    """What `recommendations/_evidence_link.html` renders (the title, isolated; a web link's host)."""
    if item.url:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow"><bdi>{}</bdi></a>'
            ' <span class="muted evidence-host">({})</span>',
            item.url,
            item.title,
            item.url_host,
        )
    if item.file:
        return format_html('<a href="{}"><bdi>{}</bdi></a>', item.get_download_url(), item.title)
    return format_html("<bdi>{}</bdi>", item.title)


def _evidence_item(item, *, from_state=None, about=None) -> str:
    """One item of the published evidence list, built here rather than by a template (25 a page on
    the state and commitment pages), as `_evidence_item.html` rendered it: its link,
    then the state it is from (a commitment's page) or the item it is about (a state's page), its
    kind, date and publication date, and its description; escaped and translated."""
    context = ""
    if from_state is not None:
        context += format_html('· <a href="{}">{}</a> ', from_state.get_absolute_url(), from_state.localized_name)
    if about is not None:
        if about.commitment_id:
            label = gettext("Commitment %(number)s") % {"number": conditional_escape(about.commitment.number)}
            url = about.commitment.get_absolute_url()
        else:
            label = gettext("Recommendation %(code)s") % {"code": conditional_escape(about.recommendation.code)}
            url = about.recommendation.get_absolute_url()
        context += format_html('· <a href="{}">{}</a> ', url, mark_safe(label))  # the translation is the template's
    context += format_html("· {}", display(item, "kind"))
    if item.date:
        context += format_html(" · {}", time_element(item.date, "DATE_FORMAT"))
    if item.published_at:
        day = conditional_escape(date_format(timezone.localtime(item.published_at), "SHORT_DATE_FORMAT"))
        context += " · " + gettext("published %(date)s") % {"date": day}
    description = format_html("<br><bdi>{}</bdi>", item.description) if item.description else ""
    return format_html(
        '<li>\n  {}\n\n  <span class="muted">{}</span>\n  {}\n</li>\n',
        _evidence_link(item),
        mark_safe(context),  # built of escaped parts above
        description,
    )


def _item_link(implementation) -> str:
    """A link to the commitment or recommendation an implementation is about, named as the templates name it."""
    if implementation.commitment_id:
        number = implementation.commitment.number
        url, label = reverse("recommendations:commitment-detail", args=[number]), gettext("Commitment %(number)s")
        return format_html('<a href="{}">{}</a>', url, mark_safe(label % {"number": conditional_escape(number)}))
    code = implementation.recommendation.code
    url, label = reverse("recommendations:recommendation-detail", args=[code]), gettext("Recommendation %(code)s")
    return format_html('<a href="{}">{}</a>', url, mark_safe(label % {"code": conditional_escape(code)}))


def _change(update, *, show_state: bool) -> str:
    """One status update of a public history (a state's page, the dashboard's latest changes),
    built here rather than by a template (25 a page), as `_change.html` rendered it: its date, its
    state (`show_state`) and item, the track, the move (or "confirmed, unchanged"), the author's
    role, the public rationale and the published evidence; escaped and translated."""
    implementation = update.implementation
    state = ""
    if show_state:
        url = reverse("recommendations:state-detail", args=[implementation.state.iso2])
        state = format_html('· <a href="{}">{}</a>', url, implementation.state.localized_name)
    # The interface's own words, as {% translate %} gives them: not escaped (they hold no markup).
    track = gettext("Secretariat's assessment") if update.track == "assessed" else gettext("State's report")
    track = mark_safe(track)
    if update.previous_status == update.status:
        move = format_html(
            '{} <span class="muted">{}</span>', status_badge(update.status), mark_safe(gettext("confirmed, unchanged"))
        )
    else:
        move = format_html(
            '{} <span aria-hidden="true">→</span><span class="visually-hidden">{}</span> {}',
            status_badge(update.previous_status),
            mark_safe(gettext("changed to")),
            status_badge(update.status),
        )
    role = ""
    if update.author_role:
        by = gettext("by a %(role)s") % {"role": conditional_escape(update.get_author_role_display())}
        role = format_html('<span class="muted">({})</span>', mark_safe(by))
    rationale = format_html('<p class="rationale" dir="auto">{}</p>', update.rationale) if update.rationale else ""
    evidence = ""
    if update.public_evidence:
        links = mark_safe("; ".join(_evidence_link(item) + "\n" for item in update.public_evidence))
        evidence = format_html('<p class="muted">{} {}</p>', mark_safe(gettext("Evidence:")), links)
    return format_html(
        '<li>\n  <p class="change-head">{}\n  {}\n  · {}</p>\n  <p>{}:\n    {}\n    {}</p>\n  {}\n  {}\n</li>\n',
        time_element(update.effective_date, "DATE_FORMAT"),
        state,
        _item_link(implementation),
        track,
        move,
        role,
        rationale,
        evidence,
    )


def state_row_words(model) -> dict:
    """What every row of the state list shares, read once a table in the active language: the
    observer marker, the states' link, the regional groups' labels (`model`: State)."""
    language = get_language()
    return {
        "language": language,
        "observer": gettext("observer State"),
        "url": code_reverser("recommendations:state-detail"),
        "groups": _choice_labels(model, "regional_group", language),
    }


def _state_row(state, words: dict) -> str:
    """One row of the state list, built here rather than by a template (195 a page); `words`:
    `state_row_words`, once a table."""
    marker = (
        format_html(' <span class="muted">({})</span>', words["observer"]) if state.membership == "observer" else ""
    )
    return format_html(
        '<tr>\n    <th scope="row"><a href="{}">{}</a>{}</th>\n    <td>{}</td>\n    <td class="num">{}</td>\n'
        '    <td class="num">{}</td>\n    <td class="num">{}</td>\n    <td>{}</td>\n  </tr>',
        words["url"](state.iso2),
        state.localized_name,
        marker,
        words["groups"].get(state.regional_group, state.regional_group),
        state.commitments_reported,
        state.commitments_implemented,
        state.public_evidence,
        time_element(state.last_update, language=words["language"]) or "—",
    )


def _source_text(item, language: str) -> str:
    """What `includes/_source_text.html` renders with note=False: the source's words, and their
    official translation in the page's language when there is one."""
    quoted = format_html('<blockquote class="source" lang="en" dir="ltr"><p>{}</p></blockquote>\n', item.text)
    if language != "en" and item.official_translation:
        quoted += format_html(
            '<div class="official-translation"><p class="source-note">{}</p><blockquote class="source" lang="{}">'
            "<p>{}</p></blockquote></div>\n",
            mark_safe(gettext("Official translation")),
            language,
            item.official_translation,
        )
    return quoted + "\n"


def _recommendation_item(recommendation, *, show_source: bool, numbered: bool, words: dict) -> str:
    """One item of a list of recommendations (the recommendations browser, a document's and an
    event's pages), with its sub-items, as `_recommendation_item.html` rendered it; escaped, and
    translated in the active language (`words`: the list's repeated words, translated once)."""
    r = recommendation
    value = format_html(' value="{}"', r.order) if numbered else ""
    year = ""
    if r.year_text:
        if r.origin_text:
            made = gettext("first made %(year)s (%(origin)s)") % {
                "year": conditional_escape(r.year_text),
                "origin": conditional_escape(r.origin_text),
            }
        else:
            made = gettext("first made %(year)s") % {"year": conditional_escape(r.year_text)}
        year = mark_safe("· " + made)
    source = ""
    if show_source:
        source = format_html(
            '· <a href="{}#rec-{}">{}</a>{}',
            r.document.get_absolute_url(),
            r.code,
            r.document.title,
            ", " if r.place or r.section else "",
        )
    elif r.place or r.section:
        source = "· "
    event = ""
    if r.event_id:
        event = format_html('· {} <a href="{}">{}</a>', words["made_at"], r.event.get_absolute_url(), r.event.title)
    themes = getattr(r, "listed_themes", None)  # as queries.recommendation_page reads them
    themes = list(r.themes.all()) if themes is None else themes
    theme_part = ""
    if themes:
        links = mark_safe(
            "; ".join(format_html('<a href="{}?theme={}">{}</a>', words["list_url"], t.slug, t) for t in themes)
        )
        theme_part = format_html(
            '<span><span title="{}">{}</span> {}</span>', words["editorial_title"], words["themes"], links
        )
    commitments = getattr(r, "listed_commitments", None)
    commitments = list(r.commitments.all()) if commitments is None else commitments
    commitment_part = ""
    if commitments:
        links = mark_safe(
            ", ".join(
                format_html(
                    '<a href="{}" title="{}">{}</a>',
                    reverse("recommendations:commitment-detail", args=[c.number]),
                    c.localized_short_title,
                    c.number,
                )
                for c in commitments
            )
        )
        commitment_part = format_html("<span>· {} {}</span>", words["commitments"], links)
    nested = getattr(r, "nested", None)
    children = ""
    if nested:
        items = mark_safe(
            "".join(
                _recommendation_item(child, show_source=show_source, numbered=numbered, words=words) for child in nested
            )
        )
        children = format_html('<ol class="recommendation-list sub-items">{}</ol>', items)
    return format_html(
        '<li class="recommendation" id="rec-{}"{}>\n  {}\n  <p class="meta">\n    <span class="kind">{}</span>\n'
        '    {}\n    {}<bdi>{}</bdi>\n    {}\n  </p>\n  <p class="meta">\n    {}\n    {}\n'
        '    · <a href="{}">{}<span class="visually-hidden"> ({})</span></a>\n  </p>\n  {}\n</li>\n',
        r.code,
        value,
        mark_safe(_source_text(r, words["language"])),
        display(r, "kind"),
        year,
        source,
        r.localized_place or r.section,
        event,
        theme_part,
        commitment_part,
        r.get_absolute_url(),
        words["details"],
        r.code,
        children,
    )


def _event_item(event) -> str:
    """One event of the dashboard's lists, as `_event_item.html` and `_fuzzy_date.html` rendered it
    (the date in the source's words, `tracker.fuzzy_date`; the inclusion template's last line break)."""
    found = fuzzy_date(event)
    year = f" ({found['year']})" if found["year"] else ""
    if not found["text"]:
        date = format_html('<span class="muted">{}</span>', gettext("Date not given in the source"))
    elif found["machine"]:
        date = format_html('<time datetime="{}">{}{}</time>', found["machine"], found["text"], year)
    else:
        date = format_html("<bdi>{}{}</bdi>", found["text"], year)
    if found["tentative"]:
        date += format_html(' <span class="flag flag-tentative">{}</span>', gettext("to be confirmed"))
    place = format_html(" · <bdi>{}</bdi>", event.place) if event.place else ""
    return format_html(
        '<li><a href="{}">{}</a><br>\n  <span class="muted">{}\n{}</span></li>\n',
        event.get_absolute_url(),
        event.title,
        mark_safe(date),  # built of escaped parts above
        place,
    )


def _status_count_row(row) -> str:
    """One row of `includes/_status_counts_table.html` (a commitment: its states with information, at
    each status, with no information, with published evidence), as the template's loop rendered it."""
    cells = "".join(
        f'<td class="num">{_escape(count)}</td>' for value, count in row["counts"].items() if value != "no_information"
    )
    return format_html(
        '<tr>\n    <th scope="row"><a href="{}">{}</a></th>\n'
        '    <td class="num"><strong>{}</strong> <span class="muted">({}%)</span></td>\n    {}\n'
        '    <td class="num no-info">{}</td>\n    <td class="num">{} <span class="muted">({}%)</span></td>\n  </tr>',
        row["url"],
        row["label"],
        row["known"],
        row["known_share"],
        mark_safe(cells),  # escaped above
        row["counts"]["no_information"],
        row["states_with_evidence"],
        row["evidence_share"],
    )
