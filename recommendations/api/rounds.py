"""Reporting rounds in the API (`/api/v1/rounds/`, `/api/v1/rounds/<slug>/`), read-only and
public, as the round's public page: the list gives each round's items, states and dates; one
round also gives each state's progress and the round's summary (`recommendations/rounds.py`:
computed while it is open, its frozen results once closed). Rounds are opened, edited and
closed on the staff pages."""

from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.response import Response

from .. import rounds
from ..filtersets import ReportingRoundFilterSet
from ..models import Commitment, Recommendation, ReportingRound, State
from ..serializers import ReportingRoundDetailSerializer, ReportingRoundSerializer
from .reads import SLUG


class ReportingRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting rounds, by slug, newest first; filter with `cycle=<slug>`, `state=FR`, `open=true`.
    One round carries each of its states' progress: items, reported (confirmations included),
    confirmed unchanged, when it completed, and whether it reported late."""

    serializer_class = ReportingRoundSerializer
    filterset_class = ReportingRoundFilterSet
    lookup_field = "slug"
    lookup_value_regex = SLUG
    ordering_fields = ["opens_on", "deadline", "name"]

    def get_queryset(self):
        # The items and states by their readable keys only: one query each, whatever the number.
        return ReportingRound.objects.select_related("cycle").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.only("id", "number").order_by("number")),
            Prefetch("recommendations", queryset=Recommendation.objects.only("id", "code").order_by("code")),
            Prefetch("states", queryset=State.objects.only("id", "iso2").order_by("iso2")),
        )

    def get_serializer_class(self):
        return ReportingRoundSerializer if self.action == "list" else ReportingRoundDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        round = self.get_object()
        round.api_progress = rounds.progress(round)
        round.api_summary = rounds.summary(round, round.api_progress)
        return Response(self.get_serializer(round).data)
