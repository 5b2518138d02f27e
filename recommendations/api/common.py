"""What the read and the write viewsets share: the related rows a list joins, the ids of the
evidence a user may see (`permissions.visible_evidence`), and an implementation's ETag (its version)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .. import permissions

ITEM_RELATIONS = ("implementation__state", "implementation__commitment", "implementation__recommendation")


def evidence_ids_prefetch(user):
    """Prefetch only the ids of visible evidence into `visible_evidence`, for nested lists of ids."""
    return Prefetch(
        "evidence",
        queryset=permissions.visible_evidence(user).only("id", "implementation_id"),
        to_attr="visible_evidence",
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
