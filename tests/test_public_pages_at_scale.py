"""A state's page and a commitment's page at scale: their long lists are shown a page at a time,
each with its own page parameter, and the downloads give them whole."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.choices import Status
from recommendations.models import Implementation, Recommendation, State
from recommendations.public.views import PAGE_SIZE
from tests import test_public_pages as pages

pytestmark = pytest.mark.django_db

# The fixtures of the public page tests: the cache is off, and an editor with a published law.
fresh_pages = pages.fresh_pages
editor = pages.editor
france_implemented_3 = pages.france_implemented_3
commitment_of = pages.commitment_of


@pytest.fixture
def france_tracks_30_recommendations(france, editor):
    """France tracks 30 recommendations, more than a page, each with a published law dated a day apart."""
    implementations = Implementation.objects.bulk_create(
        Implementation(state=france, recommendation=recommendation)
        for recommendation in Recommendation.objects.order_by("code")[:30]
    )
    for n, implementation in enumerate(implementations):
        law = services.evidence_add(
            implementation=implementation,
            actor=editor,
            title=f"Law number {n:02}",
            kind="law",
            url=f"https://example.org/law-{n}",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
        services.evidence_verify(evidence=law, actor=editor, publish=True)
    return implementations


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_state_page_shows_tracked_recommendations_a_page_at_a_time_keeping_the_date(
    client, france_tracks_30_recommendations
):
    url = reverse("recommendations:state-detail", args=["FR"])
    first = client.get(url, {"as_of": "2024-06-01"})
    second = client.get(url, {"as_of": "2024-06-01", "items": "2"})
    on_first = [i.pk for i in first.context["recommendations"]]
    on_second = [i.pk for i in second.context["recommendations"]]
    assert len(on_first) == PAGE_SIZE and len(on_second) == 30 - PAGE_SIZE
    assert not set(on_first) & set(on_second)
    html = first.content.decode()
    assert f"Showing 1–{PAGE_SIZE} of 30, in the order of their source documents." in html
    assert 'href="?as_of=2024-06-01&amp;items=2#recommendations-heading" rel="next"' in html
    assert len(first.context["commitments"]) == 10  # the commitments are never paged
    assert 'href="?as_of=2024-06-01&amp;items=1#recommendations-heading" rel="prev"' in second.content.decode()


def test_state_status_download_has_every_item_whatever_the_page(client, france_tracks_30_recommendations):
    response = client.get(reverse("recommendations:state-detail", args=["FR"]), {"items": "2", "format": "csv"})
    assert len(csv_rows(response)) == 10 + 30


def test_state_page_filters_tracked_recommendations_by_status_and_the_download_follows(
    client, france_tracks_30_recommendations, editor
):
    services.implementation_set_status(
        implementation=france_tracks_30_recommendations[7],
        status=Status.IN_PROGRESS,
        actor=editor,
        comment="Drafting has started.",
    )
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url, {"status": Status.IN_PROGRESS})
    assert [i.pk for i in response.context["recommendations"]] == [france_tracks_30_recommendations[7].pk]
    assert len(response.context["commitments"]) == 10
    rows = csv_rows(client.get(url, {"status": Status.IN_PROGRESS, "format": "csv"}))
    assert len(rows) == 10 + 1


def test_state_page_shows_the_most_recent_evidence_and_how_much_there_is(client, france_tracks_30_recommendations):
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url)
    html = response.content.decode()
    assert len(response.context["evidence"]) == PAGE_SIZE
    assert f"Showing 1–{PAGE_SIZE} of 30, most recent first." in html
    assert "Law number 29" in html and "Law number 00" not in html
    assert 'id="evidence"' in html and 'href="?evidence=2#evidence" rel="next"' in html
    assert "Law number 00" in client.get(url, {"evidence": "2"}).content.decode()
    assert len(csv_rows(client.get(url, {"evidence": "2", "format": "csv", "list": "evidence"}))) == 30


def test_state_page_past_the_last_page_shows_the_last_page(client, france_tracks_30_recommendations):
    url = reverse("recommendations:state-detail", args=["FR"])
    response = client.get(url, {"items": "9", "evidence": "x"})
    assert response.context["recommendations"].number == 2
    assert response.context["evidence"].number == 1
    response = client.get(url, {"items": "9" * 30, "evidence": "-3"})
    assert response.context["recommendations"].number == 2
    assert response.context["evidence"].number == 1


def test_state_history_pages_run_newest_first_without_overlap(client, france_tracks_30_recommendations, editor):
    """The history holds the status updates and the public change records (here, the 30 items
    the fixture started tracking) in one list, newest first, page after page."""
    for n, implementation in enumerate(france_tracks_30_recommendations[: PAGE_SIZE + 1]):
        services.implementation_set_status(
            implementation=implementation,
            status=Status.PLANNED,
            actor=editor,
            comment=f"Plan {n}.",
            effective_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 3),
        )
    url = reverse("recommendations:state-detail", args=["FR"])
    pages = [client.get(url, {"page": 1}).context["history"]]
    while pages[-1].has_next():
        pages.append(client.get(url, {"page": pages[-1].next_page_number()}).context["history"])
    assert [page.number for page in pages] == [1, 2, 3]
    assert not pages[0].has_previous() and pages[1].has_previous()
    entries = [entry for page in pages for entry in page]
    assert len(entries) == PAGE_SIZE + 1 + 30
    assert len({(entry.entry_kind, entry.pk) for entry in entries}) == len(entries)
    updates = [entry for entry in entries if entry.entry_kind == "status"]
    assert len(updates) == PAGE_SIZE + 1

    def key(entry):
        day = entry.effective_date if entry.entry_kind == "status" else timezone.localdate(entry.created_at)
        return (day, entry.created_at)

    keys = [key(entry) for entry in entries]
    assert keys == sorted(keys, reverse=True)


def test_state_history_is_paged_without_its_total(client, france_tracks_30_recommendations, editor):
    """The history's pager says which page, never of how many (counting the history cost more
    than the rest of it): previous and next, each only where there is one; a page past the end
    gives the last page, a number that is not one the first."""
    for n, implementation in enumerate(france_tracks_30_recommendations[:PAGE_SIZE]):
        services.implementation_set_status(
            implementation=implementation, status=Status.PLANNED, actor=editor, comment=f"Plan {n}."
        )
    url = reverse("recommendations:state-detail", args=["FR"])
    total = PAGE_SIZE + 30  # the updates and the 30 tracking records
    response = client.get(url, {"page": 1})
    html = response.content.decode()
    assert len(response.context["history"]) == PAGE_SIZE
    assert '<span aria-current="page">Page 1</span>' in html
    assert 'href="?page=2#history-heading" rel="next"' in html
    assert 'rel="prev"' not in html.split('id="history-heading"')[1]
    last_number, on_last = (total - 1) // PAGE_SIZE + 1, (total - 1) % PAGE_SIZE + 1
    assert last_number == 3
    last = client.get(url, {"page": last_number})
    assert len(last.context["history"]) == on_last
    tail = last.content.decode().split('id="history-heading"')[1]
    assert 'href="?page=2#history-heading" rel="prev"' in tail and 'rel="next"' not in tail
    for beyond in ("4", "9" * 30):
        page = client.get(url, {"page": beyond}).context["history"]
        assert page.number == last_number and len(page) == on_last and not page.has_next()
    assert client.get(url, {"page": "x"}).context["history"].number == 1
    fr = client.get(url, {"page": 2}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span aria-current="page">Page 2</span>' in fr


def test_commitment_page_lists_states_fifty_at_a_time_and_every_state_on_the_map(client):
    # Unfiltered, the table lists only the states with information (test_known_first); the states
    # with none fill pages when asked for.
    url = reverse("recommendations:commitment-detail", args=[3])
    first, second = (
        client.get(url, {"status": "no_information"}),
        client.get(url, {"status": "no_information", "page": 2}),
    )
    names = [[i.state.name for i in page.context["implementations"]] for page in (first, second)]
    assert len(names[0]) == 50 and names[1] and not set(names[0]) & set(names[1])
    assert names[0] + names[1] == sorted(names[0] + names[1])
    assert len(first.context["colours"]) == State.objects.count()
    html = first.content.decode()
    assert f"Showing 1–50 of {State.objects.count()}." in html
    assert 'href="?status=no_information&amp;page=2#states-caption"' in html
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(csv) == State.objects.count() + 1  # the download is never a page


def test_commitment_page_shows_one_states_evidence_from_its_count_in_the_table(client, france_implemented_3):
    url = reverse("recommendations:commitment-detail", args=[3])
    html = client.get(url, {"evidence_of": "fr"}).content.decode()
    assert "Evidence from France only." in html
    assert "Loi relative à la protection de l&#x27;enfant" in html
    html = client.get(url, {"evidence_of": "KE"}).content.decode()
    assert "protection de l&#x27;enfant" not in html and "No evidence on this commitment" in html
    assert client.get(url, {"evidence_of": "ZZ"}).context["evidence_of"] is None  # unknown code: every state


def test_state_page_shows_one_items_evidence_from_its_count_in_the_table(client, france_implemented_3, kenya):
    france_3 = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    url = reverse("recommendations:state-detail", args=["FR"])
    html = client.get(url).content.decode()
    assert f'href="?evidence_item={france_3.pk}#evidence"' in html
    page = client.get(url, {"evidence_item": france_3.pk})
    assert [e.implementation_id for e in page.context["evidence"]] == [france_3.pk]
    assert "Evidence on commitment 3 only." in page.content.decode()
    other = Implementation.objects.filter(state=france_3.state).exclude(pk=france_3.pk).first()
    assert not list(client.get(url, {"evidence_item": other.pk}).context["evidence"])
    kenya_3 = Implementation.objects.get(state=kenya, commitment__number=3)
    for ignored in (kenya_3.pk, "x", "-1"):  # another state's item, or no id: all the state's evidence
        page = client.get(url, {"evidence_item": ignored})
        assert page.context["evidence_about"] is None and len(page.context["evidence"]) == 1


def test_the_evidence_download_follows_the_item_chosen(client, france_implemented_3):
    france_3 = Implementation.objects.get(state__iso2="FR", commitment__number=3)
    other = Implementation.objects.filter(state__iso2="FR").exclude(pk=france_3.pk).first()
    url = reverse("recommendations:state-detail", args=["FR"])

    def rows(**params):
        return client.get(url, {"format": "csv", "list": "evidence", **params}).content.decode("utf-8-sig").splitlines()

    assert len(rows()) == 2 and rows(evidence_item=france_3.pk) == rows()
    assert len(rows(evidence_item=other.pk)) == 1  # the header alone
