"""Parsing and checking a spec: ``parse_spec(raw)`` turns a plain dict (from TOML) into a ``Spec``
and returns *every* problem as a ``Problem(path, value, allowed)``; ``check_spec`` adds what the
data decides (classes, image size, split sizes, shapes); ``spec_to_dict`` writes the canonical form back.
"""

from __future__ import annotations

import difflib
import functools
import math
import typing
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from ...data.generated import GENERATED
from ...data.splits import SplitError, resolve_sizes
from ...engine.losses import LOSS_OUTPUTS
from ...engine.optimizers import REGISTRY
from ...engine.schedules import SCHEDULE_SETTINGS
from ..architecture import input_shape_of, layer_label, summarize
from .data_checks import (
    features_problem,
    monitor_problem,
    output_problems,
    spec_data_facts,
    unused_data_problems,
)
from .schema import (
    AUTO,
    LAYER_FIELDS,
    LAYER_REQUIRED,
    TABLE_DATA_FIELDS,
    LayerSpec,
    ModelSpec,
    Spec,
    hyper_defaults,
    is_image_data,
    plain_type,
    type_hints,
)


@dataclass(frozen=True)
class Problem:
    """A field's bad value and what is allowed; a shape problem names its layer instead of a value."""

    path: str
    value: Any
    allowed: str
    about_shape: bool = False

    def __str__(self) -> str:
        if self.about_shape:
            return f"{self.path} ({self.value}): {self.allowed}"
        if self.value is UNKNOWN_KEY:
            return f"{self.path} is not a field; {self.allowed}"
        if self.value is NO_VALUE:
            return f"{self.path}: {self.allowed}"
        return f"{self.path} = {self.value!r}: {self.allowed}"

    def at_field(self) -> str:
        """What the editor shows under the field."""
        if self.about_shape or self.value is UNKNOWN_KEY or self.value is NO_VALUE:
            return self.allowed
        return f"{self.value!r}: {self.allowed}"


class _UnknownKey(str):
    """The value of a problem about a key that names no field (shown as a sentence, not as a value)."""

    def __repr__(self) -> str:
        return "(unknown key)"


UNKNOWN_KEY = _UnknownKey("(unknown key)")


class _Whole(str):
    """The value of a problem whose ``allowed`` says it all (a text that does not read at all)."""

    def __repr__(self) -> str:
        return "(the text)"


NO_VALUE = _Whole("(the text)")


class SpecError(ValueError):
    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(str(p) for p in problems))


def _type_name(tp: Any) -> str:
    if plain_type(tp) is not tp:
        return f"{_type_name(plain_type(tp))}, or {AUTO}"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, "a table")


def _coerce(value: Any, tp: Any) -> tuple[bool, Any]:
    if plain_type(tp) is not tp:
        if value is None or value == AUTO or value == "":
            return True, None
        return _coerce(value, plain_type(tp))
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return ok, float(value) if ok else value
    if tp is str:
        return isinstance(value, str), value
    return False, value


def _unknown(key: str, known: typing.Iterable[str], path: str) -> Problem:
    known = list(known)
    close = difflib.get_close_matches(key, known, n=1) or [
        name for name in known if "".join(word[:1] for word in name.split("_")) == key.lower()][:1]  # lr
    fields = ", ".join(known)
    text = f"did you mean {close[0]!r}? The fields here are {fields}." if close else f"the fields here are {fields}."
    return Problem(f"{path}{key}", UNKNOWN_KEY, text)


@functools.cache
def _field_kinds(cls: type) -> tuple[tuple[Any, Any, str], ...]:
    """Each field of a spec dataclass with its type and how it is read, worked out once per class."""
    hints = type_hints(cls)
    out = []
    for f in fields(cls):
        tp = hints[f.name]
        if is_dataclass(tp):
            kind = "table"
        elif typing.get_args(tp) == (str, ...):
            kind = "strings"
        elif typing.get_origin(tp) is tuple:
            kind = "layers"
        elif typing.get_origin(tp) is dict:
            kind = "dict"
        else:
            kind = "value"
        out.append((f, tp, kind))
    return tuple(out)


def _parse_dataclass(cls: type, raw: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(raw, dict):
        problems.append(Problem(path.rstrip(".") or "(top)", raw, "must be a table"))
        return cls()
    kinds = _field_kinds(cls)
    names = [f.name for f, _, _ in kinds]
    values: dict[str, Any] = {}
    for key in raw:
        if key not in names:
            problems.append(_unknown(key, names, path))
    for f, tp, kind in kinds:
        if f.name not in raw:
            continue
        value = raw[f.name]
        where = f"{path}{f.name}"
        if kind == "table":
            values[f.name] = _parse_dataclass(tp, value, where + ".", problems)
        elif kind == "strings":
            values[f.name] = _parse_strings(value, where, f.metadata, problems)
        elif kind == "layers":
            values[f.name] = _parse_layers(value, where, problems)
        elif kind == "dict":
            values[f.name] = value
        else:
            ok, coerced = _coerce(value, tp)
            if not ok:
                problems.append(Problem(where, value, f"must be {_type_name(tp)}"))
            elif coerced is not None and f.metadata.get("check") and not f.metadata["check"](coerced):
                problems.append(Problem(where, value, f"must be {f.metadata['allowed']}"))
            else:
                values[f.name] = coerced
    return cls(**values)


def _parse_strings(raw: Any, path: str, metadata: dict, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        problems.append(Problem(path, raw, "must be a list of strings"))
        return ()
    check = metadata.get("check")
    if check and not check(tuple(raw)):
        problems.append(Problem(path, raw, f"must be {metadata['allowed']}"))
        return ()
    return tuple(raw)


def _parse_layers(raw: Any, path: str, problems: list[Problem]) -> tuple[LayerSpec, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(path, raw, "must be a non-empty list of layer tables"))
        return ModelSpec().layers
    layers = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        kind = item.get("type", "dense") if isinstance(item, dict) else None
        if isinstance(item, dict) and isinstance(kind, str) and kind in LAYER_FIELDS:
            extra = [k for k in item if k not in LAYER_FIELDS[kind]]
            for key in extra:
                problems.append(Problem(f"{where}.{key}", item[key],
                                        f"not a field of a {kind} layer; allowed: {', '.join(LAYER_FIELDS[kind])}"))
            item = {k: v for k, v in item.items() if k not in extra}
            for key, message in LAYER_REQUIRED.get(kind, {}).items():
                if key not in item:
                    problems.append(Problem(f"{where}.{key}", "(missing)", message))
            if kind in ("maxpool2d", "avgpool2d") and "stride" not in item:
                item["stride"] = item.get("size", LayerSpec.size)  # windows side by side, as is usual
        layers.append(_parse_dataclass(LayerSpec, item, where + ".", problems))
    return tuple(layers)


def _split_tables(raw: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """Optimizer and schedule tables hold their own settings beside ``name``: separate them. Anything
    but a table is left as it is, for the parse to name."""
    if not isinstance(raw, dict):
        return raw
    raw = dict(raw)
    opt = raw.get("optimizer")
    if isinstance(opt, dict):
        raw["optimizer"] = {"name": opt.get("name", "sgd"), "hyper": {k: v for k, v in opt.items() if k != "name"}}
    training = raw.get("training")
    if isinstance(training, dict) and isinstance(training.get("schedule"), dict):
        sched = training["schedule"]
        training = dict(training)
        training["schedule"] = {"name": sched.get("name", "constant"),
                                "settings": {k: v for k, v in sched.items() if k != "name"}}
        raw["training"] = training
    return raw


def parse_spec(raw: dict[str, Any]) -> tuple[Spec, list[Problem]]:
    """The spec and every problem found; the spec is only meaningful when the list is empty."""
    problems: list[Problem] = []
    spec = _parse_dataclass(Spec, _split_tables(raw, problems), "", problems)
    spec = _fill_defaults(spec, problems)
    # A layer with a bad field was replaced by defaults: its shapes would only add noise.
    layers_ok = not any(problem.path.startswith("model.layers") for problem in problems)
    problems.extend(check_spec(spec, shapes=layers_ok))
    return spec, problems


#: An image's data fields (data_checks.IMAGE_ONLY, by their tables) that a table never read.
_IMAGE_TABLES = ("normalization", "download", "augment")


def parse_recorded_spec(raw: Any) -> tuple[Spec, list[Problem]]:
    """A spec as a run recorded it (its record, its model file). An image's data fields set for a
    table were accepted, and had no effect, before they were refused: they are left out here, so
    such a run still replays and its model still opens."""
    data = raw.get("data") if isinstance(raw, dict) else None
    if isinstance(data, dict):
        path = data.get("path")
        table = isinstance(path, str) and path.lower().endswith(".csv") or not path and data.get("dataset") in GENERATED
        if table:
            raw = {**raw, "data": {key: value for key, value in data.items() if key not in _IMAGE_TABLES}}
    return parse_spec(raw)


def _fill_defaults(spec: Spec, problems: list[Problem]) -> Spec:
    """Complete the optimizer's and schedule's own settings with their defaults, checking each."""
    opt = spec.optimizer
    if opt.name in REGISTRY:
        hypers = {h.name: h for h in REGISTRY[opt.name].HYPERS}
        merged = dict(hyper_defaults(opt.name))
        for key, value in opt.hyper.items():
            if key not in hypers:
                problems.append(_unknown(key, ["name", *hypers], "optimizer."))
            elif not hypers[key].accepts(value):
                problems.append(Problem(f"optimizer.{key}", value, f"must be {hypers[key].allowed()}"))
            else:
                merged[key] = value if isinstance(hypers[key].default, bool) else float(value)
        spec = replace(spec, optimizer=replace(opt, hyper=merged))
    sched = spec.training.schedule
    if sched.name in SCHEDULE_SETTINGS:
        defaults = SCHEDULE_SETTINGS[sched.name]
        merged = dict(defaults)
        for key, value in sched.settings.items():
            if key not in defaults:
                problems.append(_unknown(key, ["name", *defaults], "training.schedule."))
                continue
            ok, coerced = _coerce(value, type(defaults[key]))
            if not ok or coerced < 0 or (key in ("every", "patience") and coerced < 1):
                problems.append(Problem(f"training.schedule.{key}", value,
                                        f"must be {_type_name(type(defaults[key]))} "
                                        f"{'>= 1' if key in ('every', 'patience') else '>= 0'}"))
            else:
                merged[key] = coerced
        spec = replace(spec, training=replace(spec.training, schedule=replace(sched, settings=merged)))
    return spec


def check_spec(spec: Spec, classes: int | None = None, image_shape: tuple[int, ...] | None = None,
               shapes: bool = True, data_files: tuple[int, int] | None = None, task: str | None = None,
               inputs: int | None = None) -> list[Problem]:
    """Checks across fields: the output layer against the loss and the classes (or the one output
    of a regression), every layer's shape against its input (``image_shape``: the data's sample
    shape as the network takes it; a named dataset's is known, a folder's or table's only once it
    is read), split sizes against the data (``data_files``: the samples in the training and test
    files, likewise). ``task`` and ``inputs`` (a table's columns) come with a loaded table."""
    problems: list[Problem] = []
    facts = spec_data_facts(spec)
    if classes is not None or task is not None:
        facts = replace(facts, task=task or "classification", classes=classes,
                        inputs=inputs if inputs is not None else facts.inputs)
    layers = spec.model.layers
    dense = [i for i, layer in enumerate(layers) if layer.type == "dense"]
    if not dense or dense[-1] != len(layers) - 1:
        problems.append(Problem("model.layers", f"{len(layers)} layers", "the last layer must be a dense layer"))
    else:
        last = layers[-1]
        outputs = LOSS_OUTPUTS.get(spec.model.loss, ())
        if outputs and last.activation not in outputs:
            problems.append(Problem(f"model.layers[{len(layers) - 1}].activation", last.activation,
                                    f"the {spec.model.loss} loss needs a {' or '.join(outputs)} output layer"))
        problems.extend(Problem(*problem) for problem in output_problems(spec, facts))
    for i, layer in enumerate(layers[:-1]):
        if layer.type in ("dense", "conv2d") and layer.activation == "softmax":
            problems.append(Problem(f"model.layers[{i}].activation", "softmax",
                                    "softmax is only for the output layer"))
    image = image_shape or facts.sample_shape
    if image is not None and shapes:
        problems.extend(shape_problems(spec, input_shape_of(spec, image)))
    files = data_files or facts.files
    if files:
        try:
            resolve_sizes(*files, spec.data.train_size, spec.data.validation_size, spec.data.test_size)
        except SplitError as error:
            problems.append(Problem(error.key, error.value, error.allowed))
    monitor = spec.training.monitor
    uses_monitor = spec.training.early_stopping.patience > 0 or spec.training.schedule.name == "plateau"
    if uses_monitor and monitor.startswith("val_") and spec.data.validation_size == 0:
        problems.append(Problem("training.monitor", monitor, "needs data.validation_size > 0"))
    if uses_monitor and monitor.startswith("test_") and spec.data.test_size == 0:
        problems.append(Problem("training.monitor", monitor, "needs data.test_size > 0"))
    for problem in (monitor_problem(spec, facts) if uses_monitor else None, features_problem(spec, facts),
                    *unused_data_problems(spec, facts)):
        if problem:
            problems.append(Problem(*problem))
    return problems


def shape_problems(spec: Spec, input_shape: tuple[int, ...]) -> list[Problem]:
    """The first layer that cannot take its input, as a problem naming the layer and the shapes."""
    _, error, index = summarize(spec, input_shape)
    if error is None:
        return []
    return [Problem(f"model.layers[{index}]", layer_label(spec.model.layers[index]), error, about_shape=True)]


def spec_to_dict(spec: Spec) -> dict[str, Any]:
    """The canonical plain form (what TOML files hold): every field, layers with their own fields only."""
    out = _dataclass_to_dict(spec)
    out["optimizer"] = {"name": spec.optimizer.name, **spec.optimizer.hyper}
    schedule = spec.training.schedule
    out["training"]["schedule"] = {"name": schedule.name, **schedule.settings}
    out["model"]["layers"] = [{k: getattr(layer, k) for k in LAYER_FIELDS.get(layer.type, ("type",))}
                              for layer in spec.model.layers]
    if is_image_data(spec.data):
        for key in TABLE_DATA_FIELDS:
            out["data"].pop(key, None)
    return out


def _dataclass_to_dict(obj: Any) -> dict[str, Any]:
    """Fields left out (None: sizes that fit the data) stay out, as TOML has no null."""
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is not None:
            out[f.name] = _dataclass_to_dict(value) if is_dataclass(value) else list(value) if isinstance(
                value, tuple) else value
    return out
