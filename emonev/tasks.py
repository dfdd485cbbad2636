"""E-Monev's background work: the daily sweep for critical contracts without a report."""

from celery import shared_task

from .services.critical import critical_sweep


@shared_task(name="emonev.detect_critical_contracts")
def detect_critical_contracts() -> int:
    """Evaluate contracts whose last month's report is missing; safe to run twice."""
    return critical_sweep()
