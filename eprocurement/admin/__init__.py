"""The admin of E-Procurement: one module per subject."""

from . import packages, plans, vendors  # noqa: F401
