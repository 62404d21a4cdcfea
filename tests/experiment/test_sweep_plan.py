"""Sweep plans: a point is exactly the run it says it is, and a plan that cannot run as written is refused."""

import time

import pytest

from tui_nn.experiment.presets import parse_preset
from tui_nn.experiment.spec.parse import SpecError, parse_spec
from tui_nn.experiment.sweep_plan import MAX_POINTS, SweepPlan, parse_plan, points, run_count

BASE = {"seed": 1, "optimizer": {"name": "sgd", "learning_rate": 0.1}}


def spec():
    parsed, problems = parse_spec(BASE)
    assert not problems
    return parsed


def test_a_seed_grid_sets_each_points_seed_and_the_seeds_are_one_group():
    found, problems = points(spec(), SweepPlan(grid={"seed": [5, 6]}))
    assert not problems
    assert [(p.seed, p.raw["seed"]) for p in found] == [(5, 5), (6, 6)]
    assert {p.group for p in found} == {p.group for p in found[:1]}  # mean and spread are over both seeds
    assert "seed" not in found[0].settings


def test_seeds_beside_a_grid_key_follow_the_specs_own_seed():
    found, problems = points(spec(), SweepPlan(grid={"optimizer.learning_rate": [0.1, 0.2]}, seeds=3))
    assert not problems
    assert [p.seed for p in found] == [1, 2, 3, 1, 2, 3]
    assert [p.raw["optimizer"]["learning_rate"] for p in found] == [0.1] * 3 + [0.2] * 3


@pytest.mark.parametrize("plan,message", [
    (SweepPlan(grid={"seed": [5, 6]}, seeds=2), "not both"),
    (SweepPlan(grid={"seed": [5, -1]}), "seeds must be integers >= 0"),
    (SweepPlan(grid={"optimizer.learning_rate": [0.001, 0.001]}), "listed twice"),
    (SweepPlan(grid={"optimizer.learning_rate": [1, 1.0]}), "listed twice"),
    (SweepPlan(grid={"optimizer.learning_rate": []}), "at least one value"),
    (SweepPlan(alternatives=[{"optimizer": {"name": "sgd", "learning_rate": 0.1}},
                             {"optimizer": {"name": "sgd", "learning_rate": 0.1}}]), "the same run"),
])
def test_a_plan_that_cannot_run_as_written_is_refused(plan, message):
    found, problems = points(spec(), plan)
    assert found == [] and problems and message in str(problems[0]), problems


def test_the_number_of_runs_is_counted_before_anything_is_expanded():
    grid = {f"k{i}": list(range(10)) for i in range(10)}  # 10^10 points: expanding them would never end
    plan = SweepPlan(grid=grid)
    assert run_count(plan) == 10 ** 10
    started = time.perf_counter()
    found, problems = points(spec(), plan)
    assert found == [] and f"at most {MAX_POINTS} runs" in str(problems[0]) and "10000000000 runs" in str(problems[0])
    assert time.perf_counter() - started < 5  # a generous bound: expanding would take hours, not seconds


def test_a_preset_with_a_huge_sweep_is_refused_when_read_not_expanded():
    raw = {**BASE, "sweep": {"grid": {f"training.k{i}": list(range(10)) for i in range(9)}}}
    with pytest.raises(SpecError, match="at most 10000 runs"):
        parse_preset(raw, "huge")


def test_parse_plan_and_points_agree_on_an_empty_grid_list():
    plan, problems = parse_plan({"grid": {"optimizer.learning_rate": []}})
    assert problems  # the table form names it too
