"""The spec being edited: what the editor's form holds, owned in one place, checked without a screen.

A ``Draft`` keeps every field as it was last typed (a number that does not parse is kept as its
text, so the check can name it), the layers as a list of ``LayerDraft`` and the optimizer's and
schedule's own settings beside their names. ``check()`` turns it into a plain dict and runs the
spec's own parsing and validation on it, plus the data folder's, and the shape of every layer.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from typing import Any

from ..data import DatasetError, FolderSummary, peek_folder
from ..data.datasets import missing_dataset
from ..data.splits import SplitError, resolve_sizes
from ..engine.optimizers import REGISTRY
from ..engine.schedules import SCHEDULE_SETTINGS
from ..engine.shapes import Shape
from .architecture import LayerSummary, input_shape_of, summarize
from .spec.dotted import set_dotted
from .spec.parse import Problem, check_spec, parse_spec, spec_to_dict
from .spec.schema import (
    AUTO,
    DATASET_FILES,
    DATASET_IMAGE,
    DATASET_SHAPES,
    LAYER_FIELDS,
    LayerSpec,
    Spec,
    is_image_data,
    plain_type,
)
from .sweep_plan import (SEED_KEY, Point, SweepPlan, is_sweep_path, parse_plan, points, run_count,
                         setting_problems)
from .sweep_text import read_sweep_text, sweep_text

#: Whole numbers among a layer's fields; the rest of its numbers are fractions.
INTEGER_KEYS = ("units", "filters", "kernel", "stride", "size")

#: Up to this many runs, a sweep's every point is checked at each key (a point's spec takes about
#: 0.2 ms to check); a larger sweep's settings are checked one by one, and its points on ctrl+r / ctrl+s.
WHOLE_AT_A_KEY = 25

#: The layer ctrl+n adds.
NEW_LAYER = {"type": "dense", "units": 30, "activation": "relu"}

#: What a layer's row shows for a field the layer does not have yet (after a change of type).
_LAYER_DEFAULTS: dict[str, Any] = {"units": 10, "activation": "relu", "filters": 20, "kernel": LayerSpec.kernel,
                                   "stride": 1, "padding": LayerSpec.padding, "size": LayerSpec.size,
                                   "rate": LayerSpec.rate, "momentum": LayerSpec.momentum}


def parse_text(text: str, kind: Any) -> Any:
    """A number typed into a field; anything unparseable is passed on so validation can name it.
    An optional field left empty (or ``auto``) is None: it fits the data."""
    text = text.strip()
    if plain_type(kind) is not kind:
        if text in ("", AUTO):
            return None
        kind = plain_type(kind)
    if kind is str:
        return text
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        return text


class LayerDraft:
    """One layer as typed. Fields of the types it had before stay, unused, so changing the type
    back restores them; only its current type's fields reach the spec."""

    def __init__(self, values: dict[str, Any]):
        self.values = dict(values)
        self.values.setdefault("type", "dense")
        self._fill()

    @property
    def type(self) -> str:
        return self.values["type"]

    @property
    def keys(self) -> tuple[str, ...]:
        """The fields its row shows after the type, in order."""
        return tuple(key for key in LAYER_FIELDS.get(self.type, ("type",)) if key != "type")

    def set_text(self, key: str, text: str) -> None:
        self.values[key] = parse_text(text, int if key in INTEGER_KEYS else float)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value

    def retype(self, kind: str) -> None:
        """A conv's stride of 1 is no default for a pool, nor a pool's for a conv."""
        self.values.pop("stride", None)
        self.values["type"] = kind
        self._fill()

    def _fill(self) -> None:
        for key in self.keys:
            if key not in self.values:
                self.values[key] = self.values.get("size", LayerSpec.size) if key == "stride" and \
                    self.type != "conv2d" else _LAYER_DEFAULTS[key]
        if self.type == "conv2d" and self.values.get("activation") == "softmax":
            self.values["activation"] = "relu"  # softmax is only for a dense output layer

    def table(self) -> dict[str, Any]:
        """The layer as the spec's list holds it: its type's fields only."""
        return {key: self.values[key] for key in ("type", *self.keys)}

    def label(self) -> str:
        """``dense 30``, ``conv2d 20``, ``maxpool2d 2``: what a question about it names."""
        return " ".join(str(self.values[k]) for k in ("type", "units", "filters", "size")
                        if k in ("type", *self.keys))


def new_layer() -> LayerDraft:
    """The layer ctrl+n adds."""
    return LayerDraft(NEW_LAYER)


@dataclass
class DraftCheck:
    """What the spec check found: the spec (meaningful only without problems), every problem,
    the data's image size (None while a folder cannot be read), and each layer that fits."""

    spec: Spec
    problems: list[Problem]
    image_shape: tuple[int, ...] | None
    input_shape: Shape | None = None
    layers: list[LayerSummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what runs, but likely not as meant
    sweep: dict[str, Any] | None = None  # the [sweep] table typed (None: the spec trains once)
    plan: SweepPlan | None = None
    sweep_points: list[Point] = field(default_factory=list)  # every run, after a whole check without a problem
    sweep_whole: bool = False  # whether every point of the sweep was checked (else each setting on its own)

    @property
    def sweep_runs(self) -> int:
        """How many runs the sweep makes (0: no sweep, or one with a problem)."""
        if self.plan is None or any(is_sweep_path(p.path) for p in self.problems):
            return 0
        return run_count(self.plan)

    @property
    def sweep_seeds(self) -> int:
        """How many seeds each setting of the sweep runs with."""
        if self.plan is None:
            return 0
        return len(self.plan.grid[SEED_KEY]) if SEED_KEY in self.plan.grid else self.plan.seeds

    @property
    def all_layers_fit(self) -> bool:
        return bool(self.layers) and len(self.layers) == len(self.spec.model.layers)


class Draft:
    """The spec being edited, the preset's description, and its ``[sweep]`` table as typed text."""

    def __init__(self, spec: Spec, description: str = "", data_root: str | os.PathLike | None = None,
                 sweep: dict[str, Any] | None = None):
        raw = spec_to_dict(spec)
        self.layers = [LayerDraft(table) for table in raw["model"].pop("layers")]
        self.optimizer: dict[str, Any] = raw.pop("optimizer")
        self.schedule: dict[str, Any] = raw["training"].pop("schedule")
        self.rest = raw  # every other field, as the spec's plain form nests it
        self.description = description
        self.sweep_text = sweep_text(sweep)
        self._whole: tuple[str, list[Point], list[Problem]] | None = None  # the last check of every point
        self._folders: dict[tuple, FolderSummary | DatasetError] = {}
        self.data_root = data_root  # where a named dataset's files are looked for (paths.data_root)

    # ---- reading and writing fields by their dotted path ----

    def value(self, path: str) -> Any:
        """A field's current value; None for one left out (a size that fits the data)."""
        if path == "description":
            return self.description
        if path == "sweep":
            return self.sweep_text
        head, _, key = path.rpartition(".")
        if head in ("optimizer", "training.schedule"):
            return (self.optimizer if head == "optimizer" else self.schedule).get(key)
        node: Any = self.rest
        for part in path.split("."):
            if part not in node:
                return None
            node = node[part]
        return node

    def set(self, path: str, value: Any) -> None:
        if path == "description":
            self.description = value
            return
        if path == "sweep":
            self.sweep_text = value
            return
        head, _, key = path.rpartition(".")
        if path == "optimizer.name":
            self.choose_optimizer(value)
        elif path == "training.schedule.name":
            self.choose_schedule(value)
        elif head == "optimizer":
            self.optimizer[key] = value
        elif head == "training.schedule":
            self.schedule[key] = value
        elif value is None:  # left out, as the spec's plain form leaves it: it fits the data
            node = self.value(head) if head else self.rest
            if isinstance(node, dict):
                node.pop(key, None)
        else:
            set_dotted(self.rest, path, value)

    def choose_optimizer(self, name: str) -> bool:
        """Another optimizer starts from its own defaults; True when the choice changed."""
        if name == self.optimizer.get("name"):
            return False
        self.optimizer = {"name": name, **{h.name: h.default for h in REGISTRY[name].HYPERS}}
        return True

    def choose_schedule(self, name: str) -> bool:
        if name == self.schedule.get("name"):
            return False
        self.schedule = {"name": name, **SCHEDULE_SETTINGS[name]}
        return True

    # ---- the layer list ----

    def insert_layer(self, index: int, layer: LayerDraft) -> LayerDraft:
        self.layers.insert(index, layer)
        return layer

    def add_layer(self, index: int) -> LayerDraft:
        return self.insert_layer(index, new_layer())

    def remove_layer(self, index: int) -> LayerDraft:
        return self.layers.pop(index)

    def move_layer(self, index: int, step: int) -> bool:
        target = index + step
        if not (0 <= index < len(self.layers) and 0 <= target < len(self.layers)):
            return False
        self.layers[index], self.layers[target] = self.layers[target], self.layers[index]
        return True

    # ---- the spec it makes, and its check ----

    def to_raw(self) -> dict[str, Any]:
        """The spec's plain form (what a TOML file holds), as typed."""
        raw = copy.deepcopy(self.rest)
        raw["model"]["layers"] = [layer.table() for layer in self.layers]
        raw["optimizer"] = dict(self.optimizer)
        raw["training"]["schedule"] = dict(self.schedule)
        return raw

    def state(self) -> tuple:
        """Everything the draft holds, to tell whether anything was changed: the spec as parsed
        while it parses (a field typed back to the value it had left out is no change), else as typed."""
        raw = self.to_raw()
        spec, problems = parse_spec(raw)
        return spec_to_dict(spec) if not problems else raw, self.description, self.sweep_text

    def check(self, whole: bool = False) -> DraftCheck:
        """The draft checked as the spec and a preset's sweep are. ``whole`` checks every point of
        the sweep and lists them (as many specs as runs, which a key's check can afford only on a
        small sweep: a larger one's settings are checked one by one, see ``_check_sweep``)."""
        spec, problems = parse_spec(self.to_raw())
        extra, image_shape = self._data_problems(spec)
        known = {str(problem) for problem in problems}
        problems += [problem for problem in extra if str(problem) not in known]
        result = DraftCheck(spec, problems, image_shape)
        self._check_sweep(result, whole)
        if not result.problems:
            result.warnings = self._warnings(spec)
        if image_shape:
            result.input_shape = input_shape_of(spec, image_shape)
            # While a layer's field is invalid its values are defaults: no shapes to show.
            if not any(p.path.startswith("model.layers") and not p.about_shape for p in problems):
                result.layers = summarize(spec, result.input_shape)[0]
        return result

    def _check_sweep(self, result: DraftCheck, whole: bool) -> None:
        """The sweep table as the preset loader checks it: its own fields, then the specs it makes
        (only once the base spec has no problem: every point would repeat the base's). Every point
        is checked when asked, or when there are few; the last such check is kept until the draft
        changes, so a key that changes nothing does not undo what it found."""
        table, problems = read_sweep_text(self.sweep_text)
        if table is not None:
            plan, problems = parse_plan(table)
            result.sweep, result.plan = table, plan
            if not problems and not result.problems:
                state = json.dumps([self.to_raw(), self.sweep_text], sort_keys=True, default=str)
                if self._whole is not None and self._whole[0] == state:
                    whole_points, problems = self._whole[1], self._whole[2]
                    result.sweep_whole = True
                elif whole or run_count(plan) <= WHOLE_AT_A_KEY:
                    whole_points, problems = points(result.spec, plan)
                    self._whole = (state, whole_points, problems)
                    result.sweep_whole = True
                else:
                    whole_points, problems = [], setting_problems(result.spec, plan)
                result.sweep_points = [] if problems else whole_points
        result.problems += problems

    def _warnings(self, spec: Spec) -> list[str]:
        """A batch larger than the training set: every step then sees the whole set, once an epoch."""
        files = None
        if spec.data.path:
            folder = self.folder(spec.data.path)
            files = None if isinstance(folder, DatasetError) else (folder.train, folder.test)
        elif is_image_data(spec.data):
            files = DATASET_FILES.get(spec.data.dataset)
        if files is None:
            return []
        try:
            train = resolve_sizes(*files, spec.data.train_size, spec.data.validation_size, spec.data.test_size).train
        except SplitError:
            return []
        batch = spec.training.batch_size
        if batch > train:
            return [f"the batch ({batch}) is larger than the training set ({train}): one step an epoch"]
        return []

    def folder(self, path: str) -> FolderSummary | DatasetError:
        """The data folder's summary (or why it cannot be used), read once per folder and change."""
        try:
            stamp = os.stat(os.path.expanduser(path)).st_mtime_ns
        except OSError:
            stamp = None
        key = (path, stamp)
        if key not in self._folders:
            try:
                self._folders[key] = peek_folder(path)
            except DatasetError as error:
                self._folders[key] = error
        return self._folders[key]

    def _data_problems(self, spec: Spec) -> tuple[list[Problem], tuple[int, ...] | None]:
        """The folder checked as it is typed: its files, then the spec against what it holds
        (classes, image size, split sizes). Returns the problems and the image size."""
        if not spec.data.path:
            data = spec.data
            root = data.root or self.data_root
            missing = missing_dataset(data.dataset, root, data.download, data.loader) if root else None
            problems = [Problem("data.dataset", data.dataset, missing)] if missing else []
            return problems, DATASET_SHAPES.get(spec.data.dataset, DATASET_IMAGE)
        folder = self.folder(spec.data.path)
        if isinstance(folder, DatasetError):
            return [Problem("data.path", spec.data.path, str(folder))], None
        problems = check_spec(spec, classes=folder.classes, image_shape=folder.image_shape,
                              data_files=(folder.train, folder.test))
        return problems, folder.image_shape

