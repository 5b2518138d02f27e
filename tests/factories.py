"""Factories for tests, demo data and benchmarks alike.

Every factory is a `SetupFactory`: what it writes is a test arranging its data, which the
architecture check of writes allows by this explicit mark (tests/write_guard.py `setup_writes`),
not by where the file lies.
"""

import datetime
import json
import string
from pathlib import Path

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from events.models import Document, Event
from recommendations.choices import EvidenceKind, RecommendationKind, Role
from recommendations.models import Commitment, Evidence, Implementation, Recommendation, State, StateScope
from tests.arrange import setup_writes


def _unused_codes():
    """ISO-shaped codes no real state uses, so test states never collide with the seeded ones."""
    states = json.loads((Path(settings.BASE_DIR) / "fixtures" / "states.json").read_text(encoding="utf-8"))
    used = {key: {s["fields"][key] for s in states} for key in ("iso2", "iso3", "numeric")}
    letters = string.ascii_uppercase
    iso2 = [a + b for a in letters for b in letters if a + b not in used["iso2"]]
    iso3 = [a + b + c for a in "XYZQ" for b in letters for c in letters if a + b + c not in used["iso3"]]
    numeric = [f"{n:03d}" for n in range(1000) if f"{n:03d}" not in used["numeric"]]
    numeric += [a + f"{n:02d}" for a in letters for n in range(100)]
    return iso2, iso3, numeric


ISO2, ISO3, NUMERIC = _unused_codes()


class SetupFactory(factory.django.DjangoModelFactory):
    """A factory whose writes (the row, its sub-factories and post-generation hooks) are test setup."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        with setup_writes():
            return super()._generate(strategy, params)


class StateFactory(SetupFactory):
    class Meta:
        model = State
        django_get_or_create = ["iso2"]

    iso2 = factory.Sequence(lambda n: ISO2[n % len(ISO2)])
    iso3 = factory.Sequence(lambda n: ISO3[n % len(ISO3)])
    numeric = factory.Sequence(lambda n: NUMERIC[n % len(NUMERIC)])
    name = factory.Sequence(lambda n: f"Testland {n}")
    membership = "member"
    regional_group = "weog"
    region = "europe"


class DocumentFactory(SetupFactory):
    class Meta:
        model = Document

    slug = factory.Sequence(lambda n: f"test-document-{n}")
    title = factory.Sequence(lambda n: f"Test document {n}")
    kind = "report"


class EventFactory(SetupFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"test-event-{n}")
    title = factory.Sequence(lambda n: f"Test event {n}")
    kind = "other"


class CommitmentFactory(SetupFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)
    short_title = factory.Sequence(lambda n: f"Test commitment {n}")
    text = "Test commitment text."
    document = factory.SubFactory(DocumentFactory)


class RecommendationFactory(SetupFactory):
    class Meta:
        model = Recommendation

    code = factory.Sequence(lambda n: f"test-rec-{n}")
    document = factory.SubFactory(DocumentFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = RecommendationKind.PRACTICAL
    text = factory.Sequence(lambda n: f"Test recommendation {n}.")


class ImplementationFactory(SetupFactory):
    class Meta:
        model = Implementation

    state = factory.SubFactory(StateFactory)
    commitment = factory.SubFactory(CommitmentFactory)


class UserFactory(SetupFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=Role(extracted).value)[0])
            if extracted in (Role.EDITOR, Role.ADMINISTRATOR):
                self.is_staff = True
                self.save(update_fields=["is_staff"])

    @factory.post_generation
    def states(self, create, extracted, **kwargs):
        for state in extracted or ():
            StateScope.objects.get_or_create(user=self, state=state)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff who must use a second factor get a confirmed authenticator (`totp_code` gives its
        current code); `second_factor=False` leaves them without one."""
        from gcmtracker.accounts import two_factor_required

        if extracted is not False and (extracted or two_factor_required(self)):
            TOTPDevice.objects.get_or_create(user=self, name="authenticator", defaults={"confirmed": True})


def totp_code(user) -> str:
    """The code the user's authenticator app would show now."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


class EvidenceFactory(SetupFactory):
    class Meta:
        model = Evidence

    implementation = factory.SubFactory(ImplementationFactory)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    kind = EvidenceKind.LAW
    url = factory.Sequence(lambda n: f"https://example.org/evidence/{n}")
    date = datetime.date(2020, 1, 1)


def minimal_pdf_bytes(text: str = "GCM Tracker test evidence") -> bytes:
    """A small but valid one-page PDF (correct cross-reference table), for upload tests."""
    content = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
