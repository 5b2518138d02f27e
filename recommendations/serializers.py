"""API representations of the tracker. Every field is listed by name: nothing reaches the API by default.

Longer than 400 lines: every field the API reads or accepts is declared in this one module, so a
review of what is public and what is staff-only reads one file.

Never here, for anyone: owner accounts' details beyond id and username, `added_by`, `author`,
`entered_by`, evidence file paths. Staff-only fields (owner, internal note, a status
update's comment) sit in a nullable `staff` object that is filled only for users whom
`permissions` lets edit that implementation; the public always gets `"staff": null`.

Counts come from annotations and nested lists from prefetches set up by the viewsets in `api/`;
a serializer never runs a query of its own.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from gcmtracker.validators import PlainTextValidator, PublicURLValidator

from . import permissions
from .choices import EvidenceKind, Position, Status, Track
from .models import (
    ChangeRecord,
    Commitment,
    CommitmentAction,
    Evidence,
    Implementation,
    Indicator,
    Measurement,
    Recommendation,
    ReportingRound,
    ReviewCycle,
    StakeholderEvidence,
    StakeholderReport,
    State,
    StatusUpdate,
    Theme,
)
from .services import uploads


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _slugs(field, **kwargs):
    """A read-only list of related rows, each given by its readable identifier."""
    return serializers.SlugRelatedField(slug_field=field, many=True, read_only=True, **kwargs)


class StateSerializer(serializers.ModelSerializer):
    class Meta:
        model = State
        fields = ["iso2", "iso3", "numeric", "name", "membership", "regional_group", "region", "subregion"]


class ThemeSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sdg_targets = _slugs("code")
    commitment_count = serializers.IntegerField(read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Theme
        fields = [
            "slug",
            "kind",
            "code",
            "order",
            "name",
            "document",
            "sdg_targets",
            "commitment_count",
            "recommendation_count",
        ]


class CommitmentActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentAction
        fields = ["number", "text"]


class CommitmentSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = _slugs("slug")
    sdg_targets = _slugs("code")
    actions = CommitmentActionSerializer(many=True, read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "number",
            "short_title",
            "text",
            "document",
            "themes",
            "sdg_targets",
            "actions",
            "recommendation_count",
            "indicator_count",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    themes = _slugs("slug")
    commitments = _slugs("number")

    class Meta:
        model = Recommendation
        fields = [
            "code",
            "document",
            "order",
            "section",
            "place",
            "parent",
            "event",
            "kind",
            "text",
            "year_text",
            "year_from",
            "year_to",
            "themes",
            "commitments",
        ]


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class ImplementationStaffSerializer(serializers.Serializer):
    """What only staff who may edit the implementation see."""

    owner = OwnerSerializer(allow_null=True, read_only=True)
    internal_note = serializers.CharField(read_only=True)


class _ItemFields(serializers.Serializer):
    """The readable identifiers of the state and item an implementation concerns."""

    state = serializers.SlugRelatedField(source="implementation.state", slug_field="iso2", read_only=True)
    commitment = serializers.SlugRelatedField(
        source="implementation.commitment", slug_field="number", read_only=True, allow_null=True
    )
    recommendation = serializers.SlugRelatedField(
        source="implementation.recommendation", slug_field="code", read_only=True, allow_null=True
    )


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class VisibleEvidenceIdsField(serializers.Field):
    """Ids of the evidence the viewset prefetched into `visible_evidence`: public evidence for the
    public, plus what the user's scope allows for staff."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [item.pk for item in value.visible_evidence]


class ImplementationSerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="iso2", read_only=True)
    commitment = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    recommendation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    disagrees = serializers.BooleanField(
        read_only=True, help_text=_("The state's report and the secretariat's assessment differ (both known).")
    )
    evidence = VisibleEvidenceIdsField(help_text=_("Ids of the evidence you may see (public evidence for the public)."))
    staff = serializers.SerializerMethodField(help_text=_("Staff-only fields; null unless you may edit this record."))

    class Meta:
        model = Implementation
        fields = [
            "id",
            "state",
            "commitment",
            "recommendation",
            "status",
            "status_changed_at",
            "assessment",
            "assessment_changed_at",
            "disagrees",
            "position",
            "lead_agency",
            "due_date",
            "last_reviewed",
            "version",
            "evidence",
            "is_demo",
            "updated_at",
            "staff",
        ]

    @extend_schema_field(ImplementationStaffSerializer(allow_null=True))
    def get_staff(self, implementation):
        if not permissions.can_edit_implementation(_user(self), implementation):
            return None
        owner = implementation.owner
        return {
            "owner": {"id": owner.pk, "username": owner.get_username()} if owner else None,
            "internal_note": implementation.internal_note,
        }


class StatusUpdateStaffSerializer(serializers.Serializer):
    comment = serializers.CharField(read_only=True)


class StatusUpdateSerializer(_ItemFields, serializers.ModelSerializer):
    """One entry of the history. The author is given by role only, never by name."""

    evidence = VisibleEvidenceIdsField(help_text=_("Ids of the evidence this update rests on that you may see."))
    staff = serializers.SerializerMethodField(help_text=_("Staff-only fields; null unless you may edit this record."))

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "implementation",
            "state",
            "commitment",
            "recommendation",
            "track",
            "status",
            "previous_status",
            "effective_date",
            "rationale",
            "author_role",
            "evidence",
            "is_demo",
            "created_at",
            "staff",
        ]

    @extend_schema_field(StatusUpdateStaffSerializer(allow_null=True))
    def get_staff(self, update):
        if not permissions.can_edit_implementation(_user(self), update.implementation):
            return None
        return {"comment": update.comment}


class EvidenceSerializer(_ItemFields, serializers.ModelSerializer):
    """Evidence without the uploader or the stored file path: a file is reached through its download URL,
    which checks access again."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "implementation",
            "state",
            "commitment",
            "recommendation",
            "title",
            "kind",
            "date",
            "url",
            "download_url",
            "original_filename",
            "content_type",
            "size",
            "description",
            "verified",
            "visibility",
            "published_at",
            "added_at",
            "is_demo",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, evidence):
        if not evidence.file:
            return None
        url = evidence.get_download_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReviewCycleSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = ReviewCycle
        fields = ["slug", "name", "kind", "event", "opens_on", "closes_on", "description", "is_demo"]


class RoundStateProgressSerializer(serializers.Serializer):
    """One state's progress in a round (`recommendations/rounds.py`), frozen once it is closed."""

    state = serializers.CharField(source="state.iso2", help_text=_("ISO 3166 alpha-2 code."))
    name = serializers.CharField(source="state.name")
    regional_group = serializers.CharField(source="state.regional_group")
    items = serializers.IntegerField(help_text=_("The round's items this state tracks."))
    reported = serializers.IntegerField(help_text=_("Items reported in the round, confirmations included."))
    confirmed = serializers.IntegerField(help_text=_("Of which confirmed unchanged."))
    percent = serializers.IntegerField()
    done = serializers.BooleanField(help_text=_("Every item reported."))
    completed_at = serializers.DateTimeField(allow_null=True)
    last_reported_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField(help_text=_("Reported after the deadline."))


class RoundSummarySerializer(serializers.Serializer):
    states = serializers.IntegerField()
    reported = serializers.IntegerField(help_text=_("States that reported every item."))
    started = serializers.IntegerField(help_text=_("States that reported some items, not all."))
    late = serializers.IntegerField()
    items = serializers.IntegerField()
    items_reported = serializers.IntegerField()


class ReportingRoundSerializer(serializers.ModelSerializer):
    cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    commitments = _slugs("number")
    recommendations = _slugs("code")
    states = _slugs("iso2")
    is_open = serializers.BooleanField(read_only=True, help_text=_("Not closed yet."))

    class Meta:
        model = ReportingRound
        fields = [
            "slug",
            "name",
            "cycle",
            "opens_on",
            "deadline",
            "message",
            "commitments",
            "recommendations",
            "states",
            "invite_stakeholders",
            "is_open",
            "closed_at",
            "is_demo",
        ]


class ReportingRoundDetailSerializer(ReportingRoundSerializer):
    """A round with each state's progress (`api_progress`, set by the viewset) and its summary."""

    summary = RoundSummarySerializer(source="api_summary", read_only=True)
    progress = RoundStateProgressSerializer(source="api_progress", many=True, read_only=True)

    class Meta(ReportingRoundSerializer.Meta):
        fields = [*ReportingRoundSerializer.Meta.fields, "summary", "progress"]


class IndicatorSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="number", read_only=True)
    measurement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "commitment",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "target_date",
            "description",
            "is_demo",
            "measurement_count",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state = serializers.SlugRelatedField(slug_field="iso2", read_only=True)
    review_cycle = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "state",
            "date",
            "review_cycle",
            "value",
            "sex",
            "age_group",
            "migratory_status",
            "source",
            "is_demo",
        ]


# Writes. These serializers only parse and validate input; the viewsets hand the result to services.


class StrictCharField(serializers.CharField):
    """Text, and only text: DRF would read the number 0 as "0", which the schema says is no string.
    (A form's values are always text, so a form is read as before.)"""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number, and only a number: DRF would read "3" or 3.0 as 3, which the schema says is
    no integer (the writes that use it read JSON only)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record's id as a number (or null): DRF would read "5" as 5, which the schema says is no
    integer (the assignment reads JSON only)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class BoundedListField(serializers.ListField):
    """A list of at most `API_MAX_LIST_LENGTH` items, counted before any item is looked at: a list
    of 50,000 ids is refused at once, whatever else the request holds."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.max_length = settings.API_MAX_LIST_LENGTH

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > settings.API_MAX_LIST_LENGTH:
            self.fail("max_length", max_length=settings.API_MAX_LIST_LENGTH)
        return super().to_internal_value(data)


class VersionedWriteSerializer(serializers.Serializer):
    version = StrictIntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text=_("The implementation's version you started from (its ETag), if you send no If-Match header."),
    )


class StatusChangeSerializer(VersionedWriteSerializer):
    track = serializers.ChoiceField(choices=Track.choices, default=Track.REPORTED)
    status = serializers.ChoiceField(choices=Status.choices)
    comment = StrictCharField(help_text=_("What changed and why. Staff only."))
    rationale = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Shown in public. Required for partially implemented and implemented."),
    )
    evidence = BoundedListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        help_text=_("Ids of evidence of this implementation. Required for partially implemented and implemented."),
    )
    effective_date = serializers.DateField(required=False, help_text=_("Defaults to today; never in the future."))

    def __init__(self, *args, implementation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.implementation = implementation

    def validate_evidence(self, ids):
        """The named evidence, looked up in one query. Only this implementation's evidence can be
        named: another record's ids read as unknown."""
        wanted = list(dict.fromkeys(ids))
        found = {item.pk: item for item in Evidence.objects.filter(implementation=self.implementation, pk__in=wanted)}
        unknown = [pk for pk in wanted if pk not in found]
        if unknown:
            raise serializers.ValidationError(
                _("No evidence of this implementation has the id %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in unknown[:10])}
            )
        return [found[pk] for pk in wanted]


class AssignmentSerializer(VersionedWriteSerializer):
    owner = StrictPrimaryKeyRelatedField(
        queryset=permissions.staff_users(),
        required=False,
        allow_null=True,
        help_text=_("User id of a staff member whose scope includes the state; null to clear."),
    )
    lead_agency = StrictCharField(required=False, allow_blank=True, max_length=300)
    due_date = serializers.DateField(required=False, allow_null=True)
    position = serializers.ChoiceField(choices=Position.choices, required=False)


class FormDateField(serializers.DateField):
    """A date, or null in JSON. In a form DRF would read an empty value as null; here it is refused,
    as in JSON (leave the field out instead), so both encodings mean the same and match the schema."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""  # refused as a date of the wrong format, not read as null
        return super().get_value(dictionary)


class EvidenceCreateSerializer(serializers.Serializer):
    """New evidence: a URL, an uploaded file (multipart/form-data), or both."""

    title = StrictCharField(max_length=300, validators=[PlainTextValidator()])
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    url = serializers.URLField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        validators=[PublicURLValidator()],
        help_text=_("An http(s) address on the public web: no user name or password, no private or local host."),
    )
    file = serializers.FileField(
        required=False,
        help_text=_("Send as multipart/form-data. Its content must match its extension (PDF, office documents, ...)."),
    )
    date = FormDateField(required=False, allow_null=True)
    description = StrictCharField(
        required=False, allow_blank=True, default="", validators=[PlainTextValidator(allow_newlines=True)]
    )

    def validate_file(self, file):
        # The same checks as the staff page: size, allowed type, content matching the name.
        return uploads.validate_evidence_file(file)

    def validate(self, data):
        if not data.get("url") and not data.get("file"):
            raise serializers.ValidationError({"url": _("Give a URL or upload a file.")})
        return data


class EvidenceLinkSerializer(EvidenceCreateSerializer):
    """New evidence sent as JSON, as the schema describes it: a JSON body cannot carry a file, so it
    gives a URL (`EvidenceCreateSerializer` reads both encodings)."""

    file = None
    url = serializers.URLField(
        max_length=1000,
        validators=[PublicURLValidator()],
        help_text=_("An http(s) address on the public web: no user name or password, no private or local host."),
    )


class ChangeRecordSerializer(serializers.ModelSerializer):
    """A public change record: what changed, on which record, when and through which door. Never who."""

    kind = serializers.CharField(source="content_type.model", read_only=True)
    record = serializers.CharField(source="public_repr", read_only=True)
    record_id = serializers.CharField(source="object_id", read_only=True)
    state = serializers.SlugRelatedField(slug_field="iso2", read_only=True, allow_null=True)
    commitment = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    recommendation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "created_at",
            "action",
            "door",
            "kind",
            "record",
            "record_id",
            "state",
            "commitment",
            "recommendation",
            "changes",
            "summary",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_summary(self, record) -> list[str]:
        return record.sentences()


class StakeholderEvidenceSerializer(serializers.ModelSerializer):
    """A link or file of a published stakeholder report; a file through its download URL."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = StakeholderEvidence
        fields = ["id", "title", "url", "download_url", "original_filename", "content_type", "size"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, item):
        if not item.file:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(item.get_download_url()) if request else item.get_download_url()


class StakeholderVoiceSerializer(serializers.ModelSerializer):
    """A published stakeholder report as the implementation it is about carries it: the
    organisation by name and kind, never a contributor."""

    organisation = serializers.CharField(source="organisation.name", read_only=True)
    organisation_kind = serializers.CharField(source="organisation.kind", read_only=True)
    evidence = StakeholderEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = StakeholderReport
        fields = ["id", "organisation", "organisation_kind", "assessment", "narrative", "evidence", "published_at"]


class StakeholderReportSerializer(_ItemFields, StakeholderVoiceSerializer):
    """A published stakeholder report, with the state and item it is about."""

    class Meta:
        model = StakeholderReport
        fields = [
            "id",
            "implementation",
            "state",
            "commitment",
            "recommendation",
            "organisation",
            "organisation_kind",
            "assessment",
            "narrative",
            "evidence",
            "published_at",
            "is_demo",
        ]


class ImplementationDetailSerializer(ImplementationSerializer):
    """One implementation with its third voice: beside the state's report (`status`) and the
    secretariat's assessment (`assessment`), the published stakeholder reports on it, newest first
    (the 100 newest, `api.stakeholders.SHOWN_ON_AN_IMPLEMENTATION`; `stakeholder_reports_url`
    pages through them all). Never an unpublished one, whoever asks."""

    stakeholder_reports = StakeholderVoiceSerializer(
        source="public_stakeholder_reports",
        many=True,
        read_only=True,
        help_text=_("Published stakeholder reports on this implementation, newest first (at most 100)."),
    )
    stakeholder_report_count = serializers.IntegerField(
        read_only=True, help_text=_("How many stakeholder reports on this implementation are published.")
    )
    stakeholder_reports_url = serializers.SerializerMethodField(
        help_text=_("Every published stakeholder report on this implementation, a page at a time.")
    )

    class Meta(ImplementationSerializer.Meta):
        fields = [
            *ImplementationSerializer.Meta.fields,
            "stakeholder_reports",
            "stakeholder_report_count",
            "stakeholder_reports_url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_stakeholder_reports_url(self, implementation) -> str:
        path = f"{reverse('stakeholderreport-list')}?implementation={implementation.pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
