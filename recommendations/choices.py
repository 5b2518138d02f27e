"""Vocabularies of the tracker. Each is documented here once and used by models, forms, filters,
API, charts and imports alike; docs/vocabularies in the README repeats these definitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalGroup(models.TextChoices):
    """The UN regional groups of Member States."""

    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean", _("Latin American and Caribbean States")
    WEOG = "weog", _("Western European and other States")
    NONE = "none", _("No regional group")


class Region(models.TextChoices):
    """UN M49 regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


class Membership(models.TextChoices):
    MEMBER = "member", _("Member State")
    OBSERVER = "observer", _("Observer State")


class ThemeKind(models.TextChoices):
    ISSUE_AREA = "issue_area", _("Issue area of Issue Brief #1")
    POLICY_AREA = "policy_area", _("GFMD policy area")


class RecommendationKind(models.TextChoices):
    """What sort of item a source text is, under the sources' own headings: "Key recommendations",
    "political/general" and "practical/actionable recommendations", "Points of Convergence",
    "challenges", "Tools", "main issues", "guiding questions", "main takeaways", "Main social
    inclusion models", "Main means of implementation", and what a named person said (a statement)."""

    KEY = "key", _("Key recommendation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    POLITICAL = "political", _("Political/general recommendation")
    PRACTICAL = "practical", _("Practical/actionable recommendation")
    CONVERGENCE = "convergence", _("Point of convergence")
    CHALLENGE = "challenge", _("Challenge for further discussion")
    TOOL = "tool", _("Tool, policy or measure")
    ISSUE = "issue", _("Main issue raised")
    GUIDING_QUESTION = "guiding_question", _("Guiding question")
    TAKEAWAY = "takeaway", _("Takeaway from the discussion")
    INCLUSION_MODEL = "inclusion_model", _("Social inclusion model")
    MEANS_OF_IMPLEMENTATION = "means_of_implementation", _("Means of implementation")
    STATEMENT = "statement", _("Statement by a named participant")


class Status(models.TextChoices):
    """Implementation status. Small on purpose; ordered from no knowledge to done.

    - no_information: nobody has reported anything (the default; not a judgement).
    - not_started: the state confirms nothing has been done yet.
    - planned: a decision or plan exists, with no action under way.
    - in_progress: action is under way.
    - partially_implemented: part of the item is in force or delivered (needs evidence).
    - implemented: the item is in force or delivered in full (needs evidence).
    - not_applicable: the item does not apply to this state (e.g. no immigration detention).
    """

    NO_INFORMATION = "no_information", _("No information")
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Rank used to say whether a state moved up or down between two dates. Not applicable and
# no information sit outside the ladder: a move to or from them is "changed", not progress.
STATUS_RANK = {
    Status.NOT_STARTED: 1,
    Status.PLANNED: 2,
    Status.IN_PROGRESS: 3,
    Status.PARTIALLY_IMPLEMENTED: 4,
    Status.IMPLEMENTED: 5,
}

# Moving to these needs evidence and a public rationale.
EVIDENCED_STATUSES = frozenset({Status.PARTIALLY_IMPLEMENTED, Status.IMPLEMENTED})


class Track(models.TextChoices):
    """Two tracks of status: what the state says, and what the secretariat's review assesses."""

    REPORTED = "reported", _("Reported by the state")
    ASSESSED = "assessed", _("Assessed by the secretariat")


class Position(models.TextChoices):
    """The state's position on an item, in the vocabulary of UPR responses."""

    NO_RESPONSE = "no_response", _("No response")
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
    NOTED = "noted", _("Noted")


class EvidenceKind(models.TextChoices):
    LAW = "law", _("Law or regulation")
    POLICY = "policy", _("Policy or strategy")
    PROGRAMME = "programme", _("Programme")
    BUDGET = "budget", _("Budget line")
    DATASET = "dataset", _("Data set")
    REPORT = "report", _("Report")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("Public")


class CycleKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    REGIONAL_REVIEW = "regional_review", _("Regional review")
    REVIEW_FORUM = "review_forum", _("International Migration Review Forum")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Sex(models.TextChoices):
    TOTAL = "total", _("Total")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class MigratoryStatus(models.TextChoices):
    ALL = "all", _("All migrants")
    REGULAR = "regular", _("Regular situation")
    IRREGULAR = "irregular", _("Irregular situation")
    REFUGEE_ASYLUM = "refugee_asylum", _("Refugees and asylum seekers")


class Role(models.TextChoices):
    """Roles. Stored as Django groups of these names; the scope of a focal point is StateScope.
    The first three are staff; a contributor is not: they write their organisation's stakeholder
    reports and nothing else (`permissions.STAFF_ROLES`)."""

    FOCAL_POINT = "focal_point", _("Focal point")
    EDITOR = "editor", _("Secretariat editor")
    ADMINISTRATOR = "administrator", _("Administrator")
    CONTRIBUTOR = "contributor", _("Stakeholder contributor")


class StakeholderKind(models.TextChoices):
    """The stakeholders of the concept note's Annex I, in its words: "non-governmental
    organizations, civil society organizations, academic institutions, parliaments, diaspora
    communities, migrants, migrant organizations, the private sector, and national human rights
    institutions", and the "other relevant stakeholders" of its title."""

    NGO = "ngo", _("Non-governmental organization")
    CIVIL_SOCIETY = "civil_society", _("Civil society organization")
    ACADEMIC = "academic", _("Academic institution")
    PARLIAMENT = "parliament", _("Parliament")
    DIASPORA = "diaspora", _("Diaspora community")
    MIGRANTS = "migrants", _("Migrants")
    MIGRANT_ORGANIZATION = "migrant_organization", _("Migrant organization")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    NHRI = "nhri", _("National human rights institution")
    OTHER = "other", _("Other relevant stakeholder")


class OrganisationStatus(models.TextChoices):
    """Where a stakeholder organisation's registration stands: an editor approves or rejects it."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReportStatus(models.TextChoices):
    """Where a stakeholder report stands in moderation. Only an approved report is public."""

    SUBMITTED = "submitted", _("Submitted, waiting for moderation")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved and published")
    REJECTED = "rejected", _("Rejected")


class CorridorRole(models.TextChoices):
    """Where a state stands on a migration corridor."""

    ORIGIN = "origin", _("Origin")
    TRANSIT = "transit", _("Transit")
    DESTINATION = "destination", _("Destination")


class Door(models.TextChoices):
    """Where a write came from, as a change record says it."""

    PAGE = "page", _("Staff page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Import")
    BULK = "bulk", _("Bulk change")
    COMMAND = "command", _("Command")
    DEMO = "demo", _("Demo data")
    SCHEDULED = "scheduled", _("Scheduled job")


class ReminderKind(models.TextChoices):
    """The reminders of a reporting round, each sent to a state at most once (`RoundReminder`)."""

    OPENING = "opening", _("Round opened")
    BEFORE = "before", _("Before the deadline")
    AFTER = "after", _("After the deadline")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    LOADED = "loaded", _("Loaded from fixtures")
