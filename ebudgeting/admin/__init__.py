"""The admin of E-Budgeting, one module per subject."""

from . import codes, documents, ledger  # noqa: F401
