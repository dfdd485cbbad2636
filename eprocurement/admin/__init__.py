"""The admin of E-Procurement: one module per subject."""

from . import plans, vendors  # noqa: F401
