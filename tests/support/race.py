"""Concurrency proofs: run calls in threads released at once, each on its own database
connection, and say how each ended."""

import threading
from collections.abc import Callable, Sequence

from django.db import connections

from portal.services import DomainError


def race(calls: Sequence[Callable[[], object]]) -> list[str]:
    """Run every call in its own thread, all released together by a barrier. Each outcome
    is "ok", "refused" (a DomainError: the service said no) or the repr of anything else,
    which a test treats as a failure of the proof."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(i):
        try:
            barrier.wait(timeout=10)
            calls[i]()
            outcomes[i] = "ok"
        except DomainError:
            outcomes[i] = "refused"
        except Exception as exc:  # anything else is a failure of the proof
            outcomes[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
