"""Django admin for administrators and the secretariat, one module per topic.

Access is decided by `permissions` (`base.py`), not by Django's per-model permission rows, so the
admin refuses exactly what the pages and API refuse. Importing the submodules here registers
their admins when Django's autodiscovery imports `recommendations.admin`.
"""

from . import changes, corridors, implementations, reference, review, rounds, stakeholders, tallies  # noqa: F401 (registers the admins)
