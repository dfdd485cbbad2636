"""The OCDS merge routine the compiled release is built with."""

from eprocurement.ocds.merge import compile_releases, merge_value


def release(n, date, **body):
    return {"ocid": "ocds-x-1", "id": f"r{n}", "date": date, "tag": ["tender"], **body}


def test_objects_merge_field_by_field():
    assert merge_value({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"d": 4}, "e": 5}) == {
        "a": 1,
        "b": {"c": 2, "d": 4},
        "e": 5,
    }


def test_arrays_of_objects_with_ids_merge_by_id():
    earlier = [{"id": "1", "name": "A", "roles": ["buyer"]}, {"id": "2", "name": "B"}]
    later = [{"id": "2", "name": "B2"}, {"id": "3", "name": "C"}]

    assert merge_value(earlier, later) == [
        {"id": "1", "name": "A", "roles": ["buyer"]},
        {"id": "2", "name": "B2"},
        {"id": "3", "name": "C"},
    ]


def test_other_arrays_are_replaced():
    assert merge_value({"roles": ["buyer", "payer"]}, {"roles": ["buyer"]}) == {"roles": ["buyer"]}
    assert merge_value({"x": [{"no_id": 1}]}, {"x": [{"no_id": 2}]}) == {"x": [{"no_id": 2}]}


def test_null_removes_a_field():
    assert merge_value({"a": 1, "b": 2}, {"b": None}) == {"a": 1}


def test_an_id_compared_as_text():
    assert merge_value([{"id": 1, "v": "a"}], [{"id": "1", "w": "b"}]) == [{"id": "1", "v": "a", "w": "b"}]


def test_compiled_release_applies_releases_in_date_order():
    newer = release(2, "2026-03-02T00:00:00+08:00", tender={"id": "T1", "status": "complete"}, awards=[{"id": "9"}])
    older = release(1, "2026-03-01T00:00:00+08:00", tender={"id": "T1", "status": "active", "title": "Gedung"})

    compiled = compile_releases([newer, older])

    assert compiled["tender"] == {"id": "T1", "status": "complete", "title": "Gedung"}
    assert compiled["awards"] == [{"id": "9"}]
    assert compiled["tag"] == ["compiled"] and compiled["date"] == newer["date"]
    assert compiled["id"] == "ocds-x-1-compiled-r2" and compiled["ocid"] == "ocds-x-1"


def test_merging_leaves_the_releases_untouched():
    first = release(1, "2026-03-01T00:00:00+08:00", parties=[{"id": "p", "roles": ["buyer"]}])
    second = release(2, "2026-03-02T00:00:00+08:00", parties=[{"id": "p", "name": "Dinas"}])

    compile_releases([first, second])

    assert first["parties"] == [{"id": "p", "roles": ["buyer"]}]
