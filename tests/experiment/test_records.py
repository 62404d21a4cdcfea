import json

from tui_nn.engine.control import Control
from tui_nn.engine.events import EpochEnd
from tui_nn.experiment.records import RunRecorder, read_record
from tui_nn.experiment.session import prepare
from tui_nn.experiment.spec.parse import parse_spec


def small_spec(**training):
    spec, problems = parse_spec({
        "seed": 3, "data": {"train_size": 300, "validation_size": 500, "test_size": 300},
        "model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"},
                             {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
        "optimizer": {"name": "sgd", "learning_rate": 0.1}, "training": {"epochs": 6, "batch_size": 30, **training}})
    assert problems == []
    return spec


def test_an_interrupted_run_leaves_a_valid_record_with_its_finished_epochs(tmp_path, mnist):
    spec = small_spec()
    session = prepare(spec, dataset=mnist)
    path = tmp_path / "run.json"
    recorder = RunRecorder(path, spec, "small")
    control = Control()
    for event in session.events(control):
        recorder.observe(event)
        if isinstance(event, EpochEnd) and event.epoch == 2:
            control.stop()
    record = read_record(path)
    assert record["status"] == "stopped" and [e["epoch"] for e in record["epochs"]] == [1, 2]
    assert record["final"]["epoch"] == 2


def test_record_is_valid_json_after_every_epoch(tmp_path, mnist):
    spec = small_spec(epochs=2)
    path = tmp_path / "run.json"
    recorder = RunRecorder(path, spec, "small")
    for event in prepare(spec, dataset=mnist).events():
        recorder.observe(event)
        if isinstance(event, EpochEnd):
            assert len(json.loads(path.read_text())["epochs"]) == event.epoch
    assert not list(tmp_path.glob(".*tmp"))  # no temporary files left behind


def test_same_spec_same_numbers(mnist):
    spec = small_spec(epochs=2)
    runs = [[e.metrics() for e in prepare(spec, dataset=mnist).events() if isinstance(e, EpochEnd)] for _ in range(2)]
    strip = [[{k: v for k, v in m.items() if k not in ("seconds", "samples_per_second")} for m in run] for run in runs]
    assert strip[0] == strip[1]

