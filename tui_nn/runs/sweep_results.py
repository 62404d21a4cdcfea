"""A sweep's results: each point's score, the mean and spread of a setting over its seeds, the
leaderboard and heat map, warnings when the best value lies at the grid's edge, and the summary
written beside the points' records. The grid itself is planned in experiment/sweep_plan.py and
trained in sweep.py."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..common.atomic import atomic_write_text
from ..experiment.sweep_plan import SEED_KEY, Point, SweepPlan, describe_settings
from .compare import best_of, is_regression_record, mean_sd
from .sweep import SweepProgress, finished_record

SUMMARY_PREFIX = "sweep-"  # a sweep's summary beside its points' records


def score(record: dict[str, Any]) -> float | None:
    """A point's result: its final test accuracy, else its best validation accuracy; a
    regression's final test R^2, else its best validation R^2."""
    final = record.get("final") or {}
    kind = "r2" if is_regression_record(record) else "accuracy"
    value = final.get(f"test_{kind}")
    if isinstance(value, (int, float)) and not math.isnan(value):
        return float(value)
    return best_of(record.get("epochs", []), f"val_{kind}")


#: How a results table names its scores.
SCORE_NAMES = {"accuracy": "test acc", "r2": "test R^2"}


def score_kind(records: Iterable[dict[str, Any]]) -> str:
    """``r2`` when the points are regressions (every one of them), ``accuracy`` otherwise."""
    records = list(records)
    return "r2" if records and all(is_regression_record(r) for r in records) else "accuracy"


def score_value_text(value: float | None, kind: str) -> str:
    """One score as a results table shows it: ``97.53%``, or R^2 to four decimals."""
    if value is None:
        return "-"
    return f"{value:.4f}" if kind == "r2" else f"{value:.2%}"


def point_score_text(record: dict[str, Any], value: float | None) -> str:
    """One finished point's score as the sweep's progress lines show it: ``97.53%`` or ``R^2 0.9930``."""
    kind = score_kind([record])
    return "-" if value is None else ("R^2 " if kind == "r2" else "") + score_value_text(value, kind)


@dataclass(frozen=True)
class GroupResult:
    settings: dict[str, Any]
    scores: list[float]
    kind: str = "accuracy"  # what the scores are: test accuracies, or a regression's R^2

    @property
    def mean(self) -> float:
        return mean_sd(self.scores)[0]

    @property
    def sd(self) -> float:
        return mean_sd(self.scores)[1]


def results(all_points: list[Point], records: dict[str, dict[str, Any]]) -> list[GroupResult]:
    """Mean and spread over seeds per point, in the plan's order."""
    groups: dict[str, GroupResult] = {}
    kind = score_kind(records.values())
    for point in all_points:
        record = records.get(point.id)
        value = score(record) if record else None
        group = groups.setdefault(point.group, GroupResult(point.settings, [], kind))
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
        if key == SEED_KEY:  # seeds are repeats, not a setting to tune
            continue
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(numbers) < 3 or len(numbers) != len(values):
            continue
        value = best.settings.get(key)
        if value in (min(numbers), max(numbers)):
            side = "smallest" if value == min(numbers) else "largest"
            warnings.append(f"the best {key} = {value:g} is the grid's {side} value: the best may lie beyond it; "
                            "widen the grid")
    return warnings


def diverged_note(all_points: list[Point], records: dict[str, dict[str, Any]]) -> str | None:
    """The runs that diverged: each scores at the epoch it stopped, inside its setting's mean."""
    names = [f"{describe_settings(p.settings)} seed {p.seed}" for p in all_points
             if (records.get(p.id) or {}).get("status") == "diverged"]
    if not names:
        return None
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return (f"{len(names)} run(s) diverged ({'; '.join(names[:3])}{more}): each is scored at the epoch it "
            "stopped, in its setting's mean")


def results_table(groups: list[GroupResult]) -> tuple[list[str], list[list[str]]]:
    keys = list(groups[0].settings) if groups else []
    kind = groups[0].kind if groups else "accuracy"
    header = [*keys, "runs", f"{SCORE_NAMES[kind]} mean", "sd"]
    rows = []
    for group in groups:
        cells = [f"{group.settings[k]:g}" if isinstance(group.settings[k], float) else str(group.settings[k])
                 for k in keys]
        if group.scores:
            rows.append([*cells, str(len(group.scores)), score_value_text(group.mean, kind),
                         score_value_text(group.sd, kind) if len(group.scores) > 1 else "-"])  # one run has no spread
        else:
            rows.append([*cells, "0", "-", "-"])
    return header, rows


def heat_map(plan: SweepPlan, groups: list[GroupResult]) -> tuple[list[str], list[list[str]]] | None:
    """With exactly two grid keys (and no alternatives): rows of the first, columns of the second,
    each cell ``mean ± sd``."""
    keys = [key for key in plan.grid if key != SEED_KEY]
    if len(keys) != 2 or plan.alternatives:
        return None
    first, second = keys
    cells = {(json.dumps(g.settings[first]), json.dumps(g.settings[second])): g for g in groups}
    header = [f"{first} \\ {second}", *(f"{v:g}" if isinstance(v, float) else str(v) for v in plan.grid[second])]
    rows = []
    for a in plan.grid[first]:
        row = [f"{a:g}" if isinstance(a, float) else str(a)]
        for b in plan.grid[second]:
            group = cells.get((json.dumps(a), json.dumps(b)))
            if group and len(group.scores) > 1:
                row.append(f"{score_value_text(group.mean, group.kind)} ± {score_value_text(group.sd, group.kind)}")
            else:
                row.append(score_value_text(group.mean, group.kind) if group and group.scores else "-")
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
        "metric": "test_r2" if score_kind(records.values()) == "r2" else "test_accuracy",
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
