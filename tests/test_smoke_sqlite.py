"""The embedded default never breaks: with nothing configured the portal migrates,
loads the demo and serves its pages on SQLite, in process, without Redis.

It runs in child processes with a clean environment (no DATABASE_URL, no REDIS_URL, not
the test settings), in a fresh PORTAL_VAR_DIR, so it neither touches ``var/`` nor the
test database.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside `manage.py shell`: the requests a first visitor makes.
VISIT = """
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
home = client.get("/")
assert home.status_code == 200, home.status_code
admin = client.get("/admin/login/", follow=True)
assert admin.status_code == 200, admin.status_code
assert admin.redirect_chain and admin.request["PATH_INFO"] == "/accounts/login/", admin.redirect_chain
schema = client.get("/api/schema/")
assert schema.status_code == 200, schema.status_code
regions = client.get("/api/regions/?limit=100").json()
assert regions["count"] == 23, regions["count"]  # the province and its 22 regencies and cities
print("smoke ok")
"""


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_embedded_default_migrates_loads_demo_and_serves(tmp_path):
    # Given a clean environment: DEBUG on, nothing else configured, a fresh var/ folder
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DEBUG": "1",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
    }

    # When the portal is migrated, the demo loaded and the first pages visited
    for step in (["migrate", "--noinput"], ["load_demo"], ["shell", "-c", VISIT]):
        done = _manage(*step, env=env)

        # Then every step succeeds, on the SQLite database in that folder
        assert done.returncode == 0, f"{' '.join(step[:1])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert "smoke ok" in done.stdout
    assert (tmp_path / "var" / "portal.sqlite3").exists()
