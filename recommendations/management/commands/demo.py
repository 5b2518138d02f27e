"""Demo users and a demo history, so a newcomer can try the staff workflow in one step.

Longer than 400 lines: the demo data is one script, read top to bottom (users, cycles, status
histories, evidence, assignments, indicators); its steps are called from nowhere else.

    .venv/bin/python manage.py demo

Loads the real fixtures first when the database is empty, then adds, all flagged `is_demo` (and
named "[Demo] ..." where a name is shown):

- users demo-admin, demo-editor (each with an authenticator key and recovery codes for the second
  factor, printed at the end), demo-fp-fr (focal point for France), demo-fp-ke (Kenya), with
  the password printed at the end (DEMO_PASSWORD, or --password);
- three review cycles (baseline 2019, regional reviews 2020-2021, review forum 2022) and, for
  France, Kenya and a fixed sample of other states, status histories across them, written through
  `services` like any other change: reported by focal points and the secretariat, assessed by the
  secretariat (sometimes disagreeing), with demo evidence (URLs on example.org), some published;
- owners, lead agencies and due dates for France and Kenya (some overdue, some due soon, some
  untouched), and a few tracked recommendations;
- three indicators with measurements per cycle, some disaggregated by sex or migratory status;
- two stakeholder organisations with a contributor each (demo-watch, demo-institute) and
  their reports, approved, waiting or sent back (`management/demo_stakeholders.py`);
- a review cycle of this year with two reporting rounds: one open (France, Kenya and ten other
  states, some complete, some partly reported, a "no change, confirmed", one late) and one closed
  months ago with its frozen results (`management/demo_rounds.py`).

The statuses, dates and names are invented: that is why every row is flagged as demo. It runs
once: a second run changes nothing. It refuses to run with DEBUG off unless --allow-production.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gcmtracker import accounts
from recommendations import permissions, services
from recommendations.choices import (
    CorridorRole,
    CycleKind,
    Direction,
    Door,
    EvidenceKind,
    MigratoryStatus,
    Position,
    Role,
    Sex,
    Status,
    Track,
)
from recommendations.management import demo_rounds, demo_stakeholders
from recommendations.models import (
    Commitment,
    Corridor,
    CorridorState,
    Implementation,
    Indicator,
    Recommendation,
    ReviewCycle,
    State,
)

DEMO_PASSWORD = "gcm-demo-password"
FOCAL_POINTS = {"demo-fp-fr": "FR", "demo-fp-ke": "KE"}
OTHER_STATES = 18  # besides France and Kenya; fixed by the random seed below
SEED = 2019

CYCLES = [
    ("demo-baseline-2019", "[Demo] Baseline 2019", CycleKind.BASELINE, (2019, 1, 1), (2019, 12, 31)),
    (
        "demo-regional-reviews-2020-2021",
        "[Demo] Regional reviews 2020-2021",
        CycleKind.REGIONAL_REVIEW,
        (2020, 1, 1),
        (2021, 12, 31),
    ),
    (
        "demo-imrf-2022",
        "[Demo] International Migration Review Forum 2022",
        CycleKind.REVIEW_FORUM,
        (2022, 1, 1),
        (2022, 5, 20),
    ),
]

# The reporting ladder a demo state climbs, one cycle at a time.
LADDER = [Status.NOT_STARTED, Status.PLANNED, Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED]

EVIDENCE_TITLES = {
    EvidenceKind.LAW: "[Demo] Amendment to the law on foreigners",
    EvidenceKind.POLICY: "[Demo] National action plan on migrant inclusion",
    EvidenceKind.PROGRAMME: "[Demo] Community programme for migrant families",
    EvidenceKind.BUDGET: "[Demo] Budget line for legal aid to migrants",
    EvidenceKind.REPORT: "[Demo] Ombudsperson's annual report",
    EvidenceKind.DATASET: "[Demo] Administrative data on access to services",
}

LEAD_AGENCIES = [
    "[Demo] Ministry of the Interior",
    "[Demo] Ministry of Justice",
    "[Demo] Ministry of Health",
    "[Demo] Ministry of Education",
    "[Demo] National Human Rights Institution",
]

INDICATORS = [
    # code, commitment, name, unit, direction, baseline, target, disaggregation
    (
        "demo-legal-aid-access",
        1,
        "[Demo] Migrants in return proceedings with free legal aid",
        "%",
        Direction.HIGHER,
        "35",
        "80",
        "sex",
    ),
    (
        "demo-children-detained",
        3,
        "[Demo] Children held in immigration detention",
        "children",
        Direction.LOWER,
        "420",
        "0",
        None,
    ),
    (
        "demo-health-coverage",
        4,
        "[Demo] Migrants covered by the national health insurance",
        "%",
        Direction.HIGHER,
        "52",
        "95",
        "migratory_status",
    ),
]


class Command(BaseCommand):
    help = "Create demo users for each role and a demo history on top of the real fixtures (all flagged as demo)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD, help=f"password of the demo users ({DEMO_PASSWORD})")
        parser.add_argument("--allow-production", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, password, allow_production, verbosity, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to create demo users with a known password while DEBUG is off.")
        if ReviewCycle.objects.filter(slug=CYCLES[0][0]).exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
            self._print_users(password)
            return
        if not Implementation.objects.exists():
            self.stdout.write("The database is empty: loading the real fixtures first.")
            call_command("seed", verbosity=verbosity)
        with transaction.atomic(), services.door(Door.DEMO):
            counts = Builder(password=password).build()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {cycles} review cycles, {updates} status updates on {implementations} "
                "implementations in {states} states, {evidence} pieces of evidence ({published} published), "
                "{measurements} measurements, {stakeholder_reports} stakeholder reports of 2 organisations, "
                "{rounds} reporting rounds.".format(**counts)
            )
        )
        self._print_users(password)

    def _print_users(self, password):
        self.stdout.write(
            "Log in at /accounts/login/ as demo-admin, demo-editor, demo-fp-fr (France) or demo-fp-ke (Kenya), "
            "or as the stakeholder contributors demo-watch and demo-institute, "
            f"password: {password}"
        )
        self.stdout.write(
            "demo-admin and demo-editor then give a second factor: a code from an authenticator app set up "
            "with their key (time-based, 6 digits), or one of their single-use recovery codes."
        )
        for username in ("demo-admin", "demo-editor"):
            device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
            codes = StaticToken.objects.filter(device__user__username=username).values_list("token", flat=True)
            if device:
                self.stdout.write(f"  {username}: key {accounts.totp_secret(device)}; recovery codes {' '.join(codes)}")


class Builder:
    """Writes the demo data. Status changes and evidence go through `services`, as on the pages."""

    def __init__(self, *, password):
        self.password = password
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.counts = dict.fromkeys(
            ("cycles", "updates", "implementations", "states", "evidence", "published", "measurements"), 0
        )
        self.touched = set()
        self.latest = {}  # (implementation id, track) -> latest effective date written

    def build(self):
        self.users = self._users()
        self.cycles = self._cycles()
        france, kenya = State.objects.get(iso2="FR"), State.objects.get(iso2="KE")
        others = list(State.objects.exclude(iso2__in=["FR", "KE"]).order_by("iso2"))
        states = [france, kenya, *self.rng.sample(others, min(OTHER_STATES, len(others)))]
        self.counts["states"] = len(states)
        implementations = (
            Implementation.objects.filter(state__in=states, commitment__isnull=False)
            .select_related("state", "commitment")
            .order_by("state__iso2", "commitment__number")
        )
        for implementation in implementations:
            self._history(implementation)
        for state, username in ((france, "demo-fp-fr"), (kenya, "demo-fp-ke")):
            self._recommendations(state, self.users[username])
            self._assign(state, self.users[username])
            self._recent(state, self.users[username])
        self._indicators(states)
        self._corridors(states)
        self.counts["stakeholder_reports"] = demo_stakeholders.build(
            editor=self.users["demo-editor"], password=self.password
        )
        rounds = demo_rounds.build(
            admin=self.users["demo-admin"],
            editor=self.users["demo-editor"],
            focal_points={"FR": self.users["demo-fp-fr"], "KE": self.users["demo-fp-ke"]},
            history_states=states,
            seed=SEED,
        )
        self.touched |= rounds["touched"]
        self.counts["rounds"] = rounds["rounds"]
        services.implementations_flag_demo(actor=self.users["demo-admin"], ids=self.touched)
        self.counts["implementations"] = len(self.touched)
        return self.counts

    # --- corridors

    def _corridors(self, states):
        """Two corridors through the demo's states, so the corridor pages have something to show.
        The sources define no corridor; these say they are invented."""
        kenya, france, others = states[1], states[0], states[2:]
        routes = [
            ("demo-east-africa-europe", "East Africa to Europe (demo)", [kenya, others[0], france]),
            ("demo-second-route", "A second route (demo)", [others[1], others[2], others[3]]),
        ]
        admin = self.users["demo-admin"]
        for slug, name, stops in routes:
            if Corridor.objects.filter(slug=slug).exists():
                continue
            corridor = services.record_save(
                actor=admin,
                instance=Corridor(
                    slug=slug,
                    name=name,
                    description="Invented for the demo: the sources define no migration corridor.",
                    is_demo=True,
                ),
            )
            roles = [CorridorRole.ORIGIN, CorridorRole.TRANSIT, CorridorRole.DESTINATION]
            for order, (state, role) in enumerate(zip(stops, roles, strict=True), start=1):
                services.record_save(
                    actor=admin, instance=CorridorState(corridor=corridor, state=state, role=role, order=order)
                )

    # --- users and cycles

    def _users(self):
        users = {}
        User = get_user_model()
        # Hashed once: four PBKDF2 rounds would cost seconds for the same password.
        password_hash = make_password(self.password)
        specs = [
            ("demo-admin", Role.ADMINISTRATOR, "Ada", "Admin (demo)"),
            ("demo-editor", Role.EDITOR, "Eddie", "Editor (demo)"),
            ("demo-fp-fr", Role.FOCAL_POINT, "Fanny", "Focal point France (demo)"),
            ("demo-fp-ke", Role.FOCAL_POINT, "Kamau", "Focal point Kenya (demo)"),
        ]
        for username, role, first, last in specs:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": first, "last_name": last},
            )
            user.password = password_hash
            user.save(update_fields=["password"])
            permissions.grant_role(user, role, superuser=role == Role.ADMINISTRATOR)
            if username in FOCAL_POINTS:
                state = State.objects.get(iso2=FOCAL_POINTS[username])
                scope = permissions.new_scope(user, state)
                if scope is not None:
                    services.record_save(actor=users["demo-admin"], instance=scope)
            else:
                # The secretariat logs in with a second factor: an authenticator key and recovery
                # codes, printed at the end.
                TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
                accounts.new_recovery_codes(user)
            users[username] = User.objects.get(pk=user.pk)  # fresh: no cached role or scope
        return users

    def _cycles(self):
        cycles = []
        for slug, name, kind, opens, closes in CYCLES:
            cycles.append(
                services.record_save(
                    actor=self.users["demo-admin"],
                    instance=ReviewCycle(
                        slug=slug,
                        name=name,
                        kind=kind,
                        opens_on=datetime.date(*opens),
                        closes_on=datetime.date(*closes),
                        description="Demo review cycle created by `manage.py demo`; not a real review.",
                        is_demo=True,
                    ),
                )
            )
        self.counts["cycles"] = len(cycles)
        return cycles

    def _date_in(self, cycle):
        span = (cycle.closes_on - cycle.opens_on).days
        return cycle.opens_on + datetime.timedelta(days=self.rng.randint(0, span))

    # --- status histories

    def _reporter(self, implementation):
        for username, iso2 in FOCAL_POINTS.items():
            if implementation.state.iso2 == iso2:
                return self.users[username]
        return self.users["demo-editor"]

    def _history(self, implementation):
        """One trajectory across the three cycles; some items are never reported."""
        if self.rng.random() < 0.15:
            return
        reporter, editor = self._reporter(implementation), self.users["demo-editor"]
        rank = self.rng.choice([0, 0, 1, 1, 2])
        steps = [0, self.rng.choice([0, 1, 1, 2]), self.rng.choice([0, 0, 1])]
        for cycle, step in zip(self.cycles, steps, strict=True):
            if cycle is not self.cycles[0] and step == 0 and self.rng.random() < 0.5:
                continue  # nothing new reported in this cycle
            rank = min(rank + step, len(LADDER) - 1)
            self._set(implementation, reporter, LADDER[rank], self._date_in(cycle), Track.REPORTED, cycle)
        if self.rng.random() < 0.5 and implementation.status != Status.NO_INFORMATION:
            # The secretariat's review at the forum: mostly agrees, sometimes finds less done.
            reported = LADDER.index(Status(implementation.status))
            assessed = max(0, reported - (1 if self.rng.random() < 0.3 else 0))
            self._set(implementation, editor, LADDER[assessed], self._date_in(self.cycles[2]), Track.ASSESSED, None)

    def _set(self, implementation, actor, status, date, track, cycle, comment=None):
        current = implementation.status if track == Track.REPORTED else implementation.assessment
        latest = self.latest.get((implementation.pk, track))
        if latest and date < latest:
            date = latest
        evidence = []
        if status in (Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED) or self.rng.random() < 0.15:
            evidence.append(self._evidence(implementation, actor, date))
        label = Status(status).label
        services.implementation_set_status(
            implementation=implementation,
            actor=actor,
            status=status,
            track=track,
            effective_date=date,
            comment=comment
            or f"[Demo] {label} ({cycle.name if cycle else 'secretariat review'}); was {Status(current).label}.",
            rationale=f"[Demo] The state reports measures that are {label.lower()}." if evidence else "",
            evidence=evidence,
            is_demo=True,
        )
        self.counts["updates"] += 1
        self.latest[implementation.pk, track] = date
        self.touched.add(implementation.pk)

    def _evidence(self, implementation, actor, date):
        kind = self.rng.choice(list(EVIDENCE_TITLES))
        n = self.counts["evidence"] + 1
        evidence = services.evidence_add(
            implementation=implementation,
            actor=actor,
            title=EVIDENCE_TITLES[kind],
            kind=kind,
            url=f"https://example.org/demo/{implementation.state.iso2.lower()}/evidence-{n}",
            date=date,
            description="Demo evidence created by `manage.py demo`; the link leads nowhere.",
            is_demo=True,
        )
        self.counts["evidence"] += 1
        roll = self.rng.random()
        if roll < 0.7:  # most evidence is checked by the secretariat; most checked evidence published
            services.evidence_verify(evidence=evidence, actor=self.users["demo-editor"], publish=roll < 0.5)
            self.counts["published"] += roll < 0.5
        return evidence

    def _recent(self, state, focal_point):
        """Two fresh updates by the focal point, so "recently changed" has something to show."""
        for implementation in Implementation.objects.filter(state=state, commitment__number__in=[6, 7]).select_related(
            "state", "commitment"
        ):
            rank = LADDER.index(Status(implementation.status)) if implementation.status in LADDER else 0
            self._set(
                implementation,
                focal_point,
                LADDER[min(rank + 1, 2)] if rank < 2 else LADDER[rank],
                self.today - datetime.timedelta(days=self.rng.randint(2, 20)),
                Track.REPORTED,
                None,
                comment="[Demo] Update after the inter-ministerial meeting.",
            )

    def _recommendations(self, state, focal_point):
        """Track a few recommendations too, so states have more than commitments to show."""
        recommendations = list(Recommendation.objects.filter(parent__isnull=True).order_by("document", "order")[:60])
        for recommendation in self.rng.sample(recommendations, min(5, len(recommendations))):
            implementation = services.implementation_track(
                actor=self.users["demo-admin"], state=state, recommendation=recommendation, is_demo=True
            )
            implementation = Implementation.objects.select_related("state").get(pk=implementation.pk)
            date = self._date_in(self.cycles[1])
            self._set(implementation, focal_point, self.rng.choice(LADDER[:3]), date, Track.REPORTED, self.cycles[1])

    # --- owners and due dates

    def _assign(self, state, focal_point):
        due = [-60, -20, 10, 25, 120, None, None, None, None, None]
        editor = self.users["demo-editor"]
        implementations = Implementation.objects.filter(state=state, commitment__isnull=False).order_by(
            "commitment__number"
        )
        for implementation, days in zip(implementations, due, strict=False):
            services.implementation_assign(
                implementation=implementation,
                actor=editor,
                owner=focal_point if days is not None or self.rng.random() < 0.6 else editor,
                lead_agency=self.rng.choice(LEAD_AGENCIES),
                due_date=self.today + datetime.timedelta(days=days) if days is not None else None,
                position=self.rng.choice([Position.SUPPORTED, Position.SUPPORTED, Position.SUPPORTED_IN_PART]),
                notify=False,  # demo owners have example.org addresses; nobody needs twenty emails
            )
            self.touched.add(implementation.pk)

    # --- indicators

    def _indicators(self, states):
        editor = self.users["demo-editor"]
        measurements = []
        for code, number, name, unit, direction, baseline, target, split in INDICATORS:
            indicator = services.record_save(
                actor=self.users["demo-admin"],
                instance=Indicator(
                    commitment=Commitment.objects.get(number=number),
                    code=code,
                    name=name,
                    unit=unit,
                    direction=direction,
                    baseline=Decimal(baseline),
                    target=Decimal(target),
                    target_date=datetime.date(2030, 12, 31),
                    description="Demo indicator created by `manage.py demo`; the figures are invented.",
                    is_demo=True,
                ),
            )
            for state in states[:15]:
                value = float(baseline) * self.rng.uniform(0.6, 1.3)
                for cycle in self.cycles:
                    # Move towards the target a little each cycle.
                    value += (float(target) - value) * self.rng.uniform(0.05, 0.3)
                    rows = [{}]
                    if split == "sex":
                        rows += [{"sex": Sex.FEMALE}, {"sex": Sex.MALE}]
                    elif split == "migratory_status":
                        rows += [
                            {"migratory_status": MigratoryStatus.REGULAR},
                            {"migratory_status": MigratoryStatus.IRREGULAR},
                        ]
                    for extra in rows:
                        jitter = 1 if not extra else self.rng.uniform(0.85, 1.15)
                        measurements.append(
                            services.measurement_save(
                                actor=editor,
                                indicator=indicator,
                                state=state,
                                date=cycle.closes_on,
                                review_cycle=cycle,
                                value=Decimal(f"{max(value * jitter, 0):.1f}"),
                                source="[Demo] invented for the demo",
                                is_demo=True,
                                **extra,
                            )
                        )
        self.counts["measurements"] = len(measurements)
