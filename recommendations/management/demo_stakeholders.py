"""The demo's stakeholders (`manage.py demo`): two organisations, each with a contributor account
(demo-watch, demo-institute; the demo password), registered, confirmed and approved
through the services like anyone's, and their reports in every state of moderation: approved on
France's commitment 1 by both (so the page shows a summary), approved on Kenya's commitment 3,
one waiting in the editors' queue, one sent back with changes asked. All flagged demo."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from recommendations import services
from recommendations.choices import StakeholderKind, Status
from recommendations.models import State

ORGANISATIONS = [
    # username, name, kind, country
    ("demo-watch", "[Demo] Migrant Rights Watch", StakeholderKind.NGO, "FR"),
    ("demo-institute", "[Demo] Institute for Inclusion Studies", StakeholderKind.ACADEMIC, "KE"),
]
# username, state, commitment, assessment, narrative, what the editor decides (None: waiting)
REPORTS = [
    ("demo-watch", "FR", 1, Status.PARTIALLY_IMPLEMENTED, "[Demo] The law is in force in part.", "approve"),
    ("demo-institute", "FR", 1, Status.IN_PROGRESS, "[Demo] Our survey finds work under way.", "approve"),
    ("demo-institute", "KE", 3, Status.PLANNED, "[Demo] A plan is announced; no action yet.", "approve"),
    ("demo-watch", "FR", 2, Status.NOT_STARTED, "[Demo] Nothing has started.", None),
    ("demo-watch", "KE", 1, Status.IN_PROGRESS, "[Demo] Training of officials has begun.", "changes"),
]


def build(*, editor, password: str) -> int:
    """Write the demo's organisations, contributors and reports; returns how many reports."""
    contributors = {}
    for username, name, kind, country in ORGANISATIONS:
        registered = services.organisation_register(
            name=name,
            kind=kind,
            username=username,
            email=f"{username}@example.org",
            password=password,
            country=State.objects.get(iso2=country),
            website="https://example.org/",
            is_demo=True,
        )
        user = registered.user
        services.contributor_confirm_email(
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)), token=default_token_generator.make_token(user)
        )
        services.organisation_moderate(actor=editor, organisation=registered.organisation, approve=True)
        contributors[username] = get_user_model().objects.get(pk=user.pk)  # fresh: approved organisation
    for number, (username, state, commitment, assessment, narrative, decision) in enumerate(REPORTS):
        survey = ContentFile(b"question,answer\nlegal aid offered,yes\n", name=f"demo-survey-{number}.csv")
        report = services.report_submit(
            actor=contributors[username],
            state=state,
            commitment=commitment,
            assessment=assessment,
            narrative=narrative,
            links=[services.Link(url="https://example.org/demo-findings", title="[Demo] Findings")],
            files=[survey] if number == 0 else [],
            is_demo=True,
        )
        if decision:
            reason = "" if decision == "approve" else "[Demo] Cite the source of the figures."
            services.report_moderate(actor=editor, report=report, decision=decision, reason=reason)
    return len(REPORTS)
