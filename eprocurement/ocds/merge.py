"""Compiling a record: the OCDS merge routine for the releases the portal publishes.

The rules (OCDS 1.1, "Merging"): releases are applied oldest first; an object is merged
field by field; an array of objects that all have an ``id`` is merged by ``id`` (an object
with a known ``id`` is merged into the earlier one, a new ``id`` is appended); any other
array, and any other value, replaces the earlier value; ``null`` removes the field. The
compiled release then takes the ``ocid``, a fresh ``id``, the latest ``date`` and the tag
``["compiled"]``.
"""

from __future__ import annotations

import copy

# Fields of a release that describe that release, not the contracting process.
_RELEASE_OWN_FIELDS = ("id", "date", "tag")


def merge_value(earlier, later):
    """``later`` applied onto ``earlier`` by the rules above (neither is modified)."""
    if isinstance(earlier, dict) and isinstance(later, dict):
        return _merge_objects(earlier, later)
    if _identified_list(earlier) and _identified_list(later):
        return _merge_by_id(earlier, later)
    return copy.deepcopy(later)


def _merge_objects(earlier: dict, later: dict) -> dict:
    merged = copy.deepcopy(earlier)
    for key, value in later.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = merge_value(merged[key], value)
        else:
            merged[key] = _without_nulls(value)
    return merged


def _identified_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


def _merge_by_id(earlier: list, later: list) -> list:
    merged = {str(item["id"]): copy.deepcopy(item) for item in earlier}
    for item in later:
        key = str(item["id"])
        merged[key] = merge_value(merged[key], item) if key in merged else _without_nulls(item)
    return list(merged.values())


def _without_nulls(value):
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def compile_releases(releases: list[dict]) -> dict:
    """The compiled release of ``releases`` (one ocid), sorted by date before merging."""
    ordered = sorted(releases, key=lambda release: release["date"])
    compiled: dict = {}
    for release in ordered:
        body = {key: value for key, value in release.items() if key not in _RELEASE_OWN_FIELDS}
        compiled = merge_value(compiled, body)
    last = ordered[-1]
    compiled.update({"id": f"{last['ocid']}-compiled-{last['id']}", "date": last["date"], "tag": ["compiled"]})
    return compiled
