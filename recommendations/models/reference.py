"""What should be done (commitments, recommendations, themes) and who it concerns (states).

The other models live beside this module (`tracking.py`, `review.py`, `corridors.py`) and
`models/__init__.py` re-exports every one, so Django and callers find them in one place.
"""

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from gcmtracker.reverse import reverse_code

from ..choices import Membership, RecommendationKind, Region, RegionalGroup, ThemeKind

# The two observer States: CLDR names the territories ("Palestinian Territories", "Vatican City"),
# not the States the UN admits as observers, so their UN names are translated in the catalogs.
OBSERVER_STATE_NAMES = {"PS": _("State of Palestine"), "VA": _("Holy See")}


@cache
def _territory_names(language: str) -> dict:
    """CLDR's territory names in one language, as Babel ships them (maintained by the Unicode Consortium)."""
    try:
        return Locale.parse(language, sep="-").territories
    except (UnknownLocaleError, ValueError):
        return {}


def _active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localized_state_name(iso2: str, name: str) -> str:
    """A state's name in the active language: `name` (the UN name) in English, CLDR's in the other
    languages, `name` again where CLDR has none. For the pages that have a code, not a State."""
    language = _active_language()
    if language == "en":
        return name
    if iso2 in OBSERVER_STATE_NAMES:
        return str(OBSERVER_STATE_NAMES[iso2])
    return _territory_names(language).get(iso2, name)


def sorted_by_localized_name(states, *, reverse=False) -> list:
    """States in the alphabetical order of their names in the active language, accents aside
    (the database can only sort by the English name)."""

    def key(state):
        decomposed = unicodedata.normalize("NFKD", state.localized_name)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return sorted(states, key=key, reverse=reverse)


class StateManager(models.Manager):
    def get_by_natural_key(self, iso2):
        return self.get(iso2=iso2)


class State(models.Model):
    """A UN Member State or observer State. Everything else refers to states through this table."""

    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166 numeric"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    membership = models.CharField(_("membership"), max_length=10, choices=Membership.choices)
    regional_group = models.CharField(_("UN regional group"), max_length=32, choices=RegionalGroup.choices)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)
    subregion = models.CharField(_("sub-region"), max_length=100, blank=True)

    objects = StateManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")
        constraints = [
            models.CheckConstraint(name="state_iso2_upper", condition=models.Q(iso2__regex=r"^[A-Z]{2}$")),
            models.CheckConstraint(name="state_iso3_upper", condition=models.Q(iso3__regex=r"^[A-Z]{3}$")),
            models.CheckConstraint(
                name="state_valid_regional_group", condition=models.Q(regional_group__in=RegionalGroup.values)
            ),
        ]

    def __str__(self):
        return self.localized_name

    def get_absolute_url(self):
        return reverse_code("recommendations:state-detail", self.iso2)

    def natural_key(self):
        return (self.iso2,)

    @property
    def localized_name(self) -> str:
        """The name in the active language: the UN name in English (the source of truth), CLDR's in
        the other languages, the UN name again where CLDR has none."""
        return localized_state_name(self.iso2, self.name)

    @property
    def localized_subregion(self) -> str:
        """The M49 sub-region (recommendations/labels.py) in the active language."""
        return gettext(self.subregion) if self.subregion else ""


class CodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class SDGTarget(models.Model):
    """A Sustainable Development Goal or target the sources link to (e.g. 10.7, 8.8, goal 3)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=300)

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return f"SDG {self.code}"

    @property
    def localized_title(self) -> str:
        """The title (editorial, recommendations/labels.py) in the active language."""
        return gettext(self.title) if self.title else ""

    def natural_key(self):
        return (self.code,)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Theme(models.Model):
    """An issue area of Issue Brief #1 (a-d) or a GFMD policy area."""

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ThemeKind.choices)
    code = models.CharField(_("code in the source"), max_length=10, blank=True, help_text=_('e.g. "a"'))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300, help_text=_("Verbatim from the source."))
    document = models.ForeignKey(
        "events.Document", verbose_name=_("source document"), on_delete=models.PROTECT, related_name="themes"
    )
    sdg_targets = models.ManyToManyField(SDGTarget, verbose_name=_("SDG targets"), blank=True, related_name="themes")

    objects = SlugManager()

    class Meta:
        ordering = ["kind", "order"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return f"{self.code}. {self.name}" if self.code else self.name

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.document"]


def validate_translations(value):
    """Official translations of a source text, by interface language: {"fr": "...", "ar": "..."}."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give the translations as an object keyed by language code."))
    languages = {code for code, _name in settings.LANGUAGES if code != "en"}
    for code, text in value.items():
        if code not in languages:
            raise ValidationError(
                _("“%(code)s” is not one of the interface's other languages (%(languages)s)."),
                params={"code": code, "languages": ", ".join(sorted(languages))},
            )
        if not isinstance(text, str) or not text.strip():
            raise ValidationError(_("The %(code)s translation is empty."), params={"code": code})


class SourceText(models.Model):
    """A text quoted verbatim from its source, in the source's language (English), with room for the
    official translations the UN has published. Never machine translations: a translation that is
    not official is not a quotation."""

    translations = models.JSONField(
        _("official translations"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_('Official translations of the text, by language code, e.g. {"fr": "…", "es": "…"}.'),
    )

    class Meta:
        abstract = True

    @property
    def official_translation(self) -> str:
        """The official translation into the active language, or "" when there is none."""
        return self.translations.get(_active_language(), "") if self.translations else ""


class CommitmentManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class Commitment(SourceText):
    """One of the ten commitments of Issue Brief #1, word for word."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_title = models.CharField(_("short title"), max_length=120)
    text = models.TextField(_("text"), help_text=_("Verbatim from Issue Brief #1."))
    document = models.ForeignKey(
        "events.Document", verbose_name=_("source document"), on_delete=models.PROTECT, related_name="commitments"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="commitments")
    sdg_targets = models.ManyToManyField(
        SDGTarget, verbose_name=_("SDG targets"), blank=True, related_name="commitments"
    )

    objects = CommitmentManager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.CheckConstraint(name="commitment_number_positive", condition=models.Q(number__gte=1))]

    def __str__(self):
        return f"{self.number}. {self.localized_short_title}"

    def get_absolute_url(self):
        return reverse("recommendations:commitment-detail", args=[self.number])

    def natural_key(self):
        return (self.number,)

    natural_key.dependencies = ["events.document"]

    @property
    def stored_label(self) -> str:
        """ "3. End child immigration detention…" as stored, in English: what downloads give,
        whatever the page's language (str() is the page's language)."""
        return f"{self.number}. {self.short_title}"

    @property
    def localized_short_title(self) -> str:
        """The short title (editorial, recommendations/labels.py) in the active language."""
        return gettext(self.short_title) if self.short_title else ""


class CommitmentActionManager(models.Manager):
    def get_by_natural_key(self, commitment_number, number):
        return self.get(commitment__number=commitment_number, number=number)


class CommitmentAction(SourceText):
    """A distinct action inside a commitment (commitment 3 asks for four), tracked on its own."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), help_text=_("Verbatim from the commitment."))

    objects = CommitmentActionManager()

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["commitment", "number"], name="action_unique_number")]

    def __str__(self):
        return f"{self.commitment.number}.{self.number}"

    def natural_key(self):
        return (self.commitment.number, self.number)

    natural_key.dependencies = ["recommendations.commitment"]


class Recommendation(SourceText):
    """A recommendation (or convergence point, challenge, tool, guiding question) quoted from a source.

    `section` and `place` say where in the document it stands, `order` is its position there;
    `parent` holds a sub-item under the item it belongs to. Year of origin is kept as the source
    writes it ("2013-2014") and as a numeric range for filtering.
    """

    code = models.SlugField(_("code"), unique=True, max_length=80)
    document = models.ForeignKey(
        "events.Document", verbose_name=_("source document"), on_delete=models.PROTECT, related_name="recommendations"
    )
    order = models.PositiveSmallIntegerField(_("order in the document"))
    section = models.CharField(_("section"), max_length=300, blank=True)
    place = models.CharField(_("place in the source"), max_length=200, blank=True, help_text=_('e.g. "item 3"'))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent item"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event where it was made"),
        help_text=_(
            "Only where the source says it was made there. A document citing an older recommendation "
            "(the briefing paper's key recommendations, first made at GFMD meetings 2007 to 2014) "
            "leaves this empty: the document's own event is where it was cited."
        ),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RecommendationKind.choices)
    text = models.TextField(_("text"), help_text=_("Verbatim from the source."))
    origin_text = models.CharField(
        _("where first made, as the source gives it"),
        max_length=200,
        blank=True,
        help_text=_(
            'e.g. "GFMD Discussions": the forum or meeting the source says it comes from, with the year(s) below.'
        ),
    )
    year_text = models.CharField(_("year(s) first made, as the source gives it"), max_length=20, blank=True)
    year_from = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="recommendations")
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments supported"), blank=True, related_name="recommendations"
    )

    objects = CodeManager()

    class Meta:
        ordering = ["document", "order"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="recommendation_unique_order"),
            models.CheckConstraint(
                name="recommendation_year_range",
                condition=models.Q(year_from__isnull=True)
                | models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
            ),
            models.CheckConstraint(
                name="recommendation_valid_kind", condition=models.Q(kind__in=RecommendationKind.values)
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return reverse_code("recommendations:recommendation-detail", self.code)

    @property
    def localized_place(self) -> str:
        """The tracker's locator in the active language (recommendations/labels.py RECOMMENDATION_PLACES),
        the source's headings kept in English; downloads and the API keep the stored English."""
        return gettext(self.place) if self.place else ""

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = [
        "events.document",
        "events.event",
        "recommendations.theme",
        "recommendations.commitment",
    ]
