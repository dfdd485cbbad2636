import base64
import os

from bench import run


def _config(**changes):
    values = {
        "database_url": "postgres://postgres@127.0.0.1:5432/portal_bench",
        "redis_url": "redis://127.0.0.1:6379/13",
        "seconds": 1,
        "clients": 2,
        "workers": 2,
        "scale": "tiny",
        "surge_vendors": 4,
    }
    return run.Config(**{**values, **changes})


def test_the_server_runs_like_production_on_the_bench_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")

    env = run.server_env(_config())

    assert env["DATABASE_URL"].endswith("/portal_bench")
    assert (env["DEBUG"], env["ALLOWED_HOSTS"]) == ("0", "127.0.0.1") and len(env["SECRET_KEY"]) >= 50
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/13"
    assert env["API_THROTTLE_USER"] == env["API_THROTTLE_ANON"] == "10000000/min"
    assert len(base64.urlsafe_b64decode(env["SEALING_MASTER_KEY"])) == 32  # the surge seals bids
    assert os.environ["DATABASE_URL"].endswith("/portal")  # the caller's environment is left alone


def test_without_redis_the_file_cache_is_used(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")

    assert "REDIS_URL" not in run.server_env(_config(redis_url="none"))


def test_static_files_are_collected_again_only_when_a_source_is_newer(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "BASE_DIR", tmp_path)
    (tmp_path / "static").mkdir()
    source = tmp_path / "static" / "portal.css"
    source.write_text("body {}")
    manifest = tmp_path / "staticfiles.json"
    assert not run.static_is_current(manifest)

    manifest.write_text("{}")
    os.utime(source, (1, 1))
    assert run.static_is_current(manifest)

    os.utime(source)
    os.utime(manifest, (1, 1))
    assert not run.static_is_current(manifest)
