"""``--set KEY=VALUE``: one option, one parser of its values and one way to apply them, for every
command that takes a spec (run, sweep, bench, evaluate, baseline)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..common.plain import MAX_DEPTH, PlainDataError, loads_toml
from ..data import DatasetError, IdxError
from ..experiment.presets import Preset, find_preset
from ..experiment.spec.dotted import set_dotted
from ..experiment.spec.parse import SpecError, parse_spec, spec_to_dict
from ..experiment.spec.schema import Spec
from .exits import InvalidInput

SET_HELP = ("override a spec field, e.g. optimizer.learning_rate=0.1 or model.layers[0].units=64 (repeatable; the "
            "value is TOML: 0.1, true, \"adam\", or a bare word)")


TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def add_set_option(parser: argparse.ArgumentParser, help: str = SET_HELP) -> None:
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=help)


def parse_override(text: str, option: str = "--set") -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise InvalidInput(f"{option} {text!r}: expected KEY=VALUE, e.g. optimizer.learning_rate=0.1")
    try:
        value = loads_toml(f"v = {raw.strip()}", f"{option} {key.strip()}")["v"]
    except PlainDataError as error:
        if TOO_DEEP in str(error):  # a value no spec field takes, refused before anything walks it
            raise InvalidInput(f"{option} {key.strip()}=...: the value is {TOO_DEEP} (a spec field is a number, "
                               "a word, or a short list)") from None
        value = raw.strip()  # a bare word is a string: --set optimizer.name=adam
    return key.strip(), value


def apply_overrides(raw: dict[str, Any], overrides: list[str], allowed: Callable[[str], bool] | None = None,
                    refusal: str = "") -> None:
    """Set each ``KEY=VALUE`` in a spec's plain dict; a key ``allowed`` refuses is refused with
    ``refusal``, one that names no field (through a list or a value) as such."""
    for text in overrides:
        key, value = parse_override(text)
        if allowed is not None and not allowed(key):
            raise InvalidInput(f"--set {text!r}: {refusal}")
        try:
            set_dotted(raw, key, value)
        except (IndexError, ValueError, TypeError, AttributeError):
            raise InvalidInput(f"--set {text!r}: {key} does not name a field") from None


def load_spec(preset_name: str, home: Path, overrides: list[str], epochs: int | None = None,
              seed: int | None = None) -> tuple[Preset, Spec]:
    """The preset with command-line overrides applied, validated; raises InvalidInput."""
    try:
        preset = find_preset(preset_name, home)
        raw = spec_to_dict(preset.spec)
        apply_overrides(raw, overrides)
        for key, value in (("training.epochs", epochs), ("seed", seed)):  # the options win over --set
            if value is not None:
                try:
                    set_dotted(raw, key, value)
                except (IndexError, ValueError, TypeError, AttributeError):
                    pass  # a --set replaced its table with a value: parse_spec names that field
        spec, problems = parse_spec(raw)
        if problems:
            raise SpecError(problems, preset.path.name if preset.path else preset.key)
    except (SpecError, DatasetError, IdxError) as error:
        raise InvalidInput(str(error)) from None
    return preset, spec
