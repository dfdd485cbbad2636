"""Validating OCDS documents against the official 1.1 schemas shipped in
``eprocurement/data/ocds/`` (see its SOURCES.md), without network access."""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "ocds"
SCHEMAS = ("release-schema.json", "release-package-schema.json", "record-package-schema.json")


# jsonschema checks "date-time" and "uri" only with optional packages the portal does not
# need otherwise; these two checks are what the OCDS documents rely on.
FORMATS = FormatChecker(formats=())
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time with an offset")
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri")
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def _refuse_download(uri: str):
    # A $ref to a schema not shipped here must fail loudly, never reach the network.
    raise NoSuchResource(ref=uri)


@functools.cache
def _loaded() -> tuple[dict[str, dict], Registry]:
    by_name = {name: json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")) for name in SCHEMAS}
    resources = [
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in by_name.values()
    ]
    return by_name, Registry(retrieve=_refuse_download).with_resources(resources)


def validator(name: str) -> Draft4Validator:
    """A validator for ``name`` (one of ``SCHEMAS``), with date-time formats checked."""
    by_name, registry = _loaded()
    return Draft4Validator(by_name[name], registry=registry, format_checker=FORMATS)


def errors(document: dict, name: str) -> list[str]:
    """Every violation of schema ``name`` in ``document``, as "path: message" lines."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]
