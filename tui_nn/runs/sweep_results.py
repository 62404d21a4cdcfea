"""A sweep's results: each point's score, the mean and spread of a setting over its seeds, the
leaderboard and heat map, warnings when the best value lies at the grid's edge, and the summary
written beside the points' records. The grid itself is planned in experiment/sweep_plan.py and
trained in sweep.py."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..common.atomic import atomic_write_text
from ..experiment.sweep_plan import SEED_KEY, Point, SweepPlan
from .compare import mean_sd
from .sweep import SweepProgress, finished_record

SUMMARY_PREFIX = "sweep-"  # a sweep's summary beside its points' records


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


def results_table(groups: list[GroupResult]) -> tuple[list[str], list[list[str]]]:
    keys = list(groups[0].settings) if groups else []
    header = [*keys, "runs", "test acc mean", "sd"]
    rows = []
    for group in groups:
        cells = [f"{group.settings[k]:g}" if isinstance(group.settings[k], float) else str(group.settings[k])
                 for k in keys]
        if group.scores:
            rows.append([*cells, str(len(group.scores)), f"{group.mean:.2%}",
                         f"{group.sd:.2%}" if len(group.scores) > 1 else "-"])  # one run has no spread
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
                row.append(f"{group.mean:.2%} ± {group.sd:.2%}")
            else:
                row.append(f"{group.mean:.2%}" if group and group.scores else "-")
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
