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
