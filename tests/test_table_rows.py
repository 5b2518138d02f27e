"""The implementation table's rows and the published evidence list's items are built in Python
(recommendations/templatetags/tables.py, issue 18: 2) where a template per row was: the markup the
templates gave, escaped and translated. (On the full-scale benchmark data the commitment and state
pages came out byte-identical in English, French and Arabic; these are the cases that data lacks.)"""

import datetime

import pytest
from django.utils import timezone, translation

from recommendations.choices import Status
from recommendations.models import State
from recommendations.templatetags.tables import _evidence_item, _implementation_row
from tests.factories import EvidenceFactory, ImplementationFactory

pytestmark = pytest.mark.django_db

WORDS = {"differs": "differs from the report", "out_of_date": "out of date", "pieces": "pieces of evidence"}


def _row(implementation, **kwargs):
    options = {"item_column": False, "evidence_href": lambda i: f"?evidence_item={i.pk}#evidence", "words": WORDS}
    return _implementation_row(implementation, **{**options, **kwargs})


def test_a_row_escapes_the_lead_agency_and_isolates_it():
    implementation = ImplementationFactory(
        state=State.objects.get(iso2="FR"), lead_agency="Ministry <b>& Co</b>", status=Status.PLANNED
    )
    row = _row(implementation)
    assert "<td><bdi>Ministry &lt;b&gt;&amp; Co&lt;/b&gt;</bdi></td>" in row
    assert '<span class="badge status-planned">Planned</span>' in row
    assert row.startswith('<tr>\n    <th scope="row"><a href="/states/FR/">France</a></th>')
    assert row.endswith('<td class="num">0</td>\n  </tr>')


def test_a_row_flags_a_disagreement_and_translates_its_words():
    implementation = ImplementationFactory(
        state=State.objects.get(iso2="FR"), status=Status.PLANNED, assessment=Status.IN_PROGRESS
    )
    with translation.override("fr"):
        row = _row(implementation, words={**WORDS, "differs": "diffère du rapport"})
    assert row.startswith('<tr class="disagrees">')
    assert ' <span class="flag flag-disagree">diffère du rapport</span></td>' in row
    assert "Planifié" in row or "Prévu" in row  # the status label in French


def test_an_evidence_item_with_a_file_and_a_description():
    implementation = ImplementationFactory(state=State.objects.get(iso2="FR"))
    evidence = EvidenceFactory(
        implementation=implementation,
        url="",
        file="evidence/law.pdf",
        title="Law <2020>",
        description="Article 3 & 4",
        date=datetime.date(2020, 5, 1),
        verified=True,
        visibility="public",
        published_at=timezone.make_aware(datetime.datetime(2021, 2, 3, 12)),
    )
    item = _evidence_item(evidence, about=implementation)
    assert item.startswith(f'<li>\n  <a href="/evidence/{evidence.pk}/file/"><bdi>Law &lt;2020&gt;</bdi></a>\n\n')
    assert f'· <a href="/commitments/{implementation.commitment.number}/">Commitment ' in item
    assert '<time datetime="2020-05-01">1 May 2020</time> · published 3 Feb 2021</span>' in item
    assert item.endswith("\n  <br><bdi>Article 3 &amp; 4</bdi>\n</li>\n")


def test_an_evidence_item_from_a_state_in_arabic():
    implementation = ImplementationFactory(state=State.objects.get(iso2="FR"))
    evidence = EvidenceFactory(implementation=implementation, url="https://example.org/a?b=1&c=2", title="Report")
    with translation.override("ar"):
        item = _evidence_item(evidence, from_state=implementation.state)
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"><bdi>Report</bdi></a>' in item
    )
    assert '<span class="muted evidence-host">(example.org)</span>' in item
    assert '· <a href="/ar/states/FR/">' in item
    assert "\n  \n</li>\n" in item  # no description


def test_a_history_entry_with_its_rationale_evidence_role_and_a_confirmation(editor):
    from recommendations import selectors, services
    from recommendations.templatetags.tables import _change

    implementation = ImplementationFactory(state=State.objects.get(iso2="FR"))
    services.implementation_set_status(
        implementation=implementation,
        status=Status.IMPLEMENTED,
        actor=editor,
        comment="Law in force",
        rationale="Article <3> applies",
        new_evidence=services.NewEvidence(title="Gazette", url="https://example.org/gazette"),
    )
    services.evidence_verify(evidence=implementation.evidence.get(), actor=editor, publish=True)
    implementation.refresh_from_db()
    services.implementation_set_status(
        implementation=implementation,
        status=Status.IMPLEMENTED,
        actor=editor,
        comment="Checked",
        rationale="Still",
        evidence=[implementation.evidence.get()],
    )
    changed, confirmed = sorted(selectors.public_history().filter(implementation=implementation), key=lambda u: u.pk)
    entry = _change(changed, show_state=True)
    assert entry.startswith('<li>\n  <p class="change-head"><time datetime=')
    assert '\n  · <a href="/states/FR/">France</a>\n  · <a href="/commitments/' in entry
    assert "<p>State's report:\n    " in entry
    assert '<span class="visually-hidden">changed to</span> <span class="badge status-implemented">' in entry
    assert '<span class="muted">(by a Secretariat editor)</span>' in entry
    assert '<p class="rationale" dir="auto">Article &lt;3&gt; applies</p>' in entry
    assert '<p class="muted">Evidence: <a href="https://example.org/gazette"' in entry
    assert entry.endswith("(example.org)</span>\n</p>\n</li>\n")
    again = _change(confirmed, show_state=False)
    assert (
        '<span class="badge status-implemented">Implemented</span> <span class="muted">confirmed, unchanged</span>'
        in again
    )
    assert "France" not in again


def test_a_recommendation_item_escapes_the_source_text_and_names_its_themes_and_commitments():
    from recommendations.models import Recommendation
    from recommendations.templatetags.tables import recommendation_items
    from tests.factories import RecommendationFactory

    made = RecommendationFactory(text="Protect <all> migrants & their families.", year_text="2016")
    with translation.override("fr"):
        item = recommendation_items([Recommendation.objects.get(pk=made.pk)], show_source=True)
    assert (
        '<blockquote class="source" lang="en" dir="ltr"><p>Protect &lt;all&gt; migrants &amp; their families.' in item
    )
    assert f'<li class="recommendation" id="rec-{made.code}">' in item
    assert f'href="/fr/recommendations/{made.code}/"' in item


# What recommendations/_event_item.html rendered (with includes/_fuzzy_date.html, which stays).
EVENT_ITEM = (
    '{% load i18n tracker %}<li><a href="{{ event.get_absolute_url }}">{{ event.title }}</a><br>\n'
    '  <span class="muted">{% fuzzy_date event %}{% if event.place %} · <bdi>{{ event.place }}</bdi>{% endif %}'
    "</span></li>\n"
)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_an_event_item_is_what_its_template_gave(language):
    from django.template import Context, Template

    from events.models import Event
    from recommendations.templatetags.markup import _event_item

    variants = [
        {"date_text": "14-15 September", "date_precision": "day", "start_date": datetime.date(2017, 9, 14)},
        {"date_text": "TBC", "tentative": True, "place": "Genève <Palais>"},
        {"date_text": "", "title": "Talks on \"rights\" & 'cohesion'"},
        {"date_text": "Autumn 2019", "date_precision": "year", "start_date": datetime.date(2019, 9, 1)},
    ]
    template = Template(EVENT_ITEM)
    with translation.override(language):
        for n, fields in enumerate(variants):
            defaults = {"slug": f"event-{n}", "kind": "gfmd", "title": f"Meeting {n}"}
            event = Event(**{**defaults, **fields, "end_date": fields.get("start_date")})
            assert _event_item(event) == template.render(Context({"event": event})), fields


# What includes/_status_counts_table.html's loop rendered for a row.
STATUS_COUNT_ROW = (
    '<tr>\n    <th scope="row"><a href="{{ row.url }}">{{ row.label }}</a></th>\n'
    '    <td class="num"><strong>{{ row.known }}</strong> <span class="muted">({{ row.known_share }}%)</span></td>\n'
    '    {% for value, count in row.counts.items %}{% if value != "no_information" %}<td class="num">{{ count }}</td>'
    "{% endif %}{% endfor %}\n"
    '    <td class="num no-info">{{ row.counts.no_information }}</td>\n'
    '    <td class="num">{{ row.states_with_evidence }} <span class="muted">({{ row.evidence_share }}%)</span></td>\n'
    "  </tr>"
)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_status_count_row_is_what_its_template_gave(language):
    from django.template import Context, Template

    from recommendations.public.queries import commitment_status_rows
    from recommendations.templatetags.markup import _status_count_row

    rows = commitment_status_rows()
    rows[0] = {**rows[0], "label": "1. Rights <and> \"justice\" & 'access'", "known": 1234, "states_with_evidence": 0}
    template = Template(STATUS_COUNT_ROW)
    with translation.override(language):
        for row in rows:
            assert _status_count_row(row) == template.render(Context({"row": row}))
