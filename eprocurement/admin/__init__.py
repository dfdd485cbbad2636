"""The admin of E-Procurement: one module per subject."""

from . import ocds, plans, tender_site, vendors  # noqa: F401
