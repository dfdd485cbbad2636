"""The admin of E-Procurement: one module per subject."""

from . import ocds, plans, vendors  # noqa: F401
