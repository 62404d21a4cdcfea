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
from dataclasses import dataclass, field
from typing import Any

from .spec.dotted import flatten, set_dotted
from .spec.parse import Problem, parse_spec, spec_to_dict
from .spec.schema import Spec

MAX_POINTS = 10_000


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
                problems.append(Problem(f"sweep point {describe_settings(settings)}", found[0].value,
                                        f"{found[0].path}: {found[0].allowed}"))
                continue
            for offset in range(plan.seeds):
                seeded = spec_to_dict(parsed)
                seeded["seed"] = spec.seed + offset
                out.append(Point(settings, spec.seed + offset, seeded))
    return out, problems[:5]


def describe_settings(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items()) or "(the preset)"
