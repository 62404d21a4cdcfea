"""The runs folder: every recorded run (and every model whose record is gone) as a list row,
sorted and found by name. The Runs screen and `tui-nn runs` are two clients of this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common.paths import runs_dir
from ..experiment.models import MODEL_SUFFIX, ended_at_epoch_end, read_model_meta, record_path_of
from ..experiment.records import list_records, read_record
from .compare import best_of, score_text
from .labels import point_label, record_architecture, series_labels, spec_architecture, started_text
from .sweep_results import SUMMARY_PREFIX

#: What `runs` can sort by (the newest first unless another key is chosen).
SORT_KEYS = ("started", "test", "val", "preset", "status", "seconds")


@dataclass(frozen=True)
class RunSummary:
    """One recorded run as a list row."""

    id: str
    path: Path
    preset: str
    status: str
    started: str
    seconds: float
    epochs: int
    test_accuracy: float | None
    best_val_accuracy: float | None
    settings: str  # the hyper-parameters that matter, in a few words
    architecture: str = ""  # the layers in the presets list's compact form: [784,100,10], [20c5,p2,10]
    test_r2: float | None = None  # a regression's, where a classification has its accuracies
    best_val_r2: float | None = None

    @property
    def started_text(self) -> str:
        """``12-06 20:29``: the local date and time the run started."""
        return started_text(self.started) if self.started else "-"

    @property
    def regression(self) -> bool:
        return self.test_r2 is not None or self.best_val_r2 is not None

    @property
    def test_score(self) -> float | None:
        """What the run reached on its test split: the accuracy, or a regression's R^2."""
        return self.test_r2 if self.regression else self.test_accuracy

    @property
    def best_val_score(self) -> float | None:
        return self.best_val_r2 if self.regression else self.best_val_accuracy

    @property
    def test_text(self) -> str:
        """``97.53%``, or ``R^2 0.9930`` for a regression."""
        return score_text(self.test_score, self.regression)

    @property
    def best_val_text(self) -> str:
        return score_text(self.best_val_score, self.regression)

    @property
    def time_text(self) -> str:
        """``42s``; a model without its record does not know how long its run took."""
        return "-" if self.status == MODEL_ONLY else f"{self.seconds:.0f}s"

    def matches(self, text: str, name: str = "") -> bool:
        """A plain-text filter over everything the row shows (a sweep point's ``name`` too)."""
        haystack = " ".join([self.id, self.preset, self.status, self.settings, self.architecture,
                             architecture_words(self.architecture), name]).lower()
        return all(word in haystack for word in text.lower().split())


def architecture_words(architecture: str) -> str:
    """``conv pool`` for an architecture with conv and pooling layers: what a filter can ask for."""
    parts = architecture.strip("[]").split(",")
    words = [word for word, found in (("conv", any("c" in p and p[:1].isdigit() for p in parts)),
                                      ("pool", any(p[:1] in "pa" and p[1:].isdigit() for p in parts)),
                                      ("batchnorm", "bn" in parts),
                                      ("dense mlp", bool(parts) and all(p.isdigit() or p == "?" for p in parts)))
             if found]
    return " ".join(words)


def settings_text(spec: dict[str, Any]) -> str:
    """``adam lr=0.001 b64 e4 l2=5e-05`` from a record's spec."""
    optimizer = spec.get("optimizer", {})
    training = spec.get("training", {})
    parts = [f"{optimizer.get('name', '?')} lr={optimizer.get('learning_rate', '?'):g}"
             if isinstance(optimizer.get("learning_rate"), (int, float)) else str(optimizer.get("name", "?")),
             f"b{training.get('batch_size', '?')}", f"e{training.get('epochs', '?')}"]
    regularization = spec.get("regularization", {})
    for key in ("l2", "l1", "l2_lambda"):
        value = regularization.get(key)
        if value:
            parts.append(f"{key}={value:g}")
    return " ".join(parts)


def summarize_record(path: Path, record: dict[str, Any]) -> RunSummary:
    epochs = record.get("epochs", [])
    vals = [e["val_accuracy"] for e in epochs if isinstance(e.get("val_accuracy"), (int, float))]
    final = record.get("final") or {}
    r2 = final.get("test_r2")
    # A run ended on request when an epoch did is recorded as stopped; it kept its model as a completed one.
    status = "ended" if ended_at_epoch_end(record) else str(record.get("status", "?"))
    return RunSummary(path.stem, path, str(record.get("preset", "?")), status,
                      str(record.get("started", "")), float(record.get("wall_seconds") or 0.0), len(epochs),
                      final.get("test_accuracy"), max(vals) if vals else None,
                      f"baseline {record['baseline']}" if record.get("baseline") else settings_text(record["spec"]),
                      record_architecture(record), test_r2=r2 if isinstance(r2, (int, float)) else None,
                      best_val_r2=best_of(epochs, "val_r2"))


#: The status of a model file whose run record is gone: it still opens with what it carries.
MODEL_ONLY = "no record"


def summarize_model(path: Path) -> RunSummary:
    """A row for a model without its record, from the model's own metadata (its spec and epochs)."""
    meta = read_model_meta(path)
    run_id = path.name.removesuffix(MODEL_SUFFIX)
    parts = run_id.split("-", 3)  # records are named DATE-TIME-MICROSECONDS-PRESET
    preset = parts[3] if len(parts) == 4 else "?"
    started = ""
    if len(parts) == 4 and parts[0].isdigit() and parts[1].isdigit():
        date, time = parts[0], parts[1]
        started = f"{date[:4]}-{date[4:6]}-{date[6:8]}T{time[:2]}:{time[2:4]}:{time[4:6]}"
    return RunSummary(run_id, path, preset, MODEL_ONLY, started, 0.0, int(meta.get("epoch", 0)), None, None,
                      settings_text(meta["spec"]), spec_architecture(meta["spec"]))


def load_runs(home: Path, folder: Path | None = None) -> tuple[list[RunSummary], list[str]]:
    """Every readable record (newest first), models whose record is gone, and a line for each
    file that is neither."""
    runs, problems = [], []
    if folder is not None:  # a sweep's points, without the sweep's own summary
        paths = sorted((p for p in folder.glob("*.json") if not p.name.startswith(SUMMARY_PREFIX)), reverse=True)
    else:
        paths = list_records(home)
    for path in paths:
        try:
            runs.append(summarize_record(path, read_record(path)))
        except ValueError as error:
            problems.append(str(error))
    models = (folder or runs_dir(home)).glob(f"*{MODEL_SUFFIX}")
    for path in sorted(models, reverse=True):
        if record_path_of(path).exists():
            continue
        try:
            runs.append(summarize_model(path))
        except ValueError as error:
            problems.append(str(error))
    return runs, problems


def sort_runs(runs: list[RunSummary], key: str) -> list[RunSummary]:
    """Accuracies (a regression's R^2) best first, time longest first, names A-Z, ``started`` newest first; a run
    without the value goes last."""
    if key not in SORT_KEYS:
        raise ValueError(f"--sort {key!r}: allowed: {', '.join(SORT_KEYS)}")
    value = {"started": lambda r: r.started, "test": lambda r: r.test_score, "val": lambda r: r.best_val_score,
             "preset": lambda r: r.preset, "status": lambda r: r.status, "seconds": lambda r: r.seconds}[key]
    present = [r for r in runs if value(r) is not None]
    missing = [r for r in runs if value(r) is None]
    return sorted(present, key=value, reverse=key not in ("preset", "status")) + missing




def resolve_run(name: str, home: Path) -> Path:
    """A run by its file, its id (the record's file name without .json), or a unique start of it."""
    path = Path(name)
    if path.suffix == ".json" and path.is_file():
        return path
    candidates = [p for p in list_records(home) if p.stem == name] or \
        [p for p in list_records(home) if p.stem.startswith(name)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValueError(f"{name}: no such run (see `tui-nn runs`; a record file works too)")
    raise ValueError(f"{name}: {len(candidates)} runs start so; give more of the id")


def point_names(runs: list[RunSummary]) -> dict[str, str]:
    """A sweep's points named as the leaderboard names them (``sgd seed=2``: the alternative's label,
    the grid's values), else, for points recorded without that, by what tells them apart; never by
    their hash ids."""
    recorded = []
    for run in runs:
        if run.status != MODEL_ONLY:
            try:
                recorded.append((run.id, read_record(run.path)))
            except ValueError:
                continue
    if len(recorded) < 2:
        return {}
    ids, records = [r[0] for r in recorded], [r[1] for r in recorded]
    marks = [record.get("sweep_point") for record in records]
    if all(isinstance(m, dict) and isinstance(m.get("settings"), dict) for m in marks):
        seeds = [m.get("seed") if isinstance(m.get("seed"), int) else None for m in marks]  # a hand-edited one aside
        several = len(set(seeds)) > 1  # a seed is worth a word where seeds differ
        named = [point_label(m["settings"], seed if several else None) for m, seed in zip(marks, seeds)]
        if len(set(named)) == len(named):  # as the leaderboard names them (one plan's points)
            return dict(zip(ids, named))
    return dict(zip(ids, series_labels(ids, records, width=40)))


def plan_point_names(points: list) -> dict[str, str]:
    """A plan's points (sweep_plan.Point) by id, named as its leaderboard names them: the seed too
    where the plan has several."""
    several = len({point.seed for point in points}) > 1
    return {point.id: point_label(point.settings, point.seed if several else None) for point in points}
