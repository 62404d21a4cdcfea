"""Hostile plain data (deep nesting, bad syntax) is one error naming the file, never a RecursionError."""

import pytest

from tui_nn.common.plain import MAX_DEPTH, PlainDataError, depth, loads_json, loads_toml, read_json


def test_depth_counts_tables_and_lists_without_recursion():
    assert depth(1) == 0 and depth({}) == 1 and depth({"a": [1, {"b": 2}]}) == 3
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert depth(deep, limit=40) == 41  # stops counting past the limit


@pytest.mark.parametrize("loads,text", [(loads_json, "[" * 5000 + "]" * 5000),
                                        (loads_json, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)),
                                        (loads_toml, "v = " + "[" * 5000 + "]" * 5000),
                                        (loads_toml, "v = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)])
def test_deep_nesting_is_refused_by_name(loads, text):
    with pytest.raises(PlainDataError, match="where.txt: nested more than"):
        loads(text, "where.txt")


def test_bad_syntax_and_unreadable_files_name_the_file(tmp_path):
    with pytest.raises(PlainDataError, match="x.toml: not valid TOML"):
        loads_toml("v = [", "x.toml")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff{")
    with pytest.raises(PlainDataError, match="bad.json: not valid JSON"):
        read_json(bad)
    with pytest.raises(PlainDataError, match="missing.json: cannot be read"):
        read_json(tmp_path / "missing.json")
    assert loads_json('{"a": [1, 2]}', "ok.json") == {"a": [1, 2]}
