"""The cycle's printable state report (cycles:state-report) carries the third voice (issue 20):
the stakeholder reports on that state published by the cycle's close, by organisation name only,
as the state page shows them as of a date; never an unapproved report, nor another state's, nor
one published after the close; a page of them at a time, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.choices import CycleKind
from recommendations.models import ReviewCycle
from tests.arrange import setup_writes
from tests.test_stakeholder_public import submitted
from tests.test_stakeholder_surfaces import many_published, measured

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_pages(settings, tmp_path):
    settings.CACHE_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"


def a_cycle(slug, closes_on):
    with setup_writes():
        return ReviewCycle.objects.create(
            slug=slug,
            name=f"Review {slug}",
            kind=CycleKind.REGIONAL_REVIEW,
            opens_on=closes_on - datetime.timedelta(days=180),
            closes_on=closes_on,
        )


def report_page(client, cycle, iso2="FR", **params):
    response, queries = measured(client, reverse("cycles:state-report", args=[cycle.slug, iso2]), params)
    return response.content.decode(), queries


def test_the_state_report_shows_the_reports_published_by_the_cycles_close(client, contributor, editor):
    cycle = a_cycle("t-later", timezone.localdate() + datetime.timedelta(days=30))
    report = services.report_moderate(actor=editor, report=submitted(contributor), decision="approve")
    html, _ = report_page(client, cycle)
    section = html[html.index('id="stakeholders-heading"') :]
    assert "Observatory of Migrants&#x27; Rights" in section and report.narrative in section
    assert "contributor@example.org" not in html and ">contributor<" not in html
    assert "list=stakeholders" not in html  # the report's downloads are its own; no list of reports
    assert "Observatory" not in report_page(client, cycle, iso2="KE")[0]


def test_a_report_published_after_the_close_is_not_in_that_cycles_report(client):
    closed = a_cycle("t-closed", timezone.localdate() - datetime.timedelta(days=60))
    many_published(1, narrative="Published after the close.")
    many_published(1, narrative="Published before the close.", start=timezone.now() - datetime.timedelta(days=90))
    html, _ = report_page(client, closed)
    assert "Published before the close." in html and "Published after the close." not in html


@pytest.mark.parametrize("decision", [None, "changes", "reject", "organisation rejected"])
def test_the_state_report_never_shows_an_unapproved_report(client, contributor, editor, decision):
    cycle = a_cycle("t-later", timezone.localdate() + datetime.timedelta(days=30))
    report = submitted(contributor, narrative="A finding under review.")
    if decision == "organisation rejected":
        services.report_moderate(actor=editor, report=report, decision="approve")
        services.organisation_moderate(
            actor=editor, organisation=report.organisation, approve=False, reason="Not a stakeholder."
        )
    elif decision:
        services.report_moderate(actor=editor, report=report, decision=decision, reason="Please add a source.")
    html, _ = report_page(client, cycle)
    assert "A finding under review." not in html and "Observatory" not in html
    assert "No stakeholder report has been published here yet." in html


def test_the_state_reports_voices_are_paged_in_a_fixed_number_of_queries(client):
    cycle = a_cycle("t-later", timezone.localdate() + datetime.timedelta(days=30))
    many_published(30)
    _, few = report_page(client, cycle, stakeholders=2)
    many_published(130)
    html, more = report_page(client, cycle, stakeholders=2)
    assert few == more and "Page 2 of 7" in html and "stakeholders=3#stakeholders" in html
