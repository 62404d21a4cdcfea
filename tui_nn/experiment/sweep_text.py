"""A preset's ``[sweep]`` table as the editor shows it: TOML text, a line per grid key and per alternative.

``sweep_text`` writes the table so that it reads at 80 columns (top-level keys first, each
alternative an inline table on its own line, the grid as its own table); ``read_sweep_text`` reads
what was typed back, with the preset loader's own checks, so the form and a preset file agree.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

from ..common.plain import PlainDataError, loads_toml
from .spec.parse import NO_VALUE, Problem

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_INNER = re.compile(r"^not valid TOML \((.*)\)$", re.S)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    """One value as inline TOML (strings as JSON writes them, which TOML reads the same)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime.date, datetime.time)):  # TOML's own dates and times (datetime is a date)
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def sweep_text(table: dict[str, Any] | None) -> str:
    """The table as the editor's text; empty for none."""
    if not table:
        return ""
    lines = []
    for key, value in table.items():
        if key == "grid" and isinstance(value, dict):
            continue
        if key == "alternatives" and isinstance(value, list) and value:
            lines.append("alternatives = [")
            lines += [f"  {toml_value(item)}," for item in value]
            lines.append("]")
        else:
            lines.append(f"{_key(key)} = {toml_value(value)}")
    grid = table.get("grid")
    if isinstance(grid, dict):  # even empty: what was read is what is written
        lines += ["", "[grid]"] if lines else ["[grid]"]
        lines += [f"{_key(key)} = {toml_value(values)}" for key, values in grid.items()]
    return "\n".join(lines) + "\n"


def read_sweep_text(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The typed text as a ``[sweep]`` table (None when it holds none: no sweep), or why it cannot be one."""
    if not text.strip():
        return None, []
    try:
        table = loads_toml(text, "sweep")
        if list(table) == ["sweep"] and isinstance(table["sweep"], dict):
            table = table["sweep"]  # pasted from a preset file with its [sweep] header: the same table
        return table or None, []  # only comments: no sweep either
    except PlainDataError as error:
        # "sweep: not valid TOML (Unclosed array (at line 2, column 1))": where the reader gave up,
        # which may be past the mistake (an array left open on the line before), so no line is quoted
        message = str(error).removeprefix("sweep: ")
        inner = _INNER.match(message)
        return None, [Problem("sweep", NO_VALUE, f"not valid TOML: {inner.group(1)}" if inner else message)]
