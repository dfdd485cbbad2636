"""The admin of E-Planning, one module per subject."""

from . import codes, musrenbang, plans  # noqa: F401
