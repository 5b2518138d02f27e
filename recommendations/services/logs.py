"""The services' log: one line per write, per refused write and per stale edit. The request id,
user and door are added to each record (gcmtracker/logs.py)."""

import logging

from django.core.exceptions import PermissionDenied

logger = logging.getLogger("recommendations.services")


def denied(message: str, **details) -> PermissionDenied:
    """Log a refused write and return the exception to raise."""
    logger.warning("write refused: %s", message, extra=details)
    return PermissionDenied(message)
