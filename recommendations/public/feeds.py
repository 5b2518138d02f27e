"""Atom feeds of public status changes: overall, per state and per commitment.

An entry says what changed, when, on which track, with the public rationale and the published
evidence; the author is the role (focal point, secretariat), never a person or account. Each
feed also carries the other public change records (a new lead agency, a due date, evidence
published or unpublished, a corrected measurement, reference data edited), in plain words, and
the stakeholder reports published (by the organisation's name, never a person's).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .. import selectors
from ..choices import Role, Status, Track
from ..models import ChangeRecord, Commitment, StakeholderReport, State
from ..voices import public_reports

FEED_SIZE = 50


def public_updates():
    """Status changes as the public sees them (no comment, no author, public evidence only), newest
    recorded first; a review that left the status as it was is not a change."""
    return selectors.public_history().changes().order_by("-created_at", "-id")


def _when(item):
    return item.published_at if isinstance(item, StakeholderReport) else item.created_at


def _with_changes(updates, records, reports) -> list:
    """Status changes, the other public change records and the published stakeholder reports,
    newest first, FEED_SIZE in all."""
    # The author of an entry is the role (`item_author_name`): read it with the rows, not one
    # query per entry (public_changes defers it); the account stays unread.
    records = records.select_related("state").defer(None).defer("actor", "request_id")
    items = [*updates, *records[:FEED_SIZE], *reports.order_by("-published_at", "-id")[:FEED_SIZE]]
    items.sort(key=_when, reverse=True)
    return items[:FEED_SIZE]


def _record_title(record) -> str:
    """A change record's entry title: the state and item it concerns, then what changed."""
    what = "; ".join(record.sentences())
    implementation = record.implementation
    if implementation is not None:
        return _("%(state)s, %(item)s: %(change)s") % {
            "state": record.state.name if record.state_id else "",
            "item": implementation.item_label,
            "change": what,
        }
    if record.state_id:
        return _("%(state)s: %(change)s") % {"state": record.state.name, "change": what}
    return what


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("GCM Tracker: status changes")

    def subtitle(self, obj=None):
        return _("What states report and what the secretariat assesses, with the evidence.")

    def link(self, obj=None):
        return reverse("recommendations:dashboard")

    def feed_guid(self, obj=None):
        return f"{settings.SITE_URL}{self.link(obj)}#changes"

    def items(self, obj=None):
        return _with_changes(public_updates()[:FEED_SIZE], selectors.public_changes(), public_reports())

    def item_title(self, item):
        if isinstance(item, ChangeRecord):
            return _record_title(item)
        if isinstance(item, StakeholderReport):
            return _("%(state)s, %(item)s: %(organisation)s reports “%(assessment)s” (stakeholder report)") % {
                "state": item.implementation.state.name,
                "item": item.implementation.item_label,
                "organisation": item.organisation.name,
                "assessment": item.get_assessment_display(),
            }
        implementation = item.implementation
        return _("%(state)s, %(item)s: %(before)s → %(after)s (%(track)s)") % {
            "state": implementation.state.name,
            "item": implementation.item_label,
            "before": Status(item.previous_status).label,
            "after": Status(item.status).label,
            "track": Track(item.track).label,
        }

    def item_description(self, item):
        if isinstance(item, ChangeRecord):
            return "\n".join(item.sentences())
        if isinstance(item, StakeholderReport):
            links = [f"{e.title}" + (f" <{e.url}>" if e.url else "") for e in item.evidence.all()]
            lines = [item.narrative, *([_("Evidence: %(list)s") % {"list": "; ".join(links)}] if links else [])]
            return "\n".join(lines)
        lines = [item.rationale] if item.rationale else []
        evidence = [f"{e.title}" + (f" <{e.url}>" if e.url else "") for e in item.public_evidence]
        if evidence:
            lines.append(_("Evidence: %(list)s") % {"list": "; ".join(evidence)})
        return "\n".join(lines) or _("No public rationale was given.")

    def item_link(self, item):
        if isinstance(item, StakeholderReport):
            return reverse("recommendations:state-detail", args=[item.implementation.state.iso2]) + "#stakeholders"
        if isinstance(item, ChangeRecord):
            if item.state_id:
                return reverse("recommendations:state-detail", args=[item.state.iso2]) + f"#change-{item.pk}"
            return reverse("recommendations:dashboard")
        return reverse("recommendations:state-detail", args=[item.implementation.state.iso2]) + f"#update-{item.pk}"

    def item_guid(self, item):
        if isinstance(item, StakeholderReport):
            return f"{settings.SITE_URL}/stakeholder-reports/{item.pk}"
        if isinstance(item, ChangeRecord):
            return f"{settings.SITE_URL}/changes/{item.pk}"
        return f"{settings.SITE_URL}/status-updates/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return _when(item)

    def item_updateddate(self, item):
        return _when(item)

    def item_author_name(self, item):
        if isinstance(item, StakeholderReport):
            return item.organisation.name
        if isinstance(item, ChangeRecord):
            return Role(item.actor_role).label if item.actor_role else _("GCM Tracker")
        return Role(item.author_role).label if item.author_role else _("GCM Tracker")


class StateChangesFeed(ChangesFeed):
    def get_object(self, request, iso2):
        return get_object_or_404(State, iso2=iso2.upper())

    def title(self, obj=None):
        return _("GCM Tracker: status changes for %(state)s") % {"state": obj.name}

    def link(self, obj=None):
        return reverse("recommendations:state-detail", args=[obj.iso2])

    def items(self, obj=None):
        return _with_changes(
            public_updates().filter(state=obj)[:FEED_SIZE],
            selectors.public_changes().filter(state=obj),
            public_reports(state=obj),
        )


class CommitmentChangesFeed(ChangesFeed):
    def get_object(self, request, number):
        return get_object_or_404(Commitment, number=number)

    def title(self, obj=None):
        return _("GCM Tracker: status changes on commitment %(number)s") % {"number": obj.number}

    def link(self, obj=None):
        return reverse("recommendations:commitment-detail", args=[obj.number])

    def items(self, obj=None):
        return _with_changes(
            public_updates().filter(implementation__commitment=obj)[:FEED_SIZE],
            selectors.public_changes().filter(commitment=obj),
            public_reports(commitment=obj),
        )
