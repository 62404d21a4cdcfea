"""The experiment spec's schema: typed, frozen dataclasses documented per field (help, allowed
values, choices in each field's metadata), with the constants they are checked against.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from ...data.features import FEATURES
from ...data.generated import GATES, GENERATED, generated_inputs
from ...data.table import TASKS
from ...engine.activations import ACTIVATIONS
from ...engine.initializers import BIAS_INITIALIZERS, WEIGHT_INITIALIZERS
from ...engine.losses import LOSS_OUTPUTS
from ...engine.optimizers import REGISTRY
from ...engine.schedules import SCHEDULE_SETTINGS
from ...engine.shapes import PADDINGS


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """A spec dataclass's field types, read once: the annotations are strings, evaluated on each
    ``typing.get_type_hints`` call (most of a spec's parsing time before)."""
    return typing.get_type_hints(cls)

IMAGE_DATASETS = ("mnist", "fashion-mnist", "kmnist", "digits")


#: Images by name, then the datasets generated from the seed (data/generated.py).
DATASETS = IMAGE_DATASETS + GENERATED


DATASET_CLASSES = 10


DATASET_TRAIN_IMAGES = 60_000


DATASET_TEST_IMAGES = 10_000


LAYER_TYPES = ("dense", "conv2d", "maxpool2d", "avgpool2d", "flatten", "dropout", "batchnorm")


#: The image size of MNIST and its look-alikes: (height, width).
DATASET_IMAGE = (28, 28)


#: Each named dataset's image size and its training and test files' sizes (scikit-learn's 8x8
#: digits split 80/20 by data/datasets.py).
DATASET_SHAPES = {"mnist": DATASET_IMAGE, "fashion-mnist": DATASET_IMAGE, "kmnist": DATASET_IMAGE, "digits": (8, 8),
                  **{name: (generated_inputs(name),) for name in GENERATED}}  # generated: the raw inputs


DATASET_FILES = {"mnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES),
                 "fashion-mnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES),
                 "kmnist": (DATASET_TRAIN_IMAGES, DATASET_TEST_IMAGES), "digits": (1437, 360)}


METRICS = ("val_accuracy", "val_loss", "test_accuracy", "test_loss", "train_accuracy", "train_loss")


#: What a regression reports instead of the accuracies (engine/metrics.py).
REGRESSION_MONITORS = tuple(f"{split}_{name}" for split in ("val", "test", "train") for name in ("r2", "mse", "mae"))


def _fraction(v: Any) -> bool:
    return 0 < v < 1


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
    path: str = field(default="", metadata=_doc(
        "a folder holding the four IDX files (overrides dataset), or a .csv table with a header row (its "
        "feature columns are standardized)"))
    target: str = field(default="", metadata=_doc("a CSV table's target column (default: the last)"))
    task: str = field(default="auto", metadata=_doc(
        "a table's task: auto (text, booleans or a few distinct integers classify; other numbers regress), "
        "classification or regression", **_choice(TASKS)))
    gate: str = field(default="xor", metadata=_doc("the truth table of dataset gates", **_choice(tuple(GATES))))
    points: int | None = field(default=None, metadata=_doc(
        "points a generated dataset draws (default: 500 to classify, 1200 to regress, as the Playground; "
        "2000 for a function)", lambda v: 2 <= v <= 1_000_000, "an integer from 2 to 1000000, or auto",
        optional=True))
    noise: float = field(default=0.0, metadata=_doc(
        "noise of a generated dataset, percent (the Playground's slider: 0-50; a function's targets get "
        "Gaussian noise of noise/100)", lambda v: 0 <= v <= 50,
        "a number from 0 to 50"))
    train_fraction: float | None = field(default=None, metadata=_doc(
        "share of a generated dataset's or table's rows to train on, the rest tests (default: 0.5 as the "
        "Playground, 0.8 for functions and tables)", _fraction, "a number between 0 and 1, or auto",
        optional=True))
    features: tuple[str, ...] = field(default=(), metadata=_doc(
        "inputs computed from two inputs x1, x2, as the Playground offers them (default: x1, x2 as given)",
        lambda v: all(f in FEATURES for f in v), f"a list of {', '.join(FEATURES)}"))
    target_normalization: str = field(default="standard", metadata=_doc(
        "a regression's targets: standard (zero mean, unit variance of the training targets; errors are "
        "reported in the target's units) or none", **_choice(("standard", "none"))))
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


#: The data fields only tables (CSV files, generated datasets) use: an image spec's canonical form
#: leaves them out.
TABLE_DATA_FIELDS = ("target", "task", "gate", "points", "noise", "train_fraction", "features",
                     "target_normalization")


def is_image_data(data: DataSpec) -> bool:
    return data.dataset in IMAGE_DATASETS and not data.path.lower().endswith(".csv")


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
        "metric for early stopping and reduce-on-plateau", **_choice(METRICS + REGRESSION_MONITORS)))
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


@functools.cache
def plain_type(tp: Any) -> Any:
    """``int`` for ``int | None``: the type a value has when it is given."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if type(None) in typing.get_args(tp) and len(args) == 1 else tp


#: What an optional field (``int | None``) takes for "left out": it fits the data.
AUTO = "auto"


def field_help(cls: type, name: str) -> str:
    for f in fields(cls):
        if f.name == name:
            return f.metadata.get("help", "")
    return ""


def field_info(path: str) -> tuple[type, dict]:
    """The type and metadata (help, allowed, choices) of a dotted field path such as ``data.train_size``."""
    cls: Any = Spec
    hints: dict = {}
    metadata: dict = {}
    for name in path.split("."):
        hints = type_hints(cls)
        metadata = next(f.metadata for f in fields(cls) if f.name == name)
        cls = hints[name]
    return cls, dict(metadata)
