"""Validating OCDS documents against the official 1.1 schemas shipped in
``eprocurement/data/ocds/`` (see its SOURCES.md), without network access."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "ocds"
SCHEMAS = ("release-schema.json", "release-package-schema.json", "record-package-schema.json")


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
    return Draft4Validator(by_name[name], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def errors(document: dict, name: str) -> list[str]:
    """Every violation of schema ``name`` in ``document``, as "path: message" lines."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]
