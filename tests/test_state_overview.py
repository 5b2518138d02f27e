"""The state list as an overview (issue 19): a map of what is known about each state (reported,
assessed, evidence), the same figures by regional group, and the states with information first,
the others named under the table."""

import re

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Role, Status, Track
from recommendations.models import Implementation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:state-list")


@pytest.fixture(autouse=True)
def fresh_pages(settings):
    settings.CACHE_SECONDS = 0


@pytest.fixture
def known():
    """France reported on all ten commitments, Kenya on one with published evidence, Chad only assessed."""
    editor = UserFactory(username="zq-overview-editor", role=Role.EDITOR)
    for number in range(1, 11):
        services.implementation_set_status(
            implementation=Implementation.objects.get(state__iso2="FR", commitment__number=number),
            status=Status.PLANNED,
            actor=editor,
            comment="c",
        )
    kenya = Implementation.objects.get(state__iso2="KE", commitment__number=3)
    evidence = services.evidence_add(
        implementation=kenya, actor=editor, title="Act", kind="law", url="https://example.org/ke"
    )
    services.evidence_verify(evidence=evidence, actor=editor, publish=True)
    services.implementation_set_status(
        implementation=kenya, status=Status.IMPLEMENTED, actor=editor, comment="c", rationale="r", evidence=[evidence]
    )
    services.implementation_set_status(
        implementation=Implementation.objects.get(state__iso2="TD", commitment__number=2),
        status=Status.NOT_STARTED,
        actor=editor,
        comment="c",
        track=Track.ASSESSED,
    )


def map_class(html, iso2):
    return re.search(rf'<use class="([^"]+)" href="[^"]+#{iso2}"', html).group(1)


def test_the_table_lists_the_states_with_information_and_names_the_others_below(client, known):
    response = client.get(URL)
    assert [s.iso2 for s in response.context["table_states"]] == ["TD", "FR", "KE"]
    assert len(response.context["nothing_known"]) == 192
    html = response.content.decode()
    assert "192 states with no information" in html and "3 states with information" in html


@pytest.mark.parametrize("query", [{"regional_group": "weog"}, {"all": "1"}, {"q": "a"}])
def test_a_filter_or_asking_for_all_puts_every_state_in_the_table(client, known, query):
    response = client.get(URL, query)
    assert response.context["nothing_known"] is None
    assert response.context["table_states"] == response.context["states"]


def test_the_map_colours_each_state_by_the_measure_chosen(client, known):
    html = client.get(URL).content.decode()
    assert (map_class(html, "FR"), map_class(html, "KE"), map_class(html, "TD")) == ("cov-4", "cov-1", "cov-0")
    assert "France: 10 of 10 commitments" in html
    html = client.get(URL, {"map": "assessed"}).content.decode()
    assert (map_class(html, "FR"), map_class(html, "TD")) == ("cov-0", "cov-1")
    html = client.get(URL, {"map": "evidence"}).content.decode()
    assert (map_class(html, "KE"), map_class(html, "FR")) == ("cov-1", "cov-0")
    assert client.get(URL, {"map": "nonsense"}).context["measure"] == "reported"


def test_the_legend_names_each_range_with_its_number_of_states(client, known):
    html = client.get(URL).content.decode()
    for label, count in (("None", 193), ("1 to 3", 1), ("4 to 6", 0), ("7 to 9", 0), ("All 10", 1)):
        assert re.search(rf"{label} <span class=\"muted\">\({count} states?\)", html), label


def test_a_filtered_list_leaves_the_other_states_uncoloured(client, known):
    html = client.get(URL, {"regional_group": "african"}).content.decode()
    assert map_class(html, "FR") == "fill-none" and map_class(html, "KE") == "cov-1"


def test_the_summary_counts_each_regional_group(client, known):
    summary = {row["key"]: row for row in client.get(URL).context["summary"]}
    assert summary["weog"]["reported"] == 1 and summary["weog"]["evidence"] == 0
    assert summary["african"] == {**summary["african"], "reported": 1, "assessed": 1, "evidence": 1}
    assert sum(row["states"] for row in summary.values()) == 195


def test_the_download_still_gives_every_state(client, known):
    assert client.get(URL, {"format": "json"}).json()["count"] == 195
