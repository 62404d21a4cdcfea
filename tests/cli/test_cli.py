"""The CLI end to end, in a subprocess where it matters (exit codes, stdout, stderr)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli.main import main

BAD = Path(__file__).resolve().parents[1] / "data_files" / "bad_presets"
SMALL = ["--set", "data.train_size=500", "--set", "data.validation_size=1000", "--set", "data.test_size=500"]


def tui_nn(*args, home):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name,field", [
    ("unknown_key", "data.train_sise"), ("wrong_type", "training.epochs"),
    ("negative_learning_rate", "optimizer.learning_rate"), ("unknown_optimizer", "optimizer.name"),
    ("zero_width_layer", "model.layers[0].units"), ("output_size", "model.layers[1].units"),
    ("conv_unknown_padding", "model.layers[0].padding"), ("conv_zero_stride", "model.layers[0].stride"),
])
def test_bad_presets_exit_2_naming_the_field(tmp_path, name, field):
    out = tui_nn("run", str(BAD / f"{name}.toml"), home=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in out.stderr


@pytest.mark.parametrize("name,message", [
    ("conv_kernel_too_large", "model.layers[4] (conv2d 40x5x5): a 4x4 input leaves nothing for a 5x5 kernel; "
                              "use a kernel of at most 4"),
    ("conv_after_dense", "model.layers[1] (conv2d 8x3x3): needs an image input (channels x height x width), "
                         "got 100 features"),
    ("pool_window_too_large", "model.layers[1] (maxpool2d 13x13): a 12x12 input leaves nothing for a 13x13 window"),
])
def test_layers_that_do_not_fit_their_input_exit_2_naming_the_layer_and_shapes(tmp_path, name, message):
    out = tui_nn("run", str(BAD / f"{name}.toml"), home=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in out.stderr


def test_a_folder_of_flat_vectors_exits_2_naming_the_file(tmp_path):
    """Datasets are images; flat vectors are refused before any layer sees them (a conv layer on a
    flat input is refused by the shape check: see conv_after_dense)."""
    from tests.data.test_idx import idx_bytes

    folder = tmp_path / "vectors"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for stem, count in (("train", 300), ("t10k", 100)):
        (folder / f"{stem}-images-idx3-ubyte").write_bytes(idx_bytes(rng.integers(0, 255, (count, 64), dtype=np.uint8)))
        (folder / f"{stem}-labels-idx1-ubyte").write_bytes(idx_bytes(rng.integers(0, 10, count, dtype=np.uint8)))
    out = tui_nn("run", "nielsen-ch6-one-conv", "--set", f'data.path="{folder}"', "--set", "data.train_size=200",
                 "--set", "data.validation_size=100", "--set", "data.test_size=100", home=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "train-images-idx3-ubyte: expected uint8 images (N, H, W)" in lines[0]
    assert "Traceback" not in out.stderr


def test_a_conv_preset_runs_end_to_end_and_replays_exactly(tmp_path):
    record = tmp_path / "conv.json"
    out = tui_nn("run", "nielsen-ch6-relu", "--epochs", "2", *SMALL, "--record", str(record), home=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(record.read_text())
    assert data["status"] == "completed" and len(data["epochs"]) == 2
    assert data["spec"]["model"]["layers"][0] == {"type": "conv2d", "filters": 20, "kernel": 5, "stride": 1,
                                                  "padding": "valid", "activation": "relu"}
    replayed = tui_nn("replay", str(record), home=tmp_path)
    assert replayed.returncode == 0 and "identical" in replayed.stdout, replayed.stdout + replayed.stderr


def test_run_end_to_end_writes_a_record_and_replay_matches(tmp_path):
    record = tmp_path / "run.json"
    out = tui_nn("run", "lab-momentum", "--epochs", "2", *SMALL, "--record", str(record), home=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith(("1/2", "2/2"))]
    assert len(rows) == 2 and f"record: {record}" in out.stdout
    data = json.loads(record.read_text())
    assert data["status"] == "completed" and len(data["epochs"]) == 2 and data["seed"] == 1
    assert {"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_accuracy",
            "seconds"} <= set(data["epochs"][0])
    assert 0 <= data["final"]["test_accuracy"] <= 1 and data["versions"]["numpy"]
    # The BLAS NumPy uses, with the thread plan TUI_NN_THREADS asked for (a dense net: all on the BLAS).
    blas = data["blas"]
    assert blas["library"] and blas["version"] and blas["conv_part_threads"] == 1, blas
    assert blas["threads"] == int(os.environ["TUI_NN_THREADS"]), blas
    # [784,100,30,10]: one bias-gradient norm per dense layer, measured before the first update
    assert list(data["start_diagnostics"]["grad_norms"]) == ["layers.0", "layers.2", "layers.4"]
    assert "bias-gradient norm per layer before training" in out.stdout
    replay = tui_nn("replay", str(record), home=tmp_path)
    assert replay.returncode == 0 and "identical" in replay.stdout


def test_replay_reports_differences_with_exit_1(tmp_path):
    record = tmp_path / "run.json"
    assert tui_nn("run", "lab-baseline", "--epochs", "1", *SMALL, "--record", str(record), "--quiet",
                  home=tmp_path).returncode == 0
    data = json.loads(record.read_text())
    data["epochs"][0]["test_accuracy"] += 0.01
    record.write_text(json.dumps(data))
    out = tui_nn("replay", str(record), home=tmp_path)
    assert out.returncode == 1 and "test_accuracy" in out.stdout


def test_diverging_run_exits_3_with_the_reason(tmp_path):
    out = tui_nn("run", "nielsen-ch3-cross-entropy", "--epochs", "1", *SMALL,
                 "--set", "optimizer.learning_rate=1e38", home=tmp_path)
    assert out.returncode == 3 and "learning rate" in out.stderr


def test_checkpoint_and_resume_continue_the_record(tmp_path):
    ck = tmp_path / "ck.npz"
    first = tmp_path / "a.json"
    assert tui_nn("run", "first-look", "--epochs", "1", *SMALL, "--checkpoint", str(ck), "--record", str(first),
                  "--quiet", home=tmp_path).returncode == 0
    resumed = tmp_path / "b.json"
    out = tui_nn("run", "first-look", "--epochs", "2", *SMALL, "--resume", str(ck), "--record", str(resumed),
                 "--quiet", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert [e["epoch"] for e in json.loads(resumed.read_text())["epochs"]] == [1, 2]


def test_presets_lists_every_builtin_one_line_each(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "presets"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("nielsen-ch1 ") and "95.08%" in line for line in out)
    assert len(out) >= 28


def test_bench_json_has_the_documented_keys(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "bench", "lab-momentum", "--epochs", "2", "--json",
                 "--set", "data.train_size=2000"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"seconds_per_epoch", "samples_per_second", "peak_rss_mb", "blas"} <= set(result)
    assert result["samples_per_second"] > 0


def test_bench_compares_interleaved_rounds_on_the_same_samples(tmp_path, capsys):
    pytest.importorskip("torch", reason="torch is not installed (pip install tui-nn[torchvision])")
    assert main(["--home", str(tmp_path), "bench", "nielsen-ch1", "--json", "--compare-torch", "--compare-numpy",
                 "--compare-fused", "--compare-naive", "--rounds", "2", "--set", "data.train_size=300"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["train_samples"] == 300 and result["rounds"] == 2 and result["skipped"] == {}
    threads = {str(t) for t in sorted({1, result["cores"]})}
    for name in ("tui_nn", "torch", "numpy", "fused", "network.py"):
        side = result["sides"][name]
        assert set(side["seconds_by_threads"]) == threads
        assert all(len(rounds) == 2 for rounds in side["seconds_by_threads"].values())
        assert side["seconds_per_epoch"] == side["median_by_threads"][str(side["best_threads"])]
    for name in ("torch", "numpy", "fused", "network.py"):
        assert len(result["ratios"][name]["per_round"]) == 2 and result["ratios"][name]["median"] > 0


def test_bench_says_which_reference_cannot_train_the_network(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "bench", "lab-adam", "--compare-numpy", "--compare-fused", "--compare-naive",
                 "--rounds", "1", "--set", "data.train_size=200"]) == 0
    out = capsys.readouterr().out
    assert "numpy: not timed: the plain NumPy reference cannot train this network: its optimizers are" in out
    assert "fused: not timed: the fused NumPy step cannot train this network: its optimizers are" in out
    assert "naive: not timed: network.py trains only sigmoid dense networks" in out


def test_set_with_a_bad_key_is_invalid_input(tmp_path):
    out = tui_nn("run", "first-look", "--set", "model.layers.9.units=3", home=tmp_path)
    assert out.returncode == 2 and "model.layers.9.units" in out.stderr


@pytest.mark.parametrize("argv,mouse,ascii_art", [([], True, False), (["--no-mouse", "--ascii"], False, True)])
def test_no_subcommand_opens_the_app_with_its_options(tmp_path, monkeypatch, argv, mouse, ascii_art):
    from tui_nn.tui import app as app_module

    started = {}

    def fake_run(self, **kwargs):
        started.update(kwargs, ascii_art=self.ascii_art, home=self.home)

    monkeypatch.setattr(app_module.TuiNNApp, "run", fake_run)
    monkeypatch.setattr("tui_nn.cli.app.terminal_ready", lambda: True)
    monkeypatch.setattr(app_module, "wants_ascii", lambda: False)
    assert main(["--home", str(tmp_path), *argv]) == 0
    assert started == {"mouse": mouse, "ascii_art": ascii_art, "home": tmp_path}


def test_the_torch_conv_reference_is_the_same_network(mnist):
    """Same initial weights, same function: the torch model's logits equal the engine's."""
    torch = pytest.importorskip("torch", reason="torch is not installed (pip install tui-nn[torchvision])")
    from dataclasses import replace

    from tui_nn.bench.torch_reference import _torch_model, torch_inputs
    from tui_nn.experiment.presets import find_preset
    from tui_nn.experiment.session import prepare

    spec = find_preset("best-conv", Path(".")).spec
    spec = replace(spec, data=replace(spec.data, train_size=200, test_size=100))
    session = prepare(spec, dataset=mnist)
    images, _ = session.feed.splits.train.rows(slice(0, 50))
    model = _torch_model(session).eval()
    with torch.no_grad():
        theirs = model(torch_inputs(session, images)).numpy()
    ours = session.network.logits(session.feed.to_float(images))
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


def test_bench_compares_a_conv_preset_against_torch(tmp_path, capsys):
    pytest.importorskip("torch", reason="torch is not installed (pip install tui-nn[torchvision])")
    assert main(["--home", str(tmp_path), "bench", "nielsen-ch6-relu", "--rounds", "1", "--json", "--compare-torch",
                 "--set", "data.train_size=640", "--set", "training.batch_size=64"]) == 0
    result = json.loads(capsys.readouterr().out)
    engine = result["sides"]["tui_nn"]
    assert engine["architecture"].startswith("1x28x28-c20x5-p2-c40x5-p2")
    assert result["sides"]["torch"]["seconds_per_epoch"] > 0 and result["sides"]["torch"]["not_reproduced"] == []
    assert engine["threads"]["1"] == {"blas": 1, "conv_parts": 1}


def test_bench_profile_breaks_an_epoch_into_phases_and_layers(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "bench", "lab-l2-momentum", "--profile", "--json",
                 "--set", "data.train_size=1000"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["phases"]) == ["data", "forward", "loss", "backward", "regularization", "optimizer"]
    assert result["batches"] == 10 and 0 < sum(result["phases"].values()) <= result["epoch_seconds"]
    assert any(name.endswith("dense 100 forward") for name in result["layers"])
    assert sum(result["layers"].values()) <= result["phases"]["forward"] + result["phases"]["backward"]
    # the products alone, timed apart: part of forward and backward (generously: they run hot there)
    assert 0 < result["products_seconds"] < 3 * (result["phases"]["forward"] + result["phases"]["backward"])


def test_bench_profile_leaves_the_products_floor_to_dense_networks(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "bench", "nielsen-ch6-relu", "--profile",
                 "--set", "data.train_size=128", "--set", "training.batch_size=64"]) == 0
    out = capsys.readouterr().out
    assert "one epoch:" in out and "conv2d 20x5x5" in out and "products alone" not in out
    assert main(["--home", str(tmp_path), "bench", "lab-l2-momentum", "--profile",
                 "--set", "data.train_size=1000"]) == 0
    assert "the matrix products alone take" in capsys.readouterr().out


def test_set_takes_the_bracket_form_that_problems_name(tmp_path):
    record = tmp_path / "run.json"
    out = tui_nn("run", "lab-momentum", "--epochs", "1", *SMALL, "--set", "model.layers[0].units=64",
                 "--record", str(record), home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(record.read_text())["spec"]["model"]["layers"][0]["units"] == 64


def test_paths_says_where_everything_lives(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "paths"]) == 0
    lines = dict(line.split(maxsplit=1) if not line.startswith(("user", "run")) else
                 (" ".join(line.split()[:2]), line.split()[2]) for line in capsys.readouterr().out.splitlines())
    assert lines["user presets"] == str(tmp_path / "presets") and lines["run records"] == str(tmp_path / "runs")
    assert lines["caches"] == str(tmp_path / "cache")


def test_paths_lists_each_cache_with_its_size(tmp_path, capsys):
    home = tmp_path / "another-home"  # not the test's own, whose cache starts warm
    (home / "cache").mkdir(parents=True)
    (home / "cache" / "threads.json").write_text("x" * 2048)
    for name in ("idx-a.npz", "idx-b.npz"):
        (home / "cache" / name).write_bytes(b"\0" * 3 * 2**20)
    assert main(["--home", str(home), "paths"]) == 0
    out = capsys.readouterr().out
    assert f"decoded datasets  {home / 'cache' / 'idx-*.npz'}  2 files, 6.0 MB" in out
    assert f"thread plans      {home / 'cache' / 'threads.json'}  1 file, 2.0 KB" in out


def test_every_option_and_argument_has_help():
    from tui_nn.cli.main import build_parser

    parser = build_parser()
    subparsers = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"][0]
    for name, sub in [("tui-nn", parser), *subparsers.choices.items()]:
        for action in sub._actions:
            if action.dest not in ("help", "command"):
                assert action.help, f"{name} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("content, message", [(bytes(range(256)), "is not UTF-8 text"), (b"\n  \n", "is empty")])
def test_a_spec_file_that_is_binary_or_empty_exits_2_naming_it(tmp_path, content, message):
    spec = tmp_path / "spec.toml"
    spec.write_bytes(content)
    out = tui_nn("run", str(spec), home=tmp_path)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "spec.toml" in lines[0] and message in lines[0]


def test_presets_and_runs_survive_a_broken_user_preset(tmp_path):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "broken.toml").write_text('minutes = "abc"\n')
    listing = tui_nn("presets", home=tmp_path)
    assert listing.returncode == 0 and "nielsen-ch1" in listing.stdout
    assert "skipped:" in listing.stderr and "broken.toml" in listing.stderr and "Traceback" not in listing.stderr
    run = tui_nn("run", "lab-momentum", "--epochs", "1", *SMALL, "--quiet", home=tmp_path)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("epochs", ["0", "-1", "20000"])
def test_bench_refuses_an_epoch_count_run_would_refuse(tmp_path, epochs):
    out = tui_nn("bench", "lab-momentum", "--epochs", epochs, home=tmp_path)
    assert out.returncode == 2 and "training.epochs" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("kind", [[], ["--profile"], ["--app"], ["--model-screens"], ["--compare-numpy"]])
def test_bench_on_missing_data_is_one_line_and_exit_2(tmp_path, kind):
    out = tui_nn("bench", "first-look", *kind, "--set", f"data.path={tmp_path / 'nothing'}", home=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1 and "no MNIST-format files here" in out.stderr


@pytest.mark.parametrize("extra", [[], ["--compare-numpy", "--rounds", "1"]])
def test_bench_of_a_diverging_run_exits_3(tmp_path, extra):
    out = tui_nn("bench", "lab-momentum", "--epochs", "2", "--set", "optimizer.learning_rate=1e6",
                 "--set", "data.train_size=500", *extra, home=tmp_path)
    assert out.returncode == 3 and out.stderr.startswith("diverged:") and "Traceback" not in out.stderr


@pytest.mark.parametrize("preset, rate", [("lab-baseline", "10"), ("nielsen-ch3-cross-entropy", "1e6"),
                                          ("lab-momentum", "1e6")])
def test_an_exploding_or_nan_loss_is_reported_as_diverged_without_numpy_warnings(tmp_path, preset, rate):
    record = tmp_path / "run.json"
    out = tui_nn("run", preset, "--epochs", "3", *SMALL, "--set", f"optimizer.learning_rate={rate}",
                 "--record", str(record), home=tmp_path)
    assert out.returncode == 3 and "Warning" not in out.stderr and "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("diverged:") and "learning rate" in lines[0]
    saved = json.loads(record.read_text())
    assert saved["status"] == "diverged" and saved["events"][-1]["event"] == "diverged"


REPLAY_RECORDS = {
    "a string": '"hello"',
    "a number spec": '{"spec": 3, "seed": 1, "epochs": []}',
    "epochs not a list of tables": '{"spec": {}, "seed": 1, "epochs": [1, 2]}',
    "string metrics": '{"spec": {}, "seed": 1, "epochs": [{"epoch": 1, "train_loss": "low"}]}',
    "absurd nesting": "[" * 100000 + "]" * 100000,
    "no finished epoch": '{"spec": {}, "seed": 1, "epochs": []}',
    "not json": "{nope",
}


@pytest.mark.parametrize("name", sorted(REPLAY_RECORDS))
def test_replay_validates_the_record_and_never_succeeds_on_nothing(tmp_path, name):
    path = tmp_path / "record.json"
    path.write_text(REPLAY_RECORDS[name])
    out = tui_nn("replay", str(path), home=tmp_path)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert "identical" not in out.stdout


@pytest.mark.parametrize("args, message", [(["--tolerance", "nan"], "--tolerance nan"),
                                           (["--epochs", "-1"], "--epochs -1"), (["--epochs", "0"], "--epochs 0")])
def test_replay_refuses_arguments_that_would_compare_nothing(tmp_path, args, message):
    path = tmp_path / "record.json"
    path.write_text('{"spec": {}, "seed": 1, "epochs": [{"epoch": 1, "train_loss": 1.0}]}')
    out = tui_nn("replay", str(path), *args, home=tmp_path)
    assert out.returncode == 2 and message in out.stderr


@pytest.mark.parametrize("overrides, message", [
    (["model.layers.0.units=1000000000"], "model (memory): this network needs about"),
    (["training.batch_size=60000", "model.layers.0.units=200000"], "one batch of 60000"),
    (['training.schedule.name="exponential"', "training.schedule.decay=1e300"], "the learning rate overflows at epoch 3"),
    (['training.schedule.name="step"', "training.schedule.factor=1e-320", "training.schedule.every=1"],
     "the learning rate vanishes at epoch 2"),
])
def test_numeric_limits_are_refused_before_training_with_the_numbers(tmp_path, overrides, message):
    args = [item for override in overrides for item in ("--set", override)]
    out = tui_nn("run", "lab-momentum", "--epochs", "3", *SMALL, *args, home=tmp_path)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and message in lines[0] and "Traceback" not in out.stderr


def test_a_folder_with_nothing_but_data_path_set_trains_and_the_record_names_it(tmp_path, small_digits):
    record = tmp_path / "run.json"
    out = tui_nn("run", "first-look", "--set", f"data.path={small_digits}", "--epochs", "1", "--record", str(record),
                 home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "64-256r-10s" in out.stdout and "1197 training samples" in out.stdout
    data = json.loads(record.read_text())["data"]
    assert data["source"] == f"folder {small_digits}" and data["input_shape"] == [64]
    assert (data["train"], data["validation"], data["test"]) == (1197, 240, 360)


@pytest.mark.parametrize("setting,message", [
    ("data.test_size=500", "data.test_size = 500: at most 360 (the test file has 360)"),
    ("data.train_size=5000", "data.train_size = 5000: at most 1197 with data.validation_size = 240 "
                             "(the training file has 1437)"),
    ("data.validation_size=1437", "data.validation_size = 1437: must leave training images; at most 1436"),
])
def test_split_sizes_that_do_not_fit_the_folder_name_the_key_and_what_fits(tmp_path, small_digits, setting, message):
    out = tui_nn("run", "first-look", "--set", f"data.path={small_digits}", "--set", setting, home=tmp_path)
    assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
