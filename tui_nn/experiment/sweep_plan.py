"""Sweep plans: a preset run over a grid of settings and several seeds.

A preset's ``[sweep]`` table (or ``tui-nn sweep --grid``) names the points::

    [sweep]
    seeds = 3                                          # every point with seeds s, s+1, s+2
    grid = { "optimizer.learning_rate" = [0.025, 0.25, 2.5] }
    alternatives = [ { optimizer = { name = "sgd", learning_rate = 0.1 } },
                     { optimizer = { name = "adam", learning_rate = 0.001 } } ]

Every point is the preset's spec with one value per grid key and one alternative (a partial spec
merged in) applied, run once per seed (or once per value of a ``seed`` grid key). The plan lives
beside the spec because a preset's ``[sweep]`` is checked when the preset is read; running it is
runs/sweep.py.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .spec.dotted import flatten, set_dotted
from .spec.parse import UNKNOWN_KEY, Problem, parse_spec, spec_to_dict
from .spec.schema import Spec

MAX_POINTS = 10_000

#: A grid key that names each point's seed instead of a setting: the runs of one point differ only in it.
SEED_KEY = "seed"


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
    """Deep-merge a partial spec into ``base``. An optimizer block that names an optimizer replaces
    the whole optimizer (its settings belong to its name); one without a name changes the base
    optimizer's settings."""
    for key, value in part.items():
        if key == "label":
            continue
        named = key == "optimizer" and isinstance(value, dict) and "name" in value
        if isinstance(value, dict) and isinstance(base.get(key), dict) and not named:
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
            close = difflib.get_close_matches(key.lower(), ("grid", "alternatives", "seeds"), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(f"{where}.{key}", UNKNOWN_KEY, f"{hint}the fields here are grid, alternatives, seeds."))
    seeds = raw.get("seeds", 1)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 100:
        problems.append(Problem(f"{where}.seeds", seeds, "must be an integer from 1 to 100"))
        seeds = 1
    grid = raw.get("grid", {})
    if not isinstance(grid, dict):
        problems.append(Problem(f"{where}.grid", grid, "must be a table of KEY = [values]"))
        grid = {}
    twice: list[str] = []
    grid = _dotted_keys(grid, twice=twice)  # optimizer.learning_rate = [...] unquoted is a table in TOML
    problems += [Problem(f"{where}.grid.{key}", "(key)", "is given twice, quoted and as a table: keep one")
                 for key in twice]
    for key, values in grid.items():
        if key in ("seeds", "alternatives"):  # every line after [grid] is a grid key in TOML
            also = " (a list of seeds is a seed = [...] grid key)" if key == "seeds" else ""
            problems.append(Problem(f"{where}.grid.{key}", values, f"is the sweep's own {key}: put it above [grid]{also}"))
        elif not isinstance(values, list) or not values:
            problems.append(Problem(f"{where}.grid.{key}", values, "must be a non-empty list of values"))
    alternatives = raw.get("alternatives", [])
    if not isinstance(alternatives, list) or not all(isinstance(a, dict) for a in alternatives):
        problems.append(Problem(f"{where}.alternatives", alternatives, "must be a list of partial spec tables"))
        alternatives = []
    for index, alternative in enumerate(alternatives):
        if SEED_KEY in alternative:  # it would be replaced by each point's seed, silently
            problems.append(Problem(f"{where}.alternatives[{index}].seed", alternative[SEED_KEY],
                                    "an alternative has no seed of its own: give seeds = N or a seed grid key"))
    labels = [alternative_label(alternative) for alternative in alternatives]
    for index, label in enumerate(labels):
        if label in labels[:index]:  # the leaderboard would average two settings as one
            problems.append(Problem(f"{where}.alternatives[{index}]", label,
                                    f"is the label of alternatives[{labels.index(label)}] too: each names its own row"))
    clean_grid = {k: list(v) for k, v in grid.items() if isinstance(v, list) and v and k not in ("seeds", "alternatives")}
    return SweepPlan(clean_grid, list(alternatives), seeds), problems


def _dotted_keys(grid: dict[str, Any], prefix: str = "", twice: list[str] | None = None) -> dict[str, Any]:
    """``{"optimizer": {"learning_rate": [...]}}`` as ``{"optimizer.learning_rate": [...]}``: a list
    (or anything but a table) ends a key. A key met twice (quoted and nested) goes in ``twice``."""
    out: dict[str, Any] = {}
    for key, value in grid.items():
        inner = _dotted_keys(value, f"{prefix}{key}.", twice) if isinstance(value, dict) and value \
            else {f"{prefix}{key}": value}
        for name, values in inner.items():
            if name in out and twice is not None:
                twice.append(name)
            out[name] = values
    return out


def run_count(plan: SweepPlan) -> int:
    """How many runs the plan makes, computed from the list lengths before anything is expanded."""
    combos = math.prod(len(values) for key, values in plan.grid.items() if key != SEED_KEY)
    seeds = len(plan.grid[SEED_KEY]) if SEED_KEY in plan.grid else plan.seeds
    return combos * max(len(plan.alternatives), 1) * seeds


def plan_problems(plan: SweepPlan, where: str = "sweep") -> list[Problem]:
    """What makes a plan unable to run as it says: empty or repeated values, seeds given twice, too many runs."""
    problems = []
    for key, values in plan.grid.items():
        if not values:
            problems.append(Problem(f"{where}.grid.{key}", values, "must list at least one value"))
        repeated = [v for i, v in enumerate(values) if _canonical(v) in {_canonical(w) for w in values[:i]}]
        if repeated:
            problems.append(Problem(f"{where}.grid.{key}", repeated[0],
                                    "is listed twice: every value of a grid key must differ"))
    seeds = plan.grid.get(SEED_KEY)
    if seeds is not None:
        bad = [s for s in seeds if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s < 2**63]
        if bad:
            problems.append(Problem(f"{where}.grid.{SEED_KEY}", bad[0], "seeds must be integers >= 0"))
        if plan.seeds != 1:
            problems.append(Problem(f"{where}.seeds", plan.seeds,
                                    "give either seeds = N (--seeds N) or a list of seeds in the grid, not both"))
    if not problems and run_count(plan) > MAX_POINTS:
        problems.append(Problem(where, f"{run_count(plan)} runs", f"at most {MAX_POINTS} runs in one sweep"))
    return problems


def _canonical(value: Any) -> str:
    """Equal for values that give the same spec (1 and 1.0 are one learning rate)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    return json.dumps(value, sort_keys=True)


def points(spec: Spec, plan: SweepPlan) -> tuple[list[Point], list[Problem]]:
    """Every point of the plan, in grid order, seeds innermost; each point's spec is checked
    (a problem names the sweep setting that causes it). A ``seed`` grid key gives each point's
    seeds; otherwise ``plan.seeds`` seeds follow the spec's own."""
    found_in_plan = plan_problems(plan)
    if found_in_plan:
        return [], found_in_plan
    base = spec_to_dict(spec)
    keys = [key for key in plan.grid if key != SEED_KEY]
    seeds = plan.grid.get(SEED_KEY)
    combos = itertools.product(*(plan.grid[k] for k in keys))
    alternatives = plan.alternatives or [None]
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
                _add_once(problems, settings, found[0])
                continue
            for seed in seeds if seeds is not None else range(spec.seed, spec.seed + plan.seeds):
                seeded = spec_to_dict(parsed)
                seeded["seed"] = seed
                out.append(Point(settings, seed, seeded))
    repeated = [] if problems else _repeated_runs(out)
    if repeated:
        return [], repeated
    return out, problems[:5]


def setting_problems(spec: Spec, plan: SweepPlan) -> list[Problem]:
    """A quicker check of what ``points`` would find, for a form checked at every key: each
    alternative, and each grid value on top of each alternative, as many specs as values times
    alternatives rather than one per point. A problem only a combination of grid values makes
    is left to ``points``."""
    found = plan_problems(plan)
    if found:
        return found
    problems: list[Problem] = []
    made: dict[str, str] = {}
    for alternative in plan.alternatives or [None]:
        base = spec_to_dict(spec)
        settings: dict[str, Any] = {}
        if alternative is not None:
            _merge(base, alternative)
            settings["alternative"] = alternative_label(alternative)
            parsed, found = parse_spec(base)
            if found:
                _add_once(problems, settings, found[0])
                continue
            key = json.dumps(spec_to_dict(parsed), sort_keys=True)
            if key in made:
                problems.append(Problem("sweep", f"alternative {settings['alternative']}",
                                        f"is the same run as alternative {made[key]}: every point of a sweep must differ"))
            made.setdefault(key, settings["alternative"])
        for key, values in plan.grid.items():
            if key == SEED_KEY:
                continue
            for value in values:
                raw = copy.deepcopy(base)
                try:
                    set_dotted(raw, key, value)
                except (IndexError, ValueError, TypeError, AttributeError):
                    return [Problem(f"sweep.grid.{key}", "(key)", "does not name a spec field")]
                found = parse_spec(raw)[1]
                if found:
                    _add_once(problems, {**settings, key: value}, found[0])
    return problems[:5]


def _add_once(problems: list[Problem], settings: dict[str, Any], found: Problem) -> None:
    """A point's problem, unless one like it is listed (a misspelt key breaks every point it is in)."""
    why = f"{found.path}: {found.allowed}"
    if all((problem.value, problem.allowed) != (found.value, why) for problem in problems):
        problems.append(Problem(f"sweep point {describe_settings(settings)}", found.value, why))


def _repeated_runs(all_points: list[Point]) -> list[Problem]:
    """Two points that are one run (alternatives or values that end in the same spec) would be
    reported as two results of one training."""
    seen: dict[str, Point] = {}
    for point in all_points:
        if point.id in seen:
            first = seen[point.id]
            return [Problem("sweep", f"{describe_settings(point.settings)} seed {point.seed}",
                            f"is the same run as {describe_settings(first.settings)} seed {first.seed}: "
                            "every point of a sweep must differ")]
        seen[point.id] = point
    return []


def is_sweep_path(path: str) -> bool:
    """Whether a problem is the sweep's (``sweep``, ``sweep.grid.KEY``, ``sweep point lr=0.1``)."""
    return path.split(".")[0].split(" ")[0] == "sweep"


def describe_settings(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items()) or "(the preset)"
