"""The admin of E-Procurement: one module per subject."""

from . import awards, bids, ocds, packages, plans, tender_site, vendors  # noqa: F401
