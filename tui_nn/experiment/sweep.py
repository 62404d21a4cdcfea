"""Sweeps: a preset run over a grid of settings and several seeds, in parallel worker processes.

A preset's ``[sweep]`` table (or ``tui-nn sweep --grid``) names the points::

    [sweep]
    seeds = 3                                          # every point with seeds s, s+1, s+2
    grid = { "optimizer.learning_rate" = [0.025, 0.25, 2.5] }
    alternatives = [ { optimizer = { name = "sgd", learning_rate = 0.1 } },
                     { optimizer = { name = "adam", learning_rate = 0.001 } } ]

Every point is the preset's spec with one value per grid key and one alternative (a partial spec
merged in) applied, run once per seed. Its record is stored under the preset's sweep folder by a
hash of its whole spec, so running a sweep again (after an interruption, or with a wider grid)
trains only the points that have no finished record yet.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import paths
from ..atomic import atomic_write_bytes, atomic_write_text
from .models import MODEL_SUFFIX
from .records import read_record
from .runs import flatten, mean_sd
from .spec import Problem, Spec, parse_spec, set_dotted, spec_to_dict

FINISHED = ("completed", "early_stopped", "diverged")
MAX_POINTS = 10_000
SUMMARY_PREFIX = "sweep-"  # a sweep's summary beside its points' records
MODEL_BYTES = "model_file_bytes"  # a point's trained model on its way back from its worker


@dataclass(frozen=True)
class SweepPlan:
    grid: dict[str, list[Any]] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    seeds: int = 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seeds": self.seeds}
        if self.grid:
            out["grid"] = self.grid
        if self.alternatives:
            out["alternatives"] = self.alternatives
        return out


@dataclass(frozen=True)
class Point:
    """One run of a sweep: its settings (grid values and alternative), its seed and whole spec."""

    settings: dict[str, Any]
    seed: int
    raw: dict[str, Any]

    @property
    def id(self) -> str:
        return hashlib.sha256(json.dumps(self.raw, sort_keys=True).encode()).hexdigest()[:12]

    @property
    def group(self) -> str:
        """The point without its seed: what a mean and spread are taken over."""
        return json.dumps(self.settings, sort_keys=True)


def alternative_label(alternative: dict[str, Any]) -> str:
    """``optimizer=adam lr=0.001`` for a partial spec (its own ``label`` when it has one)."""
    if "label" in alternative:
        return str(alternative["label"])
    parts = []
    for key, value in sorted(flatten(alternative).items()):
        short = key.split(".")[-1]
        parts.append(f"{'lr' if short == 'learning_rate' else short}={value:g}" if isinstance(value, float)
                     else f"{short}={value}")
    return " ".join(parts)


def _merge(base: dict[str, Any], part: dict[str, Any]) -> None:
    """Deep-merge a partial spec into ``base``; an optimizer block replaces the whole optimizer
    (its settings belong to its name)."""
    for key, value in part.items():
        if key == "label":
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict) and key != "optimizer":
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def parse_plan(raw: Any, where: str = "sweep") -> tuple[SweepPlan, list[Problem]]:
    """A ``[sweep]`` table as a plan, and every problem with it."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return SweepPlan(), [Problem(where, raw, "must be a table with grid, alternatives and seeds")]
    for key in raw:
        if key not in ("grid", "alternatives", "seeds"):
            problems.append(Problem(f"{where}.{key}", "(unknown key)", "allowed: grid, alternatives, seeds"))
    seeds = raw.get("seeds", 1)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 100:
        problems.append(Problem(f"{where}.seeds", seeds, "must be an integer from 1 to 100"))
        seeds = 1
    grid = raw.get("grid", {})
    if not isinstance(grid, dict):
        problems.append(Problem(f"{where}.grid", grid, "must be a table of KEY = [values]"))
        grid = {}
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            problems.append(Problem(f"{where}.grid.{key}", values, "must be a non-empty list of values"))
    alternatives = raw.get("alternatives", [])
    if not isinstance(alternatives, list) or not all(isinstance(a, dict) for a in alternatives):
        problems.append(Problem(f"{where}.alternatives", alternatives, "must be a list of partial spec tables"))
        alternatives = []
    clean_grid = {k: list(v) for k, v in grid.items() if isinstance(v, list) and v}
    return SweepPlan(clean_grid, list(alternatives), seeds), problems


def points(spec: Spec, plan: SweepPlan) -> tuple[list[Point], list[Problem]]:
    """Every point of the plan, in grid order, seeds innermost; each point's spec is checked
    (a problem names the sweep setting that causes it)."""
    base = spec_to_dict(spec)
    keys = list(plan.grid)
    combos = list(itertools.product(*(plan.grid[k] for k in keys))) if keys else [()]
    alternatives = plan.alternatives or [None]
    if len(combos) * len(alternatives) * plan.seeds > MAX_POINTS:
        return [], [Problem("sweep", f"{len(combos) * len(alternatives) * plan.seeds} runs",
                            f"at most {MAX_POINTS} runs in one sweep")]
    out, problems = [], []
    for combo in combos:
        for alternative in alternatives:
            raw = copy.deepcopy(base)
            settings: dict[str, Any] = {}
            if alternative is not None:
                _merge(raw, alternative)
                settings["alternative"] = alternative_label(alternative)
            for key, value in zip(keys, combo):
                try:
                    set_dotted(raw, key, value)
                except (IndexError, ValueError, TypeError, AttributeError):
                    return [], [Problem(f"sweep.grid.{key}", "(key)", "does not name a spec field")]
                settings[key] = value
            parsed, found = parse_spec(raw)
            if found:
                problems.append(Problem(f"sweep point {_describe(settings)}", found[0].value,
                                        f"{found[0].path}: {found[0].allowed}"))
                continue
            for offset in range(plan.seeds):
                seeded = spec_to_dict(parsed)
                seeded["seed"] = spec.seed + offset
                out.append(Point(settings, spec.seed + offset, seeded))
    return out, problems[:5]


def _describe(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items()) or "(the preset)"


def sweep_folder(home: Path, preset_key: str) -> Path:
    return paths.runs_dir(home) / "sweeps" / preset_key


def finished_record(folder: Path, point: Point) -> dict[str, Any] | None:
    path = folder / f"{point.id}.json"
    if not path.is_file():
        return None
    try:
        record = read_record(path)
    except ValueError:
        return None
    return record if record.get("status") in FINISHED else None


# ---- running --------------------------------------------------------------------------------------

def _one_thread() -> None:
    # One BLAS thread per worker unless the user chose otherwise: the workers are the parallelism.
    os.environ.setdefault("TUI_NN_THREADS", "1")


def _worker_setup(quiet: bool = False) -> None:
    """A local worker process's start; ``quiet`` sends its output nowhere (under a full-screen app
    it would draw over the screen; results and errors come back through the pool anyway)."""
    _one_thread()
    if quiet:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    # Ctrl-C reaches the whole process group: the sweep (the parent) decides, workers do not
    # print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def train_point(raw: dict[str, Any], preset_key: str, home: str) -> dict[str, Any]:
    """Train one point to its end; returns its record (the caller stores it). Runs in a worker
    process (or on a Dask worker): everything it needs comes in as plain data."""
    import tempfile

    from .models import keeps_model, session_model_bytes
    from .records import RunRecorder
    from .session import prepare

    _one_thread()
    spec, problems = parse_spec(raw)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    session = prepare(spec, home)
    with tempfile.TemporaryDirectory() as scratch:
        recorder = RunRecorder(Path(scratch) / "point.json", spec, preset_key, data=session.data_summary())
        for event in session.events():
            recorder.observe(event)
        record = recorder.record
    record["worker"] = {"pid": os.getpid(), "host": os.uname().nodename}
    if keeps_model(record):  # the trained network travels back with its record (see store_point)
        record[MODEL_BYTES] = session_model_bytes(session, record)
    return record


def store_point(folder: Path, point_id: str, record: dict[str, Any]) -> None:
    """A finished point's model (when it kept one), then its record naming it."""
    model = record.pop(MODEL_BYTES, None)
    if model is not None:
        name = point_id + MODEL_SUFFIX
        atomic_write_bytes(folder / name, model)
        record["model"] = name
    atomic_write_text(folder / f"{point_id}.json", json.dumps(record, indent=1))


@dataclass
class SweepProgress:
    """What a sweep reports as points finish."""

    total: int
    done: int = 0
    reused: int = 0
    reruns: int = 0
    failures: list[str] = field(default_factory=list)


def _start_resource_tracker() -> None:
    """Start multiprocessing's helper process with a real stderr: under a full-screen app
    sys.stderr is a capture without a file descriptor, which it would fail to pass on."""
    import sys
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class SweepStopped(Exception):
    """The sweep was asked to stop (``stop`` returned True): finished points stay stored."""


def run_sweep(preset_key: str, todo: list[Point], folder: Path, home: Path, workers: int,
              on_point: Callable[[Point, dict[str, Any], SweepProgress], None],
              progress: SweepProgress, submit: Callable | None = None,
              completed: Callable[[list], Iterator] | None = None, stop: Callable[[], bool] | None = None,
              quiet_workers: bool = False) -> None:
    """Train ``todo`` on ``workers`` processes (or through ``submit`` and ``completed``, another
    executor's submit and as-completed), storing each record as it arrives. An interruption, or
    ``stop()`` turning true, leaves every finished point stored and ends the workers."""
    import concurrent.futures
    import multiprocessing

    folder.mkdir(parents=True, exist_ok=True)
    executor = None
    if submit is None:
        _start_resource_tracker()
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_worker_setup, initargs=(quiet_workers,))
        submit = lambda point: executor.submit(train_point, point.raw, preset_key, str(home))  # noqa: E731

    def as_they_finish(futures: list) -> Iterator:
        waiting = set(futures)
        while waiting:
            done, waiting = concurrent.futures.wait(waiting, timeout=0.25, return_when=concurrent.futures.FIRST_COMPLETED)
            if stop is not None and stop():
                raise SweepStopped()
            yield from done

    completed = completed or as_they_finish
    try:
        pending = {submit(point): point for point in todo}
        for future in completed(list(pending)):
            point = pending[future]
            try:
                record = future.result()
            except Exception as error:  # a point that fails is reported; the others go on
                progress.failures.append(f"{_describe(point.settings)} seed {point.seed}: "
                                         f"{type(error).__name__}: {error}")
                continue
            store_point(folder, point.id, record)
            progress.done += 1
            on_point(point, record, progress)
    except BaseException:
        if executor is not None:  # interrupted: unfinished points are dropped, their workers ended
            executor.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True)


# ---- results ----------------------------------------------------------------------------------------

def score(record: dict[str, Any]) -> float | None:
    """A point's result: its final test accuracy, else its best validation accuracy."""
    final = record.get("final") or {}
    value = final.get("test_accuracy")
    if isinstance(value, (int, float)) and not math.isnan(value):
        return float(value)
    vals = [e["val_accuracy"] for e in record.get("epochs", []) if isinstance(e.get("val_accuracy"), (int, float))]
    return max(vals) if vals else None


@dataclass(frozen=True)
class GroupResult:
    settings: dict[str, Any]
    scores: list[float]

    @property
    def mean(self) -> float:
        return mean_sd(self.scores)[0]

    @property
    def sd(self) -> float:
        return mean_sd(self.scores)[1]


def results(all_points: list[Point], records: dict[str, dict[str, Any]]) -> list[GroupResult]:
    """Mean and spread over seeds per point, in the plan's order."""
    groups: dict[str, GroupResult] = {}
    for point in all_points:
        record = records.get(point.id)
        value = score(record) if record else None
        group = groups.setdefault(point.group, GroupResult(point.settings, []))
        if value is not None:
            group.scores.append(value)
    return list(groups.values())


def edge_warnings(plan: SweepPlan, groups: list[GroupResult]) -> list[str]:
    """For each numeric grid key of 3 or more values: the best mean at its smallest or largest
    value means the best may lie beyond the grid."""
    scored = [g for g in groups if g.scores]
    if not scored:
        return []
    best = max(scored, key=lambda g: g.mean)
    warnings = []
    for key, values in plan.grid.items():
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(numbers) < 3 or len(numbers) != len(values):
            continue
        value = best.settings.get(key)
        if value in (min(numbers), max(numbers)):
            side = "smallest" if value == min(numbers) else "largest"
            warnings.append(f"the best {key} = {value:g} is the grid's {side} value: the best may lie beyond it; "
                            "widen the grid")
    return warnings


def results_table(groups: list[GroupResult]) -> tuple[list[str], list[list[str]]]:
    keys = list(groups[0].settings) if groups else []
    header = [*keys, "runs", "test acc mean", "sd"]
    rows = []
    for group in groups:
        cells = [f"{group.settings[k]:g}" if isinstance(group.settings[k], float) else str(group.settings[k])
                 for k in keys]
        if group.scores:
            rows.append([*cells, str(len(group.scores)), f"{group.mean:.2%}", f"{group.sd:.2%}"])
        else:
            rows.append([*cells, "0", "-", "-"])
    return header, rows


def heat_map(plan: SweepPlan, groups: list[GroupResult]) -> tuple[list[str], list[list[str]]] | None:
    """With exactly two grid keys (and no alternatives): rows of the first, columns of the second,
    each cell ``mean ± sd``."""
    if len(plan.grid) != 2 or plan.alternatives:
        return None
    first, second = plan.grid
    cells = {(json.dumps(g.settings[first]), json.dumps(g.settings[second])): g for g in groups}
    header = [f"{first} \\ {second}", *(f"{v:g}" if isinstance(v, float) else str(v) for v in plan.grid[second])]
    rows = []
    for a in plan.grid[first]:
        row = [f"{a:g}" if isinstance(a, float) else str(a)]
        for b in plan.grid[second]:
            group = cells.get((json.dumps(a), json.dumps(b)))
            row.append(f"{group.mean:.2%} ± {group.sd:.2%}" if group and group.scores else "-")
        rows.append(row)
    return header, rows


def write_summary(folder: Path, preset_key: str, plan: SweepPlan, all_points: list[Point],
                  records: dict[str, dict[str, Any]], progress: SweepProgress, executor: str) -> Path:
    """``sweep-<plan hash>.json``: the plan, every point with its record file, the results."""
    digest = hashlib.sha256(json.dumps(plan.to_dict(), sort_keys=True).encode()).hexdigest()[:10]
    groups = results(all_points, records)
    summary = {
        "preset": preset_key, "plan": plan.to_dict(), "executor": executor,
        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "points": [{"id": p.id, "settings": p.settings, "seed": p.seed,
                    "status": records[p.id].get("status") if p.id in records else "missing",
                    "record": f"{p.id}.json"} for p in all_points],
        "results": [{"settings": g.settings, "scores": g.scores,
                     "mean": g.mean if g.scores else None, "sd": g.sd if g.scores else None} for g in groups],
        "reused": progress.reused, "reruns": progress.reruns, "failures": progress.failures,
        "edge_warnings": edge_warnings(plan, groups),
    }
    path = folder / f"{SUMMARY_PREFIX}{digest}.json"
    atomic_write_text(path, json.dumps(summary, indent=1))
    return path


def iter_finished(folder: Path, all_points: list[Point]) -> Iterator[tuple[Point, dict[str, Any]]]:
    for point in all_points:
        record = finished_record(folder, point)
        if record is not None:
            yield point, record
