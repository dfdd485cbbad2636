"""The OpenAPI schema is complete and valid, and its docs page works without the internet."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

pytestmark = pytest.mark.django_db


def test_schema_generates_valid_and_without_warnings(tmp_path, capsys):
    # Given every endpoint registered in config.api (warnings from earlier runs forgotten)
    reset_generator_stats()

    # When the schema is generated and validated, failing on any warning
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    except Exception as exc:  # the warnings themselves are on stderr: show them
        pytest.fail(f"{exc}\n{capsys.readouterr().err}")

    # Then it names the kernel's endpoints
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/agencies/{id}/:", "/api/me/:", "/api/notifications/mark-read/:", "/api/regions/:"):
        assert path in schema


def test_schema_is_served_to_anyone(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_docs_page_loads_its_assets_from_this_server(client):
    # Given nobody logged in
    # When the API docs page is opened
    response = client.get("/api/docs/")
    html = response.content.decode()

    # Then it loads, its scripts and styles come from our static files, which exist,
    # and it sends nothing to an outside host (no CDN, no online validator)
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    for url in assets:
        assert finders.find(url.removeprefix("/static/")), url
    assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)", html)
    assert '"validatorUrl": null' in html
