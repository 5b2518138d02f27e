"""Where things were said and when: phases, events, their sessions and people, and documents.

Longer than 400 lines: the events app's models stay in this one module (phases, events and their
listings, sessions, participants and how each source names them, documents), as Django looks for them.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gcmtracker.reverse import reverse_code

from .choices import DatePrecision, DocumentKind, EventKind, ParticipantRole, SessionKind


class SlugManager(models.Manager):
    """Looks rows up by their slug, the natural key fixtures use."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class EventOrderManager(models.Manager):
    """Looks up rows keyed by their event's slug and their order inside it."""

    def get_by_natural_key(self, event_slug, order):
        return self.get(event__slug=event_slug, order=order)


class Phase(models.Model):
    """A phase of the GCM preparatory process as the sources define them: I consultations, II stocktaking,
    III intergovernmental negotiations. (The adopting conference is listed after Phase III, not as a phase.)"""

    slug = models.SlugField(_("slug"), unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True, help_text=_("Sort order."))
    name = models.CharField(_("name"), max_length=200)
    period_text = models.CharField(
        _("period, as the source gives it"),
        max_length=200,
        blank=True,
        help_text=_('e.g. "April 2017 – November 2017"'),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name as a label in the active language (events/labels.py)."""
        return gettext(self.name) if self.name else ""

    def natural_key(self):
        return (self.slug,)


class Document(models.Model):
    """A source document: a letter, note, issue brief or report, with where it was issued."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    date_text = models.CharField(_("date, as the source gives it"), max_length=100, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=100, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    author = models.CharField(_("author or issuing office"), max_length=300, blank=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Added by the secretariat, not from the source documents.")
    )
    cites = models.ManyToManyField(
        "self",
        verbose_name=_("documents it cites"),
        symmetrical=False,
        blank=True,
        related_name="cited_by",
        help_text=_("Documents this one cites by symbol or title."),
    )

    objects = SlugManager()

    class Meta:
        ordering = ["date", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_code("events:document-detail", self.slug)

    @property
    def localized_description(self) -> str:
        """The secretariat's description in the active language (events/labels.py); downloads and the
        API keep the stored English."""
        return gettext(self.description) if self.description else ""

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.event"]


class Event(models.Model):
    """A meeting where recommendations were made or the compact was discussed.

    Sources date events loosely ("TBC", "September TBA", "Second half of 2017"). `date_text`
    keeps the source's wording, which is what pages show; `start_date`/`end_date` are the widest
    honest bounds of that wording, used only for sorting and filtering, and `date_precision` says
    how far to trust them. A tentative date (TBC/TBA) is flagged, never silently made firm.
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    title = models.CharField(_("title"), max_length=500)
    place = models.CharField(_("place"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    theme = models.TextField(_("theme"), blank=True)
    date_text = models.CharField(_("date, as the source gives it"), max_length=100, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=16, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    tentative = models.BooleanField(_("tentative"), default=False, help_text=_("The source marks the date TBC or TBA."))
    place_tentative = models.BooleanField(
        _("place tentative"), default=False, help_text=_("The source marks the place TBC or TBA.")
    )
    start_date = models.DateField(_("earliest start"), null=True, blank=True)
    end_date = models.DateField(_("latest end"), null=True, blank=True)
    listed_in = models.ForeignKey(
        Document,
        verbose_name=_("shown as listed in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listed_events",
        help_text=_(
            "The source document whose wording of the title, date and place this event shows first. "
            "Every source's own wording is in the event's listings."
        ),
    )
    notes = models.TextField(
        _("editorial notes"),
        blank=True,
        help_text=_("Added by the secretariat, not from the source documents."),
    )
    sources_differ = models.BooleanField(
        _("sources differ"),
        default=False,
        editable=False,
        help_text=_("Set by the seed loader: the listings give different dates, places, organisers or titles."),
    )
    differs_on = models.CharField(
        _("sources differ on"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_('What the listings differ on, e.g. "date, place".'),
    )

    objects = SlugManager()

    class Meta:
        ordering = [models.F("start_date").asc(nulls_last=True), "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                name="event_end_not_before_start",
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="event_valid_date_precision", condition=models.Q(date_precision__in=DatePrecision.values)
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.slug])

    @property
    def localized_notes(self) -> str:
        """The editorial notes in the active language (events/labels.py)."""
        return gettext(self.notes) if self.notes else ""

    @property
    def differs_on_display(self):
        """What the listings differ on, translated: "date, title"."""
        from .listings import aspect_labels

        return ", ".join(str(label) for label in aspect_labels(self.differs_on))

    def natural_key(self):
        return (self.slug,)

    @property
    def location(self) -> str:
        """Venue and place in one line, the place said once: the sources often name a venue that
        already holds the city ("United Nations Office, Geneva", in Geneva)."""
        if not self.venue:
            return self.place
        if not self.place or self.place.casefold() in self.venue.casefold():
            return self.venue
        return f"{self.venue}, {self.place}"


class PlacedInDocument(models.Model):
    """Where a part stands in the document that holds it, among that document's items (the
    recommendations, takeaways, questions… numbered by their `order`), so the document page reads
    in the source's order: the section, the item it follows, and its rank among the other parts."""

    section = models.CharField(
        _("section of the document"),
        max_length=300,
        blank=True,
        help_text=_("The heading of the section where it stands, as the source gives it; blank before the first."),
    )
    after_item = models.PositiveSmallIntegerField(
        _("after item"), default=0, help_text=_("The order of the document's item it follows (0: before the first).")
    )
    sequence = models.PositiveSmallIntegerField(
        _("order among the document's other parts"), default=0, help_text=_("Statements and listings, in turn.")
    )

    class Meta:
        abstract = True


class ListingTexts:
    """A listing's texts in the tracker's own words, in the active language: its editorial note
    (events/labels.py) and its locator (LISTING_PLACES), the source's headings it names kept in
    English. Downloads and the API keep the stored English."""

    @property
    def localized_editorial_note(self) -> str:
        return gettext(self.editorial_note) if self.editorial_note else ""

    @property
    def localized_place_in_source(self) -> str:
        return gettext(self.place_in_source) if self.place_in_source else ""


class EventListing(ListingTexts, PlacedInDocument):
    """How one source document lists an event: its title, date, place and organiser in that source's words.

    Sources list the same event differently (the table of main preparatory events and the
    Secretary-General's workplan give different dates for some, "TBC" in one and not the other).
    Each listing keeps its own source's wording; the event's sortable bounds cover every listing.
    Only `editorial_note` is the secretariat's own text.
    """

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="listings")
    order = models.PositiveSmallIntegerField(_("order"))
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT, related_name="listings"
    )
    place_in_source = models.CharField(
        _("place in the source"),
        max_length=300,
        help_text=_('Section, paragraph or table row, e.g. "Table, Informal thematic sessions, row 1".'),
    )
    category = models.CharField(
        _("category, as the source gives it"),
        max_length=200,
        blank=True,
        help_text=_('The group or column the source puts it in, e.g. "Regional Consultative Process".'),
    )
    title = models.CharField(_("title, as the source gives it"), max_length=500, blank=True)
    date_text = models.CharField(_("date, as the source gives it"), max_length=100, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=16, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    tentative = models.BooleanField(_("tentative"), default=False, help_text=_("The source marks the date TBC or TBA."))
    start_date = models.DateField(_("earliest start"), null=True, blank=True)
    end_date = models.DateField(_("latest end"), null=True, blank=True)
    place = models.CharField(_("place, as the source gives it"), max_length=200, blank=True)
    place_tentative = models.BooleanField(
        _("place tentative"), default=False, help_text=_("The source marks the place TBC or TBA.")
    )
    organiser = models.CharField(_("organiser, as the source gives it"), max_length=300, blank=True)
    editorial_note = models.TextField(
        _("editorial note"), blank=True, help_text=_("Added by the secretariat, not from the source documents.")
    )

    objects = EventOrderManager()

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="eventlisting_unique_order"),
            models.CheckConstraint(
                name="eventlisting_end_not_before_start",
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="eventlisting_valid_date_precision", condition=models.Q(date_precision__in=DatePrecision.values)
            ),
        ]

    def __str__(self):
        return f"{self.event} ({self.document})"

    def natural_key(self):
        return (self.event.slug, self.order)

    natural_key.dependencies = ["events.event", "events.document"]


class EventSession(models.Model):
    """A panel, working session or other segment inside an event, with its agenda times."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices, default=SessionKind.OTHER)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True, help_text=_("Day 1, day 2, ..."))
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    time_text = models.CharField(_("time, as the source gives it"), max_length=50, blank=True)

    objects = EventOrderManager()

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["event", "order"], name="eventsession_unique_order")]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.event.slug, self.order)

    natural_key.dependencies = ["events.event"]


class Participant(PlacedInDocument):
    """A person (or a delegation) with a role at an event, and the state or organisation they represent;
    where the report of the event introduces them or gives what they said (`PlacedInDocument`)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants")
    order = models.PositiveSmallIntegerField(_("order"))
    session = models.ForeignKey(
        EventSession,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Blank when a delegation speaks."))
    position = models.CharField(_("position"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    state = models.ForeignKey(
        "recommendations.State",
        verbose_name=_("state represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    organisation = models.CharField(_("organisation represented"), max_length=300, blank=True)
    statement = models.TextField(_("what they said"), blank=True, help_text=_("Quoted from the source."))

    objects = EventOrderManager()

    class Meta:
        ordering = ["event", "order"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="participant_unique_order"),
            models.CheckConstraint(
                name="participant_represents_someone",
                condition=~models.Q(name="") | models.Q(state__isnull=False) | ~models.Q(organisation=""),
            ),
        ]

    def __str__(self):
        who = self.name or (self.state.name if self.state_id else self.organisation)
        return f"{who} ({self.get_role_display()})"

    def natural_key(self):
        return (self.event.slug, self.order)

    natural_key.dependencies = ["events.event", "recommendations.state"]


class ParticipantListingManager(models.Manager):
    def get_by_natural_key(self, event_slug, participant_order, order):
        return self.get(participant__event__slug=event_slug, participant__order=participant_order, order=order)


class ParticipantListing(ListingTexts, models.Model):
    """How one source document names a participant and their role, in that source's words.

    The sources word the same person differently (the PGA letter's "Juan Jose Gómez Camacho,
    Permanent Representative of Mexico", the co-facilitators' own signature "Juan José Gómez
    Camacho, Ambassador and Permanent Representative of Mexico to the United Nations"); the
    participant keeps one wording, and `role` in the tracker's vocabulary; each listing keeps its
    source's. Only `editorial_note` is the secretariat's own text.
    """

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="listings"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    document = models.ForeignKey(
        Document, verbose_name=_("source document"), on_delete=models.PROTECT, related_name="participant_listings"
    )
    place_in_source = models.CharField(_("place in the source"), max_length=300)
    name = models.CharField(_("name, as the source gives it"), max_length=200, blank=True)
    position = models.CharField(_("position, as the source gives it"), max_length=300, blank=True)
    role_text = models.CharField(_("role, as the source gives it"), max_length=300, blank=True)
    editorial_note = models.TextField(
        _("editorial note"), blank=True, help_text=_("Added by the secretariat, not from the source documents.")
    )

    objects = ParticipantListingManager()

    class Meta:
        ordering = ["participant", "order"]
        verbose_name = _("how a source names a participant")
        verbose_name_plural = _("how the sources name participants")
        constraints = [models.UniqueConstraint(fields=["participant", "order"], name="participantlisting_unique_order")]

    def __str__(self):
        return f"{self.participant} in {self.document}"

    def natural_key(self):
        return (*self.participant.natural_key(), self.order)

    natural_key.dependencies = ["events.participant", "events.document"]
