"""The admin of E-Procurement: one module per subject."""

from . import awards, plans, vendors  # noqa: F401
