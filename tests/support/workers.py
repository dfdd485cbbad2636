"""Real Celery worker processes for tests that must see a worker die."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
WAIT_SECONDS = 30

_DELIVERY = r"Task portal\.deliver_notification\[(?P<id>[0-9a-f-]+)\]"
RECEIVED = re.compile(_DELIVERY + r" received")
SUCCEEDED = re.compile(_DELIVERY + r" succeeded in [0-9.e-]+s: (?P<sent>True|False)")


class Worker:
    """``celery -A config worker`` in its own process group; its log goes to a file.

    Solo pool: the process that takes the message is the one that sends, so killing
    the group kills the send where it stands.
    """

    def __init__(self, name: str, env: dict, log_dir: Path):
        self.name = name
        self.output = log_dir / f"{name}.out"
        command = [str(CELERY), "-A", "config", "worker", "-P", "solo", "-n", f"{name}@%h", "--loglevel=INFO"]
        # Gossip, mingle and heartbeats only slow the start of a worker nobody else talks to.
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self) -> None:
        """SIGKILL the whole group at once: no warm shutdown, no acknowledgement, no cleanup."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT_SECONDS)

    def text(self) -> str:
        # The project's LOGGING sends records to the console, which is this file.
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    def received(self) -> list[str]:
        return RECEIVED.findall(self.text())

    def finished(self) -> list[tuple[str, str]]:
        """(task id, "True" when that run sent the e-mail) for each delivery task this worker finished."""
        return [(m["id"], m["sent"]) for m in SUCCEEDED.finditer(self.text())]


def wait_for(condition, what: str, workers=(), timeout: float = WAIT_SECONDS):
    """Poll until ``condition()`` is truthy; fail with the workers' logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    logs = "\n".join(f"--- {w.name} ---\n{w.text()[-3000:]}" for w in workers)
    raise AssertionError(f"waited {timeout}s for {what}\n{logs}")
