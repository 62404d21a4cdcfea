"""A regression run's score in the runs list, compare and sweeps is its R^2, labelled so."""

from pathlib import Path

from tui_nn.runs.compare import comparison_rows, is_regression_record, main_metric
from tui_nn.runs.folder import sort_runs, summarize_record
from tui_nn.runs.sweep_results import GroupResult, results_table, score

SPEC = {"optimizer": {"name": "adam", "learning_rate": 0.01}, "training": {"batch_size": 10, "epochs": 2}}


def regression(final_r2, val_r2=(None, None)):
    epochs = [{"epoch": i + 1, "train_accuracy": None, "val_accuracy": None, "test_accuracy": None,
               "train_r2": 0.5, "val_r2": v, "test_r2": 0.6} for i, v in enumerate(val_r2)]
    final = {"test_accuracy": None, "test_r2": final_r2, "test_mse": 0.25} if final_r2 is not None else None
    return {"preset": "p", "status": "completed", "spec": SPEC, "data": {"task": "regression"}, "epochs": epochs,
            "final": final}


def classification(accuracy):
    return {"preset": "c", "status": "completed", "spec": SPEC, "data": {"task": "classification"},
            "epochs": [{"epoch": 1, "val_accuracy": 0.5, "test_accuracy": accuracy}],
            "final": {"test_accuracy": accuracy}}


def test_a_regression_scores_its_test_r2_else_its_best_validation_r2():
    assert is_regression_record(regression(0.9)) and main_metric(regression(0.9)) == "test_r2"
    assert score(regression(0.9)) == 0.9
    assert score(regression(None, (0.3, 0.7))) == 0.7
    assert score(classification(0.8)) == 0.8 and main_metric(classification(0.8)) == "test_accuracy"


def test_the_runs_list_labels_r2_and_sorts_by_it():
    runs = [summarize_record(Path(f"{name}.json"), record)
            for name, record in (("low", regression(0.2)), ("high", regression(0.95, (0.4, 0.9))))]
    assert [r.test_text for r in runs] == ["R^2 0.2000", "R^2 0.9500"]
    assert runs[1].best_val_text == "R^2 0.9000"
    assert [r.id for r in sort_runs(runs, "test")] == ["high", "low"]
    accuracy = summarize_record(Path("c.json"), classification(0.875))
    assert accuracy.test_text == "87.50%" and accuracy.best_val_text == "50.00%"


def test_compare_rows_and_the_sweep_table_name_r2():
    header, rows = comparison_rows(["a"], [regression(0.95)])
    assert header[-4:] == ["test R^2", "best val R^2", "epochs", "status"]
    assert rows[0][-4] == "R^2 0.9500, MSE 0.25"
    header, rows = comparison_rows(["a", "c"], [regression(0.95), classification(0.875)])
    assert header[-4:-2] == ["test", "best val"] and [row[-4] for row in rows] == ["R^2 0.9500, MSE 0.25", "87.50%"]
    assert comparison_rows(["c"], [classification(0.875)])[0][-4:-2] == ["test acc", "best val acc"]
    header, rows = results_table([GroupResult({}, [0.9, 0.92], "r2")])
    assert header == ["runs", "test R^2 mean", "sd"] and rows == [["2", "0.9100", "0.0141"]]
    header, rows = results_table([GroupResult({}, [0.9, 0.92])])
    assert header == ["runs", "test acc mean", "sd"] and rows == [["2", "91.00%", "1.41%"]]
