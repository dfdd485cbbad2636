"""The embedded default's sealing master key: generated once into a 0600 file under the
var dir. Imported by the settings only when DEBUG is on and no key is configured; it
touches neither Django nor the database."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


def development_master_key(path: Path) -> str:
    """The key stored in ``path``, generating it (32 random bytes, base64) the first time.

    ``O_EXCL`` makes two processes starting together agree on one key: the loser reads
    the winner's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + "\n")
    return path.read_text().strip()


def _read_when_written(path: Path) -> str:
    # Another process may have created the file an instant ago and not yet written it.
    for _ in range(50):
        text = path.read_text().strip()
        if text:
            return text
        os.sched_yield()
    raise RuntimeError(f"{path} is empty: delete it to generate a new development sealing key")
