"""The command line's shared pieces end to end: `--set` on every command that takes a spec, a small
sweep of a built-in preset in one command, the app failing to start, and the exit-code table."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from tui_nn.cli import exits
from tui_nn.cli.main import build_parser, main
from tui_nn.experiment.presets import find_preset

TINY = {"name": "tiny", "description": "tiny", "seed": 3,
        "data": {"train_size": 500, "validation_size": 300, "test_size": 300},
        "model": {"layers": [{"type": "dense", "units": 20, "activation": "sigmoid"},
                             {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
        "optimizer": {"name": "sgd", "learning_rate": 0.5}, "training": {"epochs": 2, "batch_size": 20}}

# The table the docs print; a change here is a change for every script that reads the codes.
TABLE = {"OK": 0, "DIFFERENT": 1, "INVALID": 2, "DIVERGED": 3, "WRITE_FAILED": 4, "APP_FAILED": 5,
         "INTERRUPTED": 130, "OUTPUT_CLOSED": 141, "TERMINATED": 143}

SPEC_COMMANDS = ("run", "sweep", "bench", "evaluate", "baseline")


def tui_nn(*args, home, **kw):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300, **kw)


def write_tiny(home: Path, **changes) -> None:
    (home / "presets").mkdir(parents=True, exist_ok=True)
    (home / "presets" / "tiny.toml").write_text(tomli_w.dumps({**TINY, **changes}))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A home with the tiny preset trained once: its record and its saved model."""
    home = tmp_path_factory.mktemp("trained")
    write_tiny(home)
    assert main(["--home", str(home), "run", "tiny", "--quiet"]) == exits.OK
    model = next((home / "runs").glob("*.model.npz"))
    return home, model


def spec_command(command: str, model: Path) -> list[str]:
    """The command with what it needs besides --set."""
    return {"run": ["run", "tiny"], "sweep": ["sweep", "tiny", "--grid", "seed=1,2"], "bench": ["bench", "tiny"],
            "evaluate": ["evaluate", str(model)], "baseline": ["baseline", "darkness"]}[command]


def test_every_command_that_takes_a_spec_has_the_one_set_option():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for command in SPEC_COMMANDS:
        options = {o: a for a in subparsers.choices[command]._actions for o in a.option_strings}
        assert options["--set"].dest == "overrides" and options["--set"].default == [], command


@pytest.mark.parametrize("command", SPEC_COMMANDS)
@pytest.mark.parametrize("setting, names", [("data.train_sise=5", "data.train_sise"),
                                            ("data.path.x=1", "data.path.x"), ("data.test_size", "expected KEY=VALUE")])
def test_a_bad_set_on_every_spec_command_exits_2_with_one_line_naming_it(trained, capsys, command, setting, names):
    home, model = trained
    code = main(["--home", str(home), *spec_command(command, model), "--set", setting])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == exits.INVALID and len(lines) == 1 and names in lines[0] and setting.split("=")[0] in lines[0], err


@pytest.mark.parametrize("command, refused", [("evaluate", "evaluate takes data fields (data.*) only"),
                                              ("baseline", "a baseline takes data fields (data.*) and seed only")])
def test_evaluate_and_baseline_take_only_data_fields(trained, capsys, command, refused):
    home, model = trained
    code = main(["--home", str(home), *spec_command(command, model), "--set", "optimizer.learning_rate=1"])
    assert code == exits.INVALID and refused in capsys.readouterr().err


def test_evaluate_with_a_set_that_names_no_field_is_one_line_not_a_traceback(trained):
    home, model = trained
    out = tui_nn("evaluate", str(model), "--set", "data.path.x=1", home=home)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.strip() == "error: --set 'data.path.x=1': data.path.x does not name a field"


def test_epochs_and_seed_win_over_a_set_that_replaced_their_table(trained, capsys):
    home, _ = trained
    code = main(["--home", str(home), "run", "tiny", "--epochs", "1", "--seed", "2", "--set", "training=3"])
    err = capsys.readouterr().err
    assert code == exits.INVALID and err.strip().splitlines() == ["error: tiny.toml: training = 3: must be a table"]


def test_a_small_sweep_of_a_builtin_preset_is_one_command_and_every_point_trains_with_the_overrides(tmp_path):
    preset = find_preset("lab-l2", tmp_path).spec
    assert preset.training.epochs != 1 and preset.data.train_size != 500  # the overrides change something
    out = tui_nn("sweep", "lab-l2", "--grid", "optimizer.learning_rate=0.01,0.05", "--set", "data.train_size=500",
                 "--set", "data.validation_size=100", "--set", "data.test_size=200", "--epochs", "1",
                 "--workers", "2", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "2 run(s) (0 already recorded), 2 to train" in out.stdout
    folder = tmp_path / "runs" / "sweeps" / "lab-l2"
    records = [json.loads(p.read_text()) for p in folder.glob("????????????.json")]
    assert sorted(r["spec"]["optimizer"]["learning_rate"] for r in records) == [0.01, 0.05]
    for record in records:
        assert record["status"] == "completed" and len(record["epochs"]) == 1
        assert record["spec"]["training"]["epochs"] == 1
        assert (record["data"]["train"], record["data"]["validation"], record["data"]["test"]) == (500, 100, 200)
        assert record["data"]["train_samples_per_epoch"] == 500
    again = tui_nn("sweep", "lab-l2", "--grid", "optimizer.learning_rate=0.01,0.05", "--set", "data.train_size=500",
                   "--set", "data.validation_size=100", "--set", "data.test_size=200", "--epochs", "1", home=tmp_path)
    assert "2 run(s) (2 already recorded), 0 to train" in again.stdout  # the same overrides, the same points


def test_a_sweep_refuses_bad_epochs_as_run_does(tmp_path):
    write_tiny(tmp_path)
    out = tui_nn("sweep", "tiny", "--grid", "seed=1,2", "--epochs", "0", home=tmp_path)
    assert out.returncode == 2 and "training.epochs" in out.stderr and len(out.stderr.strip().splitlines()) == 1


@pytest.fixture
def app_in_a_terminal(monkeypatch):
    from tui_nn.tui import app as app_module

    monkeypatch.setattr("tui_nn.cli.app.terminal_ready", lambda: True)
    monkeypatch.setattr(app_module, "wants_ascii", lambda: False)
    return app_module.TuiNNApp


def test_the_app_failing_to_start_exits_non_zero_with_one_line(tmp_path, capsys, monkeypatch, app_in_a_terminal):
    def fail(self, **kwargs):
        raise RuntimeError("no driver for this terminal")

    monkeypatch.setattr(app_in_a_terminal, "run", fail)
    assert main(["--home", str(tmp_path)]) == exits.APP_FAILED != 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["error: the app could not run: RuntimeError: no driver for this terminal"]


def test_an_app_that_stops_on_an_error_exits_non_zero(tmp_path, monkeypatch, app_in_a_terminal):
    def crash(self, **kwargs):
        self._return_code = 1  # what Textual sets when an error stops the app (it prints the error itself)

    monkeypatch.setattr(app_in_a_terminal, "run", crash)
    assert main(["--home", str(tmp_path)]) == exits.APP_FAILED


def test_the_exit_code_table():
    names = {name: getattr(exits, name) for name in dir(exits) if name.isupper()}
    assert names == TABLE
    assert len(set(names.values())) == len(names)  # one meaning per code


def stop_at_first_epoch(monkeypatch, stop: BaseException) -> None:
    from tui_nn.cli.epoch_table import EpochPrinter
    from tui_nn.engine.events import EpochEnd

    show = EpochPrinter.show

    def show_then_stop(self, event):
        show(self, event)
        if isinstance(event, EpochEnd):
            raise stop

    monkeypatch.setattr(EpochPrinter, "show", show_then_stop)


def full_disk_after_first_epoch(monkeypatch) -> None:
    from tui_nn.experiment.records import RunRecorder

    save = RunRecorder.save

    def save_until_an_epoch(self):
        if self.record["epochs"]:
            raise OSError(28, "No space left on device", str(self.path))
        save(self)

    monkeypatch.setattr(RunRecorder, "save", save_until_an_epoch)


@pytest.mark.parametrize("name", ["OK", "DIFFERENT", "INVALID", "DIVERGED", "WRITE_FAILED", "INTERRUPTED",
                                  "TERMINATED"])
def test_each_code_is_what_its_command_returns(tmp_path, monkeypatch, capsys, name):
    from tui_nn.cli.signals import Terminated

    write_tiny(tmp_path)
    home = ["--home", str(tmp_path)]
    record = tmp_path / "run.json"
    run = [*home, "run", "tiny", "--quiet", "--record", str(record)]
    if name == "OK":
        code = main([*home, "presets"])
    elif name == "DIFFERENT":
        assert main(run) == exits.OK
        data = json.loads(record.read_text())
        data["epochs"][0]["train_loss"] += 0.01
        record.write_text(json.dumps(data))
        code = main([*home, "replay", str(record)])
    elif name == "INVALID":
        code = main([*run, "--epochs", "0"])
    elif name == "DIVERGED":
        code = main([*run, "--set", "optimizer.learning_rate=1e38"])
    elif name == "WRITE_FAILED":
        full_disk_after_first_epoch(monkeypatch)
        code = main(run)
        assert "No space left on device" in capsys.readouterr().err
    else:
        stop_at_first_epoch(monkeypatch, KeyboardInterrupt() if name == "INTERRUPTED" else Terminated())
        code = main(run)
        assert json.loads(record.read_text())["status"] == "interrupted"
    assert code == getattr(exits, name) == TABLE[name]


@pytest.mark.parametrize("command", [["presets"], ["paths"], ["run", "tiny"]])
def test_output_closed_is_141_for_buffered_and_line_by_line_output(tmp_path, command):
    write_tiny(tmp_path)
    reader, writer = os.pipe()
    os.close(reader)  # nobody reads: the first write fails
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    try:
        out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), *command], stdout=writer,
                             stderr=subprocess.PIPE, text=True, timeout=300, env=env)
    finally:
        os.close(writer)
    assert out.returncode == exits.OUTPUT_CLOSED and out.stderr == "", out.stderr


@pytest.mark.parametrize("signum, name", [(signal.SIGINT, "INTERRUPTED"), (signal.SIGTERM, "TERMINATED")])
def test_a_run_stopped_by_a_signal_exits_with_its_code(tmp_path, signum, name):
    write_tiny(tmp_path, training={"epochs": 200, "batch_size": 20})
    # A harness that runs the tests in the background has SIGINT ignored, which a child would inherit.
    process = subprocess.Popen([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "run", "tiny"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in process.stdout:  # the first epoch's row: training is under way
            if line.startswith("1/200"):
                break
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == getattr(exits, name), stderr
    assert "interrupted by" in stderr and "Traceback" not in stderr
