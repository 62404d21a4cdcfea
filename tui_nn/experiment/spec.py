"""The experiment spec: typed, frozen, documented per field, strict about unknown keys.

``parse_spec(raw)`` turns a plain dict (from TOML) into a ``Spec`` and returns *every* problem as
a ``Problem(path, value, allowed)``; ``spec_to_dict`` writes the canonical form back.
"""

from __future__ import annotations

import difflib
import math
import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Callable

from ..data.splits import SplitError, resolve_sizes
from ..engine.activations import ACTIVATIONS
from ..engine.initializers import BIAS_INITIALIZERS, WEIGHT_INITIALIZERS
from ..engine.losses import LOSS_OUTPUTS
from ..engine.optimizers import REGISTRY
from ..engine.schedules import SCHEDULE_SETTINGS
from ..engine.shapes import PADDINGS
from .architecture import input_shape_of, layer_label, summarize

DATASETS = ("mnist", "fashion-mnist", "kmnist", "digits")
DATASET_CLASSES = 10
DATASET_TRAIN_IMAGES = 60_000
DATASET_TEST_IMAGES = 10_000
LAYER_TYPES = ("dense", "conv2d", "maxpool2d", "avgpool2d", "flatten", "dropout", "batchnorm")
#: The image size of MNIST and its look-alikes: (height, width).
DATASET_IMAGE = (28, 28)
#: Each named dataset's image size and its training and test files' sizes (scikit-learn's 8x8
#: digits split 80/20 by data/datasets.py).
DATASET_SHAPES = {"mnist": DATASET_IMAGE, "fashion-mnist": DATASET_IMAGE, "kmnist": DATASET_IMAGE, "digits": (8, 8)}
DATASET_FILES = {"mnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES),
                 "fashion-mnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES),
                 "kmnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES), "digits": (1437, 360)}
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", "linear")
METRICS = ("val_accuracy", "val_loss", "test_accuracy", "test_loss", "train_accuracy", "train_loss")


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
        return f"{self.path} = {self.value!r}: {self.allowed}"

    def at_field(self) -> str:
        """What the editor shows under the field."""
        return self.allowed if self.about_shape else f"{self.value!r}: {self.allowed}"


class SpecError(ValueError):
    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(str(p) for p in problems))


def _doc(help: str, check: Callable[[Any], bool] | None = None, allowed: str = "", **kw: Any) -> dict:
    return {"help": help, "check": check, "allowed": allowed, **kw}


def _choice(options: tuple[str, ...]) -> dict:
    return {"check": lambda v: v in options, "allowed": f"one of {', '.join(options)}", "choices": options}


def _positive(v: Any) -> bool:
    return v > 0


def _non_negative(v: Any) -> bool:
    return v >= 0


@dataclass(frozen=True)
class AugmentSpec:
    expand: str = field(default="none", metadata=_doc(
        "none, or shift1: train on every image and its four 1-pixel shifts (5x data)", **_choice(("none", "shift1"))))
    shift: int = field(default=0, metadata=_doc("random shift of up to this many pixels", lambda v: 0 <= v <= 8,
                                                "an integer from 0 to 8"))
    rotate: float = field(default=0.0, metadata=_doc("random rotation of up to this many degrees",
                                                     lambda v: 0 <= v <= 45, "a number from 0 to 45"))
    scale: float = field(default=0.0, metadata=_doc("random scaling by up to this fraction",
                                                    lambda v: 0 <= v <= 0.5, "a number from 0 to 0.5"))
    translate: float = field(default=0.0, metadata=_doc("random sub-pixel translation, pixels",
                                                        lambda v: 0 <= v <= 8, "a number from 0 to 8"))


@dataclass(frozen=True)
class DataSpec:
    dataset: str = field(default="mnist", metadata=_doc("dataset name", **_choice(DATASETS)))
    path: str = field(default="", metadata=_doc("a folder holding the four IDX files (overrides dataset)"))
    root: str = field(default="", metadata=_doc("datasets root in torchvision's layout (default: the user folder)"))
    download: bool = field(default=False, metadata=_doc("download the dataset when it is not on disk"))
    loader: str = field(default="auto", metadata=_doc("auto (built-in IDX reader) or torchvision",
                                                      **_choice(("auto", "torchvision"))))
    train_size: int | None = field(default=None, metadata=_doc(
        "training images, from the first of the training file (default: all left after validation)",
        _positive, "a positive integer, or auto", optional=True))
    validation_size: int | None = field(default=None, metadata=_doc(
        "validation images, the last of the training file (default: a sixth of it, 10,000 for MNIST)",
        _non_negative, "an integer >= 0, or auto", optional=True))
    test_size: int | None = field(default=None, metadata=_doc(
        "test images, the first of the test file (default: the whole test file)",
        _non_negative, "an integer >= 0, or auto", optional=True))
    subset: str = field(default="first", metadata=_doc("how the training subset is drawn",
                                                       **_choice(("first", "stratified"))))
    normalization: str = field(default="unit", metadata=_doc("unit: pixels/255; standard: zero mean, unit variance",
                                                             **_choice(("unit", "standard"))))
    augment: AugmentSpec = field(default_factory=AugmentSpec, metadata=_doc("augmentation per mini-batch"))


@dataclass(frozen=True)
class LayerSpec:
    type: str = field(default="dense", metadata=_doc("layer type", **_choice(LAYER_TYPES)))
    units: int = field(default=0, metadata=_doc("width of a dense layer", _positive, "a positive integer"))
    activation: str = field(default="relu", metadata=_doc(
        "activation of a dense layer (the last one's is fused with the loss)",
        **_choice(tuple(ACTIVATIONS) + ("softmax",))))
    rate: float = field(default=0.5, metadata=_doc("dropout probability", lambda v: 0 <= v < 1, "a number in [0, 1)"))
    momentum: float = field(default=0.9, metadata=_doc("batch-norm running-average momentum",
                                                       lambda v: 0 <= v < 1, "a number in [0, 1)"))
    filters: int = field(default=0, metadata=_doc("output channels of a conv layer", lambda v: 1 <= v <= 4096,
                                                  "an integer from 1 to 4096"))
    kernel: int = field(default=5, metadata=_doc("conv kernel size (square)", lambda v: 1 <= v <= 64,
                                                 "an integer from 1 to 64"))
    stride: int = field(default=1, metadata=_doc("step between windows (conv default 1, pooling the window size)",
                                                 lambda v: 1 <= v <= 64, "an integer from 1 to 64"))
    padding: str = field(default="valid", metadata=_doc(
        "valid: no padding; same: zeros around so the output is ceil(input / stride)", **_choice(PADDINGS)))
    size: int = field(default=2, metadata=_doc("pooling window size (square)", lambda v: 1 <= v <= 64,
                                               "an integer from 1 to 64"))


#: Which fields each layer type has (anything else in its table is an error).
LAYER_FIELDS = {"dense": ("type", "units", "activation"), "dropout": ("type", "rate"),
                "batchnorm": ("type", "momentum"),
                "conv2d": ("type", "filters", "kernel", "stride", "padding", "activation"),
                "maxpool2d": ("type", "size", "stride"), "avgpool2d": ("type", "size", "stride"),
                "flatten": ("type",)}
#: Fields a layer type cannot do without.
LAYER_REQUIRED = {"dense": {"units": "a dense layer needs units (a positive integer)"},
                  "conv2d": {"filters": "a conv2d layer needs filters (a positive integer)"}}


@dataclass(frozen=True)
class ModelSpec:
    layers: tuple[LayerSpec, ...] = field(default=(LayerSpec(units=30, activation="sigmoid"),
                                                   LayerSpec(units=10, activation="sigmoid")),
                                          metadata=_doc("the layers, input to output"))
    loss: str = field(default="cross_entropy", metadata=_doc(
        "quadratic, cross_entropy (sigmoid outputs) or log_likelihood (softmax output)", **_choice(tuple(LOSS_OUTPUTS))))
    init: str = field(default="nielsen", metadata=_doc("weight initializer", **_choice(tuple(WEIGHT_INITIALIZERS))))
    bias_init: str = field(default="normal", metadata=_doc("bias initializer", **_choice(BIAS_INITIALIZERS)))


@dataclass(frozen=True)
class OptimizerSpec:
    name: str = field(default="sgd", metadata=_doc("optimizer", **_choice(tuple(REGISTRY))))
    hyper: dict[str, Any] = field(default_factory=lambda: hyper_defaults("sgd"), metadata=_doc(
        "the optimizer's own hyper-parameters (learning_rate, momentum, ...), written beside name"))

    @property
    def learning_rate(self) -> float:
        return float(self.hyper.get("learning_rate", hyper_defaults(self.name).get("learning_rate", 0.0)))


@dataclass(frozen=True)
class RegularizationSpec:
    l1: float = field(default=0.0, metadata=_doc("L1 coefficient: C += l1 sum|w|", _non_negative, "a number >= 0"))
    l2: float = field(default=0.0, metadata=_doc("L2 coefficient: C += l2/2 sum w^2", _non_negative, "a number >= 0"))
    l2_lambda: float = field(default=0.0, metadata=_doc(
        "Nielsen's lambda: C += lambda/(2n) sum w^2, n = training samples", _non_negative, "a number >= 0"))
    noise_eta: float = field(default=0.0, metadata=_doc("gradient-noise scale eta in eta/(1+t)^gamma",
                                                        _non_negative, "a number >= 0"))
    noise_gamma: float = field(default=0.55, metadata=_doc("gradient-noise decay gamma", _non_negative,
                                                           "a number >= 0"))


@dataclass(frozen=True)
class ScheduleSpec:
    name: str = field(default="constant", metadata=_doc("learning-rate schedule", **_choice(tuple(SCHEDULE_SETTINGS))))
    settings: dict[str, Any] = field(default_factory=dict, metadata=_doc("the schedule's own settings"))


@dataclass(frozen=True)
class EarlyStoppingSpec:
    patience: int = field(default=0, metadata=_doc("epochs without improvement before stopping (0: never)",
                                                   _non_negative, "an integer >= 0"))
    min_delta: float = field(default=0.0, metadata=_doc("smallest change that counts as improvement",
                                                        _non_negative, "a number >= 0"))
    restore_best: bool = field(default=False, metadata=_doc("restore the best epoch's weights when stopping"))


@dataclass(frozen=True)
class TrainingSpec:
    epochs: int = field(default=30, metadata=_doc("epochs", lambda v: 1 <= v <= 10_000, "an integer from 1 to 10000"))
    batch_size: int = field(default=10, metadata=_doc("mini-batch size", lambda v: 1 <= v <= 60_000,
                                                      "an integer from 1 to 60000"))
    monitor: str = field(default="val_accuracy", metadata=_doc(
        "metric for early stopping and reduce-on-plateau", **_choice(METRICS)))
    dtype: str = field(default="float32", metadata=_doc("floating-point type", **_choice(("float32", "float64"))))
    diagnostics: bool = field(default=True, metadata=_doc("gradient norms and dead units every epoch"))
    schedule: ScheduleSpec = field(default_factory=ScheduleSpec, metadata=_doc("learning-rate schedule"))
    early_stopping: EarlyStoppingSpec = field(default_factory=EarlyStoppingSpec, metadata=_doc("early stopping"))


@dataclass(frozen=True)
class Spec:
    seed: int = field(default=0, metadata=_doc("seed of the one random generator", lambda v: 0 <= v < 2**63,
                                               "an integer from 0 to 2^63-1"))
    data: DataSpec = field(default_factory=DataSpec, metadata=_doc("data"))
    model: ModelSpec = field(default_factory=ModelSpec, metadata=_doc("model"))
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec, metadata=_doc("optimizer"))
    regularization: RegularizationSpec = field(default_factory=RegularizationSpec, metadata=_doc("regularization"))
    training: TrainingSpec = field(default_factory=TrainingSpec, metadata=_doc("training"))


def hyper_defaults(optimizer: str) -> dict[str, Any]:
    cls = REGISTRY.get(optimizer)
    return {h.name: h.default for h in cls.HYPERS} if cls else {}


# ---- parsing -------------------------------------------------------------------------------------

def _type_name(tp: Any) -> str:
    if plain_type(tp) is not tp:
        return f"{_type_name(plain_type(tp))}, or {AUTO}"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, "a table")


def plain_type(tp: Any) -> Any:
    """``int`` for ``int | None``: the type a value has when it is given."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if type(None) in typing.get_args(tp) and len(args) == 1 else tp


#: What an optional field (``int | None``) takes for "left out": it fits the data.
AUTO = "auto"


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
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Problem(f"{path}{key}", "(unknown key)", f"not a field here; allowed: {', '.join(known)}{hint}")


def _parse_dataclass(cls: type, raw: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(raw, dict):
        problems.append(Problem(path.rstrip(".") or "(top)", raw, "must be a table"))
        return cls()
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    values: dict[str, Any] = {}
    for key in raw:
        if key not in names:
            problems.append(_unknown(key, names, path))
    for f in fields(cls):
        if f.name not in raw:
            continue
        value, tp = raw[f.name], hints[f.name]
        where = f"{path}{f.name}"
        if is_dataclass(tp):
            values[f.name] = _parse_dataclass(tp, value, where + ".", problems)
        elif typing.get_origin(tp) is tuple:
            values[f.name] = _parse_layers(value, where, problems)
        elif typing.get_origin(tp) is dict:
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
    """Optimizer and schedule tables hold their own settings beside ``name``: separate them."""
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
               shapes: bool = True, data_files: tuple[int, int] | None = None) -> list[Problem]:
    """Checks across fields: the output layer against the loss and the classes, every layer's shape
    against its input (``image_shape``: the data's image size; a named dataset's is known, a
    folder's only once it is read), split sizes against the data (``data_files``: the images in
    the training and test files, likewise)."""
    problems: list[Problem] = []
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
        expected = classes if classes is not None else (DATASET_CLASSES if not spec.data.path else None)
        if expected is not None and last.units != expected:
            problems.append(Problem(f"model.layers[{len(layers) - 1}].units", last.units,
                                    f"the output layer must have one unit per class ({expected})"))
    for i, layer in enumerate(layers[:-1]):
        if layer.type in ("dense", "conv2d") and layer.activation == "softmax":
            problems.append(Problem(f"model.layers[{i}].activation", "softmax",
                                    "softmax is only for the output layer"))
    image = image_shape or (None if spec.data.path else DATASET_SHAPES.get(spec.data.dataset))
    if image is not None and shapes:
        problems.extend(shape_problems(spec, input_shape_of(spec, image)))
    files = data_files or (None if spec.data.path else DATASET_FILES.get(spec.data.dataset))
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
    return problems


def shape_problems(spec: Spec, input_shape: tuple[int, ...]) -> list[Problem]:
    """The first layer that cannot take its input, as a problem naming the layer and the shapes."""
    _, error, index = summarize(spec, input_shape)
    if error is None:
        return []
    return [Problem(f"model.layers[{index}]", layer_label(spec.model.layers[index]), error, about_shape=True)]


# ---- writing -------------------------------------------------------------------------------------

def spec_to_dict(spec: Spec) -> dict[str, Any]:
    """The canonical plain form (what TOML files hold): every field, layers with their own fields only."""
    out = _dataclass_to_dict(spec)
    out["optimizer"] = {"name": spec.optimizer.name, **spec.optimizer.hyper}
    schedule = spec.training.schedule
    out["training"]["schedule"] = {"name": schedule.name, **schedule.settings}
    out["model"]["layers"] = [{k: getattr(layer, k) for k in LAYER_FIELDS.get(layer.type, ("type",))}
                              for layer in spec.model.layers]
    return out


def _dataclass_to_dict(obj: Any) -> dict[str, Any]:
    """Fields left out (None: sizes that fit the data) stay out, as TOML has no null."""
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is not None:
            out[f.name] = _dataclass_to_dict(value) if is_dataclass(value) else value
    return out


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


def field_help(cls: type, name: str) -> str:
    for f in fields(cls):
        if f.name == name:
            return f.metadata.get("help", "")
    return ""


__all__ = ["Spec", "Problem", "SpecError", "parse_spec", "spec_to_dict", "check_spec", "set_dotted"]


def field_info(path: str) -> tuple[type, dict]:
    """The type and metadata (help, allowed, choices) of a dotted field path such as ``data.train_size``."""
    cls: Any = Spec
    hints: dict = {}
    metadata: dict = {}
    for name in path.split("."):
        hints = typing.get_type_hints(cls)
        metadata = next(f.metadata for f in fields(cls) if f.name == name)
        cls = hints[name]
    return cls, dict(metadata)
