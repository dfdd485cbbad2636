"""The load generator: a few keep-alive HTTP clients hitting one page for a fixed time.

Only plain ``http.client`` and threads, so what is measured is the server, not a
framework on the client side. Every loop is bounded by a deadline and every request by
a timeout, so a run always ends by itself.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # the benchmark never sends traffic anywhere else
REQUEST_TIMEOUT = 10.0


@dataclass
class Measurement:
    path: str
    seconds: float = 0.0
    ok: int = 0
    errors: Counter = field(default_factory=Counter)  # status code or exception name -> count

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def fetch(conn: http.client.HTTPConnection, path: str, headers: dict) -> int:
    """One GET on an open connection; the status. The body is read so the connection
    can be reused (http.client reconnects by itself when the server closed it)."""
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def _client(port: int, path: str, headers: dict, deadline: float, tally: Measurement, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    ok, errors = 0, Counter()
    try:
        while time.monotonic() < deadline:
            try:
                status = fetch(conn, path, headers)
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn.close()  # the next request opens a fresh connection
                continue
            if status == 200:
                ok += 1
            else:
                errors[status] += 1
    finally:
        conn.close()
    with lock:
        tally.ok += ok
        tally.errors.update(errors)


def hammer(port: int, path: str, *, seconds: float, clients: int, headers: dict | None = None) -> Measurement:
    """GET ``path`` from ``clients`` threads for ``seconds``; what came back."""
    tally, lock = Measurement(path=path), threading.Lock()
    headers = {"Connection": "keep-alive", **(headers or {})}
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=_client, args=(port, path, headers, deadline, tally, lock), daemon=True)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    tally.seconds = time.monotonic() - started
    return tally


def wait_until_up(port: int, path: str, *, timeout: float) -> bool:
    """True once ``path`` answers 200, False if it did not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            if fetch(conn, path, {}) == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    return False
