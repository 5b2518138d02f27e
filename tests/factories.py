"""Factories for tests, demo data and benchmarks alike."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from events.models import Document, Event
from recommendations.choices import EvidenceKind, RecommendationKind, Role
from recommendations.models import Commitment, Evidence, Implementation, Recommendation, State, StateScope

_codes = itertools.count()


def _iso2(n):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Q" + letters[n % 26] if n < 26 else letters[(n // 26) % 26] + letters[n % 26]


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["iso2"]

    iso2 = factory.Sequence(lambda n: "X" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26] if n < 26 else _iso2(n + 300))
    iso3 = factory.LazyAttribute(lambda o: (o.iso2 + "X")[:3])
    numeric = factory.Sequence(lambda n: f"{900 + n % 100:03d}" if n < 100 else f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Testland {n}")
    membership = "member"
    regional_group = "weog"
    region = "europe"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    slug = factory.Sequence(lambda n: f"test-document-{n}")
    title = factory.Sequence(lambda n: f"Test document {n}")
    kind = "report"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"test-event-{n}")
    title = factory.Sequence(lambda n: f"Test event {n}")
    kind = "other"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)
    short_title = factory.Sequence(lambda n: f"Test commitment {n}")
    text = "Test commitment text."
    document = factory.SubFactory(DocumentFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    code = factory.Sequence(lambda n: f"test-rec-{n}")
    document = factory.SubFactory(DocumentFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = RecommendationKind.PRACTICAL
    text = factory.Sequence(lambda n: f"Test recommendation {n}.")


class ImplementationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Implementation

    state = factory.SubFactory(StateFactory)
    commitment = factory.SubFactory(CommitmentFactory)


class UserFactory(factory.django.DjangoModelFactory):
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


class EvidenceFactory(factory.django.DjangoModelFactory):
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
