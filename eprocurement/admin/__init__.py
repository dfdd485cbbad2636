"""The admin of E-Procurement: one module per subject."""

from . import ocds, packages, plans, tender_site, vendors  # noqa: F401
