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


def test_points_whose_records_carry_a_damaged_sweep_mark_are_named_by_what_differs(tmp_path):
    import json

    from tui_nn.runs.folder import load_runs, point_names

    spec = {"data": {}, "model": {"layers": [{"type": "dense", "units": 10, "activation": "softmax"}]},
            "optimizer": {"name": "sgd", "learning_rate": 0.1}, "training": {}}
    marks = [{"settings": {"x": {"deep": [[1]]}}, "seed": [1, 2]}, "nonsense"]
    for index, mark in enumerate(marks):
        record = {"format": 1, "preset": "p", "spec": {**spec, "seed": index}, "seed": index, "status": "completed",
                  "epochs": [{"epoch": 1, "test_accuracy": 0.5}], "events": [], "sweep_point": mark}
        (tmp_path / f"r{index}.json").write_text(json.dumps(record))
    runs, problems = load_runs(tmp_path, tmp_path)
    names = point_names(runs)
    assert not problems and len(set(names.values())) == 2 and "seed=0" in " ".join(names.values())
