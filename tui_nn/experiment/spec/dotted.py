"""Dotted field paths (``optimizer.learning_rate``, ``model.layers[0].units``) over a spec's plain
dict form: setting one, and flattening a nested table into them.
"""

from __future__ import annotations

from typing import Any


def set_dotted(raw: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.c`` (or ``model.layers.0.units``, or ``model.layers[0].units`` as problems name it)
    in a nested plain dict, creating tables as needed."""
    keys = dotted.replace("[", ".").replace("]", "").split(".")
    node: Any = raw
    for position, key in enumerate(keys[:-1]):
        if isinstance(node, list):
            node = node[int(key)]
            continue
        nxt = node.get(key)
        if nxt is None:
            nxt = [] if keys[position + 1].isdigit() else {}
            node[key] = nxt
        node = nxt
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys: ``{"optimizer": {"name": "sgd"}}`` -> ``{"optimizer.name": "sgd"}``; layers as one value."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
