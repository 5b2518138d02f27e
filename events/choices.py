"""Vocabularies of the events app, documented once and used by models, forms, filters and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """The kinds of meeting the sources list, grouped as the Secretary-General's workplan colours them."""

    THEMATIC_SESSION = "thematic_session", _("Informal thematic session")
    REGIONAL_COMMISSION = "regional_commission", _("UN regional commission meeting")
    REGIONAL_CONSULTATIVE_PROCESS = "regional_consultative_process", _("Regional consultative process")
    MULTI_STAKEHOLDER_HEARING = "multi_stakeholder_hearing", _("Multi-stakeholder hearing")
    GFMD = "gfmd", _("Global Forum on Migration and Development")
    IDM = "idm", _("IOM International Dialogue on Migration")
    STOCKTAKING = "stocktaking", _("Preparatory stocktaking meeting")
    NEGOTIATION = "negotiation", _("Intergovernmental negotiations")
    CONFERENCE = "conference", _("Intergovernmental conference")
    DOCUMENT_RELEASE = "document_release", _("Distribution of documents")
    REVIEW = "review", _("Review forum or regional review")
    RESOLUTION = "resolution", _("Adoption of a resolution")
    DEADLINE = "deadline", _("Deadline")
    BRIEFING = "briefing", _("Briefing")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    """How precisely a source dates an event; the start/end dates are only as good as this says."""

    DAY = "day", _("Day")
    WEEK = "week", _("Week of a month")
    PART_OF_MONTH = "part_of_month", _("Part of a month (early, mid, late)")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    PANEL = "panel", _("Expert panel")
    SUMMARY_PANEL = "summary_panel", _("Summary panel")
    WORKING_SESSION = "working_session", _("Working session")
    ROUNDTABLE = "roundtable", _("Roundtable")
    BREAK = "break", _("Break")
    CLOSING = "closing", _("Closing")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MODERATOR = "moderator", _("Moderator")
    PANELLIST = "panellist", _("Panellist")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    SPEAKER = "speaker", _("Speaker")


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    PROCEDURAL_NOTE = "procedural_note", _("Procedural note")
    WORKPLAN = "workplan", _("Workplan")
    ISSUE_BRIEF = "issue_brief", _("Issue brief")
    BRIEFING_PAPER = "briefing_paper", _("Briefing paper")
    REPORT = "report", _("Report")
    RESOLUTION = "resolution", _("Resolution")
    OTHER = "other", _("Other")
