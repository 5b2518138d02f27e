"""What the read and the write viewsets share: the related rows a list joins, the evidence a user
may see, and an implementation's ETag (its version)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .. import permissions
from ..models import Evidence

ITEM_RELATIONS = ("implementation__state", "implementation__commitment", "implementation__recommendation")


def visible_evidence(user):
    """Evidence a user may see: published evidence for everyone, plus, for staff, what their scope allows
    (every state for the secretariat, their own states for a focal point)."""
    public = Evidence.objects.public()
    if not permissions.is_staff_member(user):
        return public
    return public | permissions.restrict_to_scope(Evidence.objects.all(), user, "implementation__state")


def evidence_ids_prefetch(user):
    """Prefetch only the ids of visible evidence into `visible_evidence`, for nested lists of ids."""
    return Prefetch(
        "evidence", queryset=visible_evidence(user).only("id", "implementation_id"), to_attr="visible_evidence"
    )


def etag(implementation) -> str:
    return f'"{implementation.version}"'


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 412],
    description=_("The implementation's current version; send it back as If-Match when you change it."),
)
