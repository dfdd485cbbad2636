"""The admin of E-Procurement: one module per subject."""

from . import plans, tender_site, vendors  # noqa: F401
