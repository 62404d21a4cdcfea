"""Preset files: a spec plus ``name``, ``description``, ``reference`` and ``expected`` (TOML).

``expected`` is the preset's main metric on its test split: the test accuracy (a fraction) of a
classification, the test R^2 of a regression.

Built-in presets ship inside the package (read with importlib.resources); the user's live in
``<home>/presets``. Files are read with tomllib and written with tomli-w, atomically.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from ..common import paths
from ..common.atomic import atomic_write_text
from ..common.plain import PlainDataError, loads_toml, read_regular
from ..data import DatasetError, peek_folder
from .architecture import architecture_text, input_shape_of
from .spec.data_checks import spec_data_facts
from .spec.parse import Problem, SpecError, parse_spec, spec_to_dict
from .spec.schema import DATASET_SHAPES, ModelSpec, Spec
from .sweep_plan import SEED_KEY, alternative_label, parse_plan, points, run_count

META_KEYS = ("name", "description", "reference", "expected", "minutes")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # the whole name (fullmatch: no trailing newline)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Preset:
    """``key`` is the file stem (what ``tui-nn run KEY`` takes); ``expected`` is a test accuracy,
    or a regression's test R^2."""

    key: str
    name: str
    description: str
    reference: str
    expected: float | None
    minutes: float | None
    spec: Spec
    builtin: bool
    path: Path | None = None
    sweep: dict[str, Any] | None = None  # the [sweep] table (see sweep.py), checked

    def architecture(self) -> str:
        """The layers with the input the data really has (a folder's image size, read from its
        files; a generated table's features); ``?`` for the input of a folder that cannot be read
        or of a CSV table, which is read when it trains."""
        if spec_data_facts(self.spec).table and self.spec.model == ModelSpec():
            return "fitted to the table"  # chosen once the table is read (experiment/table_data.py)
        image = data_image_shape(self.spec)
        return architecture_text(self.spec, input_shape_of(self.spec, image) if image else None)

    @property
    def regression(self) -> bool:
        """Whether the preset trains a regression (its ``expected`` is then a test R^2)."""
        return spec_task(self.spec) == "regression"

    def expected_text(self) -> str:
        """``97.50%``, or ``R^2 0.99`` for a regression; ``-`` when the preset expects nothing."""
        if self.expected is None:
            return "-"
        return f"R^2 {self.expected:g}" if self.regression else f"{self.expected:.2%}"

    def optimizer_summary(self) -> str:
        hyper = self.spec.optimizer.hyper
        return f"{self.spec.optimizer.name} lr={hyper.get('learning_rate', 0):g}"

    def spec_summary(self) -> str:
        """What the spec trains, in words, for a preset whose description no longer fits it:
        ``[784,100,100,10] relu, adam lr=0.001, batch 10, 30 epochs on mnist``."""
        activations = sorted({layer.activation for layer in self.spec.model.layers[:-1]
                              if layer.type in ("dense", "conv2d") and layer.activation})
        training = self.spec.training
        sweep = f"; {self.sweep_summary()}" if self.sweep else ""
        return (f"{self.architecture()} {'/'.join(activations) or 'linear'}, {self.optimizer_summary()}, "
                f"batch {training.batch_size}, {training.epochs} epochs on {self.spec.data.dataset}{sweep}")

    def sweep_summary(self) -> str:
        """``a sweep over optimizer.learning_rate (9 runs)``: what its points vary; empty without a sweep."""
        if not self.sweep:
            return ""
        plan = parse_plan(self.sweep)[0]
        varied = [key for key in plan.grid if key != SEED_KEY]
        if plan.alternatives:
            labels = [alternative_label(alternative) for alternative in plan.alternatives]
            shown = ", ".join(labels[:3]) + (", ..." if len(labels) > 3 else "")
            varied.append(f"{len(labels)} alternatives ({shown})")
        runs = run_count(plan)
        return f"a sweep over {' and '.join(varied) or 'seeds'} ({runs} run{'s' if runs != 1 else ''})"

    def swept_optimizers(self) -> set[str]:
        """The optimizers the sweep's runs train with: a grid's names, else each alternative's
        (the preset's own for one that names none)."""
        if not self.sweep:
            return {self.spec.optimizer.name}
        plan = parse_plan(self.sweep)[0]
        if plan.grid.get("optimizer.name"):
            return {str(name) for name in plan.grid["optimizer.name"]}
        named = [a.get("optimizer") for a in plan.alternatives or [{}]]
        return {str(block["name"]) if isinstance(block, dict) and "name" in block else self.spec.optimizer.name
                for block in named}

    def sweep_varies(self, table: str) -> bool:
        """Whether the sweep's points differ in a part of the spec (``optimizer``): then the base
        spec's value is not what every run trains with."""
        if not self.sweep:
            return False
        plan = parse_plan(self.sweep)[0]
        return any(key.split(".")[0] == table for key in plan.grid) or \
            any(table in alternative for alternative in plan.alternatives)


def spec_task(spec: Spec) -> str:
    """``regression`` or ``classification``, as far as the spec says: a generated dataset's own
    task, a table's ``data.task``, or a table with a linear output trained on the quadratic loss."""
    facts = spec_data_facts(spec)
    if facts.task:
        return facts.task
    if spec.data.task in ("regression", "classification"):
        return spec.data.task
    layers = spec.model.layers
    linear = bool(layers) and layers[-1].activation == "linear" and spec.model.loss == "quadratic"
    return "regression" if facts.table and linear else "classification"


def data_image_shape(spec: Spec) -> tuple[int, ...] | None:
    """One sample's shape as the spec's data has it: a named dataset's image size, a generated
    table's row after its features (``x1, x2, x1*x2``: 3), or the folder's image size (None if
    unreadable, and for a CSV table, whose columns are known once it is read)."""
    facts = spec_data_facts(spec)
    if facts.table:
        return facts.sample_shape
    if not spec.data.path:
        return DATASET_SHAPES[spec.data.dataset]
    try:
        return peek_folder(spec.data.path).image_shape
    except DatasetError:
        return None


def expected_problems(expected: Any, regression: bool) -> list[Problem]:
    """``expected``: a test accuracy as a fraction in [0, 1], or a regression's test R^2 (at most 1)."""
    if expected is None:
        return []
    number = not isinstance(expected, bool) and isinstance(expected, (int, float)) and math.isfinite(expected)
    if regression and not (number and expected <= 1):
        return [Problem("expected", expected, "must be the test R^2 of this regression, a number at most 1")]
    if not regression and not (number and 0 <= expected <= 1):
        return [Problem("expected", expected, "must be a test accuracy as a fraction in [0, 1]")]
    return []


def parse_preset(raw: dict[str, Any], key: str, builtin: bool = False, path: Path | None = None,
                 source: str = "") -> Preset:
    """Raise ``SpecError`` listing every problem in the file."""
    problems: list[Problem] = []
    meta = {k: raw.get(k) for k in META_KEYS}
    spec, spec_problems = parse_spec({k: v for k, v in raw.items() if k not in META_KEYS and k != "sweep"})
    problems.extend(expected_problems(meta["expected"], not spec_problems and spec_task(spec) == "regression"))
    if meta["minutes"] is not None and (isinstance(meta["minutes"], bool) or
                                        not isinstance(meta["minutes"], (int, float)) or
                                        not 0 <= meta["minutes"] < 1e6):
        problems.append(Problem("minutes", meta["minutes"], "must be the run time in minutes, a number >= 0"))
    for text_key in ("name", "description", "reference"):
        if meta[text_key] is not None and not isinstance(meta[text_key], str):
            problems.append(Problem(text_key, meta[text_key], "must be a string"))
        elif meta[text_key] and CONTROL.search(meta[text_key]):
            problems.append(Problem(text_key, meta[text_key], "must not hold control characters (newlines, escapes)"))
    problems.extend(spec_problems)
    sweep = raw.get("sweep")
    if sweep is not None and not spec_problems:
        plan, sweep_problems = parse_plan(sweep)
        problems.extend(sweep_problems or points(spec, plan)[1])
    if problems:
        raise SpecError(problems, source or key)
    return Preset(key, meta["name"] or key, meta["description"] or "", meta["reference"] or "",
                  None if meta["expected"] is None else float(meta["expected"]),
                  None if meta["minutes"] is None else float(meta["minutes"]), spec, builtin, path, sweep)


def read_preset_file(path: Path, builtin: bool = False) -> Preset:
    try:
        text = read_regular(path).decode("utf-8")
        if not text.strip():  # most likely a save that failed, not a wish for every default
            raise SpecError([Problem("(file)", path.name, "is empty; a spec needs at least one field")], str(path))
        raw = loads_toml(text, path.name)
    except UnicodeDecodeError as error:
        raise SpecError([Problem("(file)", path.name, f"is not UTF-8 text (byte {error.start}): not a spec file")],
                        str(path)) from None
    except PlainDataError as error:
        raise SpecError([Problem("(file)", path.name, str(error).removeprefix(f"{path.name}: "))], str(path)) from None
    except OSError as error:
        raise SpecError([Problem("(file)", str(path), f"cannot be read: {error.strerror}")], str(path)) from None
    return parse_preset(raw, path.stem, builtin, path, str(path))


def preset_to_toml(preset: Preset) -> str:
    meta: dict[str, Any] = {"name": preset.name, "description": preset.description, "reference": preset.reference}
    if preset.expected is not None:
        meta["expected"] = preset.expected
    if preset.minutes is not None:
        meta["minutes"] = preset.minutes
    extra = {"sweep": preset.sweep} if preset.sweep else {}
    return tomli_w.dumps({**meta, **spec_to_dict(preset.spec), **extra})


def builtin_presets() -> list[Preset]:
    return list(_builtin_presets())


@lru_cache(maxsize=1)
def _builtin_presets() -> tuple[Preset, ...]:
    """Read once: they ship inside the package and do not change while it runs."""
    folder = resources.files("tui_nn.presets")  # the top-level presets/ folder, installed in the package
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))
    return tuple(read_preset_file(Path(str(p)), builtin=True) for p in files)


def user_presets(home: Path) -> tuple[list[Preset], list[SpecError]]:
    """The user's presets that load, and the errors of those that do not (they are not hidden).
    A user preset named like a built-in one is an error too: it would shadow it without a word."""
    folder = paths.presets_dir(home)
    builtin = {p.key for p in builtin_presets()} | {p.name for p in builtin_presets()}
    presets, errors = [], []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            preset = read_preset_file(path)
        except SpecError as error:
            errors.append(error)
            continue
        clash = next((n for n in (preset.key, preset.name) if n in builtin), None)
        if clash:
            errors.append(SpecError([Problem("name", clash, "is a built-in preset's name; rename the file "
                                                            "(and its name field) to keep both")], str(path)))
        else:
            presets.append(preset)
    return presets, errors


def all_presets(home: Path) -> list[Preset]:
    """Built-ins first, then the user's (a user preset with a built-in's key is listed too)."""
    return builtin_presets() + user_presets(home)[0]


def find_preset(name_or_path: str, home: Path) -> Preset:
    """A preset by key or name, or a TOML file path."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" and candidate.is_file():
        return read_preset_file(candidate)
    user, errors = user_presets(home)
    everything = user + builtin_presets()
    # A key (the file name) first: a name may be shared, a key never is.
    match = next((p for p in everything if p.key == name_or_path), None) or \
        next((p for p in everything if p.name == name_or_path), None)
    if match is not None:
        return match
    broken = paths.presets_dir(home) / f"{name_or_path}.toml"
    for error in errors:  # the user's preset of that name does not load: say why, not "no such preset"
        if error.source == str(broken):
            raise error
    close = difflib.get_close_matches(name_or_path, [p.key for p in everything], n=1)
    hint = f"did you mean {close[0]}? Or " if close else ""
    raise SpecError([Problem("preset", name_or_path, f"no such preset or file; {hint}see `tui-nn presets`")])


def check_preset_name(name: str) -> str | None:
    """The reason a name cannot be a preset file name, or None when it can."""
    if not NAME_PATTERN.fullmatch(name):
        return "use letters, digits, '.', '_' or '-' (a plain file name, at most 64 characters)"
    return None


def save_user_preset(preset: Preset, home: Path) -> Path:
    reason = check_preset_name(preset.key)
    if reason:
        raise SpecError([Problem("name", preset.key, reason)])
    path = paths.presets_dir(home) / f"{preset.key}.toml"
    atomic_write_text(path, preset_to_toml(preset))
    return path
