"""The admin of E-Procurement: one module per subject."""

from . import bids, plans, vendors  # noqa: F401
