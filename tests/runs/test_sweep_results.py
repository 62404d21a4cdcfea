"""A sweep's tables: a spread only where there is more than one run to spread."""

from tui_nn.experiment.sweep_plan import SweepPlan
from tui_nn.runs.sweep_results import GroupResult, heat_map, results_table


def test_one_run_shows_no_spread_and_two_do():
    groups = [GroupResult({"optimizer.learning_rate": 0.1, "training.batch_size": 10}, [0.9]),
              GroupResult({"optimizer.learning_rate": 0.2, "training.batch_size": 10}, [0.8, 0.9])]
    header, rows = results_table(groups)
    assert rows[0][-3:] == ["1", "90.00%", "-"] and rows[1][-3:] == ["2", "85.00%", "7.07%"]
    plan = SweepPlan(grid={"optimizer.learning_rate": [0.1, 0.2], "training.batch_size": [10]})
    _, cells = heat_map(plan, groups)
    assert cells == [["0.1", "90.00%"], ["0.2", "85.00% ± 7.07%"]]


def test_a_diverged_run_is_said_beside_the_means_it_is_in():
    from tui_nn.experiment.sweep_plan import Point
    from tui_nn.runs.sweep_results import diverged_note

    points = [Point({"optimizer.learning_rate": rate}, seed, {"seed": seed, "rate": rate})
              for rate in (0.1, 1.0) for seed in (1, 2)]
    records = {p.id: {"status": "diverged" if p.settings["optimizer.learning_rate"] == 1.0 and p.seed == 2
                      else "completed"} for p in points}
    assert diverged_note(points, records) == ("1 run(s) diverged (optimizer.learning_rate=1.0 seed 2): each is "
                                              "scored at the epoch it stopped, in its setting's mean")
    assert diverged_note(points, {p.id: {"status": "completed"} for p in points}) is None
