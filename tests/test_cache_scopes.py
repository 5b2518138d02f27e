"""Scoped invalidation of the public cache (issue 18), table-driven: every kind of write x every
public surface that shows it (pages in each language, downloads, API, feeds, as-of pages).

For each write: the surfaces and an unrelated state's page are cached; the write commits (its
on-commit callbacks run, and nothing pending in this thread helps: the next request is read as
another connection would read it); then every surface that shows the write is rendered afresh
and differs, and the pages it does not touch are still served from the cache. A write that
changes nothing public retires nothing. On local memory, the database cache and Redis.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client

from gcmtracker import scopes
from recommendations import imports, services
from recommendations.choices import Direction, Position, Status, Track
from recommendations.models import Corridor, Evidence, Implementation, Indicator, ReviewCycle, State
from tests import cache_backends
from tests.factories import EvidenceFactory
from tests.test_api import _client_for
from tests.test_change_records import admin_implementation_form

TODAY = datetime.date.today().isoformat()
LANGUAGES = ("", "/fr", "/es", "/ar")
FR = [f"{prefix}/states/FR/" for prefix in LANGUAGES]
C1 = [f"{prefix}/commitments/1/" for prefix in LANGUAGES]
FR_SURFACES = [
    *FR,
    "/states/FR/?format=csv",
    "/states/FR/?format=json",
    f"/states/FR/?as_of={TODAY}",
    "/feeds/states/FR.atom",
    "/api/v1/implementations/?state=FR&format=json",
]
C1_SURFACES = [*C1, "/commitments/1/?format=csv", "/feeds/commitments/1.atom"]
AGGREGATE_SURFACES = ["/", "/fr/", "/commitments/", "/feeds/changes.atom"]
KENYA = ["/states/KE/", "/ar/states/KE/", "/feeds/states/KE.atom"]
COMMITMENT_5 = ["/commitments/5/", "/es/commitments/5/"]


def item(iso2: str, number: int) -> Implementation:
    return Implementation.objects.select_related("state", "commitment").get(state__iso2=iso2, commitment__number=number)


@dataclass
class People:
    editor: object
    administrator: object
    focal_point: object


@dataclass(frozen=True)
class Write:
    """One kind of write: `prepare` runs before the pages are cached, `write` after."""

    name: str
    write: object
    shows_on: list = field(default_factory=list)
    keeps: list = field(default_factory=list)
    prepare: object = None


def status(track):
    def write(people):
        actor = people.focal_point if track == Track.REPORTED else people.editor
        services.implementation_set_status(
            implementation=item("FR", 1), status=Status.PLANNED, actor=actor, comment="A plan.", track=track
        )

    return write


def status_through_the_api(people):
    implementation = item("FR", 1)
    response = _client_for(people.focal_point).post(
        f"/api/v1/implementations/{implementation.pk}/status/",
        {"track": "reported", "status": "planned", "comment": "A plan."},
        format="json",
        HTTP_IF_MATCH=f'"{implementation.version}"',
    )
    assert response.status_code == 201, response.content


def add_unpublished_evidence(people):
    services.evidence_add(
        implementation=item("FR", 1),
        actor=people.focal_point,
        title="Draft law",
        kind="law",
        url="https://example.org/draft",
    )


def staff_evidence(people):
    return EvidenceFactory(implementation=item("FR", 1), title="Law 2024-12 on equal treatment")


def publish_evidence(people):
    services.evidence_verify(
        evidence=Evidence.objects.get(title__startswith="Law 2024-12"), actor=people.editor, publish=True
    )


def publish_before(people):
    publish_evidence(people)


def unpublish_evidence(people):
    services.evidence_unpublish(evidence=Evidence.objects.get(title__startswith="Law 2024-12"), actor=people.editor)


def assign(**fields):
    def write(people):
        services.implementation_assign(implementation=item("FR", 1), actor=people.editor, **fields)

    return write


def owner_only(people):
    services.implementation_assign(implementation=item("FR", 1), actor=people.editor, owner=people.focal_point)


def an_indicator(people):
    return Indicator.objects.create(
        commitment=item("FR", 1).commitment,
        code="firewall-share",
        name="Share of cities with a firewall",
        unit="%",
        direction=Direction.HIGHER,
    )


def measurement(people):
    services.measurement_save(
        actor=people.editor,
        indicator=Indicator.objects.get(code="firewall-share"),
        state=State.objects.get(iso2="FR"),
        date=datetime.date(2024, 1, 1),
        value=42,
    )


def cycle(people):
    services.record_save(
        actor=people.editor,
        instance=ReviewCycle(
            slug="review-2026",
            name="Review 2026",
            kind="regional_review",
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 6, 30),
        ),
    )


def indicator(people):
    services.record_save(
        actor=people.editor,
        instance=Indicator(
            commitment=item("FR", 1).commitment,
            code="new-indicator",
            name="Cities with a firewall",
            unit="cities",
            direction=Direction.HIGHER,
        ),
    )


def corridor(people):
    services.record_save(actor=people.editor, instance=Corridor(slug="central-med", name="Central Mediterranean"))


def fixture_import(people):
    data = (
        b'[{"model": "recommendations.state", "fields": {"iso2": "XT", "iso3": "XTT", "numeric": "999",'
        b' "name": "Testonia", "membership": "member", "regional_group": "weog", "region": "europe"}}]'
    )
    report = imports.run_import(
        kind="fixture", filename="testonia.json", data=data, user=people.administrator, apply=True
    )
    assert not report.errors, report.errors


def bulk_change(people):
    changes = [
        services.StatusChange(item(iso2, 2), Status.NOT_STARTED, "Reported at the regional review.")
        for iso2 in ("FR", "DE")
    ]
    services.implementation_set_status_bulk(changes=changes, actor=people.editor)


def admin_edit(field_name, value):
    def write(people):
        staff = Client()
        staff.force_login(people.editor)
        implementation = item("FR", 1)
        response = staff.post(
            f"/admin/recommendations/implementation/{implementation.pk}/change/",
            admin_implementation_form(implementation, **{field_name: value}),
        )
        assert response.status_code == 302, response.content[:2000]

    return write


def admin_state_edit(people):
    france = State.objects.get(iso2="FR")
    france.name = "French Republic"
    services.record_save(actor=people.administrator, instance=france)


EVERYTHING_FR = [*FR_SURFACES, *C1_SURFACES, *AGGREGATE_SURFACES]


def round_cycle(people):
    return ReviewCycle.objects.get_or_create(
        slug="round-cycle",
        defaults={"name": "R", "kind": "regional_review", "opens_on": "2026-01-01", "closes_on": "2026-12-31"},
    )[0]


def round_opened(people):
    services.round_open(
        actor=people.editor,
        cycle=round_cycle(people),
        name="Cached round",
        opens_on=datetime.date.today(),
        deadline=datetime.date.today(),
        states=["FR"],
        commitments=[1],
        notify=False,
    )


def round_confirmed(people):
    from recommendations.models import ReportingRound

    services.round_confirm_unchanged(
        actor=people.focal_point, round=ReportingRound.objects.get(), implementations=[item("FR", 1)]
    )


def round_closed(people):
    from recommendations.models import ReportingRound

    services.round_close(actor=people.editor, round=ReportingRound.objects.get(), version=1)


ROUND = "/api/v1/rounds/cached-round/"

WRITES = [
    Write("status, reported track", status(Track.REPORTED), EVERYTHING_FR, [*KENYA, *COMMITMENT_5]),
    Write("status, assessed track", status(Track.ASSESSED), EVERYTHING_FR, [*KENYA, *COMMITMENT_5]),
    Write("status through the API", status_through_the_api, EVERYTHING_FR, [*KENYA, *COMMITMENT_5]),
    Write("bulk status change", bulk_change, ["/states/FR/", "/states/DE/", "/fr/commitments/2/", "/"], [*KENYA, *C1]),
    Write("evidence added (unpublished)", add_unpublished_evidence, [], [*FR, *C1, "/", *KENYA]),
    Write(
        "evidence published",
        publish_evidence,
        [*FR, "/feeds/states/FR.atom", "/api/v1/implementations/?state=FR&format=json", *C1, "/"],
        KENYA,
        staff_evidence,
    ),
    Write(
        "evidence unpublished",
        unpublish_evidence,
        [*FR, "/feeds/states/FR.atom", "/api/v1/implementations/?state=FR&format=json", *C1],
        KENYA,
        lambda people: (staff_evidence(people), publish_before(people)),
    ),
    Write("owner assigned", owner_only, [], [*FR, *C1, "/", *KENYA]),
    Write("internal note", assign(internal_note="Call the ministry."), [], [*FR, *C1, "/", *KENYA]),
    Write(
        "lead agency and due date",
        assign(lead_agency="Ministry of Interior", due_date=datetime.date(2030, 1, 1)),
        [*FR, "/feeds/states/FR.atom", "/api/v1/implementations/?state=FR&format=json"],
        KENYA,
    ),
    Write(
        "position",
        assign(position=Position.SUPPORTED),
        [*FR, *C1, "/commitments/1/?format=csv", "/"],
        [*KENYA, *COMMITMENT_5],
    ),
    Write(
        "measurement",
        measurement,
        ["/states/FR/", "/fr/states/FR/", "/indicators/firewall-share/"],
        KENYA,
        an_indicator,
    ),
    Write("review cycle", cycle, ["/cycles/", "/fr/cycles/", "/states/KE/"]),
    Write("indicator", indicator, ["/commitments/1/", "/ar/commitments/1/"]),
    Write("corridor", corridor, ["/corridors/", "/es/corridors/"], [*FR, *KENYA, *C1]),
    Write(
        "fixture import", fixture_import, ["/states/", "/fr/states/", "/api/v1/states/?format=json", "/commitments/1/"]
    ),
    Write("admin edit, due date", admin_edit("due_date", "2031-01-31"), [*FR, "/feeds/states/FR.atom"], KENYA),
    Write("admin edit, internal note", admin_edit("internal_note", "Ask again."), [], [*FR, *C1, "/", *KENYA]),
    Write("round opened", round_opened, ["/api/v1/rounds/?format=json"], KENYA, round_cycle),
    Write("round: no change, confirmed", round_confirmed, [ROUND], KENYA, round_opened),
    Write("round closed", round_closed, [ROUND, "/api/v1/rounds/?format=json"], KENYA, round_opened),
    Write(
        "admin edit, a state's name",
        admin_state_edit,
        ["/states/FR/", "/states/", "/commitments/1/", "/fr/commitments/5/"],
    ),
]


@pytest.fixture(params=cache_backends.ALL)
def public_cache(request, db):
    switched = cache_backends.use(request.param)
    yield
    switched.disable()


@pytest.fixture
def people(editor, administrator):
    from recommendations.choices import Role
    from tests.factories import UserFactory

    return People(
        editor,
        administrator,
        UserFactory(username="fp_fr", role=Role.FOCAL_POINT, states=[State.objects.get(iso2="FR")]),
    )


def fetch(reader, url):
    response = reader.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_a_write_shows_on_the_next_request_where_it_shows_and_nowhere_else(
    write, public_cache, people, django_capture_on_commit_callbacks
):
    reader = Client()
    if write.prepare:
        with django_capture_on_commit_callbacks(execute=True):
            write.prepare(people)
    scopes.forget_pending()
    before = {url: fetch(reader, url).content for url in [*write.shows_on, *write.keeps]}
    assert all(fetch(reader, url)["X-Cache"] == "hit" for url in before)

    with django_capture_on_commit_callbacks(execute=True):
        write.write(people)
    scopes.forget_pending()  # read the committed write as any other connection does

    for url in write.shows_on:
        after = fetch(reader, url)
        assert after["X-Cache"] == "miss", url
        assert after.content != before[url], f"{url} does not show the write"
    for url in write.keeps:
        kept = fetch(reader, url)
        assert kept["X-Cache"] == "hit", f"{url} was retired by a write it does not show"
        assert kept.content == before[url]


def test_a_write_in_this_thread_shows_before_it_commits(public_cache, people):
    """A request in the writing transaction (and a test, which never commits) sees its own write."""
    reader = Client()
    scopes.forget_pending()  # the fixtures' rows, written outside services
    assert fetch(reader, "/states/FR/")["X-Cache"] == "miss"
    status(Track.REPORTED)(people)
    fresh = fetch(reader, "/states/FR/")
    assert fresh.get("X-Cache") is None
    assert "status-planned" in fresh.content.decode()
    assert fetch(reader, "/states/KE/")["X-Cache"] == "miss"
    assert fetch(reader, "/states/KE/")["X-Cache"] == "hit"
