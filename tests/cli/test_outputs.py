"""Outputs that never clobber: every file a command writes is checked before any work, and a device,
a pipe, or one of the command's own files is refused (exit 2, one line naming it, and both files for
a clash) and left as it was."""

import json
import os
import stat
import subprocess
import sys

import pytest

from .hostile import SMALL, data_folder, one_line, tui_nn

RUN = ["run", "lab-momentum", "--epochs", "1", *SMALL]
SPEC = """name = "mine"
[model]
layers = [{type = "dense", units = 10, activation = "softmax"}]
loss = "log_likelihood"
[data]
train_size = 200
validation_size = 100
test_size = 100
[training]
epochs = 1
"""


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished run: its record, its model and its checkpoint."""
    folder = tmp_path_factory.mktemp("finished")
    out = tui_nn(folder, *RUN, "--record", str(folder / "rec.json"), "--checkpoint", str(folder / "ck.npz"))
    assert out.returncode == 0, out.stderr
    return folder


def unchanged(path, before):
    return path.read_bytes() == before


@pytest.mark.parametrize("option", ["--record", "--checkpoint"])
def test_a_device_is_refused_and_stays_a_device(tmp_path, option):
    line = one_line(tui_nn(tmp_path, *RUN, option, os.devnull), 2, option, os.devnull, "character device")
    assert "not a regular file" in line
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and not os.path.exists(f"{os.devnull}.model.npz")
    assert not (tmp_path / "runs").exists() or not list((tmp_path / "runs").iterdir())


@pytest.mark.parametrize("option", ["--record", "--checkpoint"])
def test_a_named_pipe_is_refused_without_opening_it(tmp_path, option):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    one_line(tui_nn(tmp_path, *RUN, option, str(fifo)), 2, option, str(fifo), "named pipe")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_the_checkpoint_resumed_from_is_not_overwritten_by_the_record(finished, tmp_path):
    checkpoint = finished / "ck.npz"
    before = checkpoint.read_bytes()
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "2", *SMALL, "--resume", str(checkpoint),
                 "--record", str(checkpoint))
    one_line(out, 2, "--record", "--resume", "same file", str(checkpoint))
    assert unchanged(checkpoint, before)


def test_a_checkpoint_continued_in_place_is_allowed(finished, tmp_path):
    checkpoint = tmp_path / "ck.npz"
    checkpoint.write_bytes((finished / "ck.npz").read_bytes())
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "2", *SMALL, "--resume", str(checkpoint),
                 "--checkpoint", str(checkpoint), "--record", str(tmp_path / "more.json"), "--quiet")
    assert out.returncode == 0, out.stderr
    assert [e["epoch"] for e in json.loads((tmp_path / "more.json").read_text())["epochs"]] == [1, 2]


def test_the_record_and_the_checkpoint_may_not_be_one_file(tmp_path):
    target = tmp_path / "x.json"
    one_line(tui_nn(tmp_path, *RUN, "--record", str(target), "--checkpoint", str(target)), 2, "--record",
             "--checkpoint", "same file")
    assert not target.exists()


def test_the_model_beside_the_record_may_not_be_the_checkpoint(tmp_path):
    out = tui_nn(tmp_path, *RUN, "--record", str(tmp_path / "x.json"), "--checkpoint", str(tmp_path / "x.model.npz"))
    one_line(out, 2, "the model beside --record", "--checkpoint", "same file")
    assert not list(tmp_path.glob("x*"))


@pytest.mark.parametrize("option", ["--record", "--checkpoint"])
def test_the_spec_file_is_never_an_output(tmp_path, option):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    one_line(tui_nn(tmp_path, "run", str(spec), option, str(spec)), 2, option, "the spec file", "same file")
    assert spec.read_text() == SPEC


def test_a_hard_link_to_the_spec_file_is_the_same_file(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    link = tmp_path / "other-name.json"
    os.link(spec, link)
    one_line(tui_nn(tmp_path, "run", str(spec), "--record", str(link)), 2, str(link), "the spec file", "same file")
    assert spec.read_text() == SPEC


def test_a_user_preset_file_is_never_an_output(tmp_path):
    (tmp_path / "presets").mkdir()
    preset = tmp_path / "presets" / "mine.toml"
    preset.write_text(SPEC)
    one_line(tui_nn(tmp_path, "run", "mine", "--record", str(preset)), 2, "--record", "the preset file")
    assert preset.read_text() == SPEC


@pytest.mark.parametrize("option", ["--csv", "--json"])
def test_compare_never_writes_over_a_record_it_compares(finished, option):
    record = finished / "rec.json"
    before = record.read_bytes()
    one_line(tui_nn(finished, "compare", str(record), option, str(record)), 2, option, "same file", "the run")
    assert unchanged(record, before)


def test_compare_refuses_a_device_and_two_outputs_in_one_file(finished, tmp_path):
    record = str(finished / "rec.json")
    one_line(tui_nn(finished, "compare", record, "--csv", os.devnull), 2, "--csv", "character device")
    both = str(tmp_path / "both")
    one_line(tui_nn(finished, "compare", record, "--csv", both, "--json", both), 2, "--csv", "--json", "same file")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and not os.path.exists(both)


def test_baseline_writes_its_record_where_asked_and_refuses_a_device(tmp_path):
    out = tui_nn(tmp_path, "baseline", "darkness", *SMALL, "--record", os.devnull)
    one_line(out, 2, "--record", "character device")
    assert "test accuracy" not in out.stdout  # refused before any work
    record = tmp_path / "darkness.json"
    out = tui_nn(tmp_path, "baseline", "darkness", *SMALL, "--record", str(record))
    assert out.returncode == 0 and json.loads(record.read_text())["baseline"] == "darkness"


def test_records_and_models_follow_the_umask_and_an_existing_record_keeps_its_mode(tmp_path):
    record = tmp_path / "run.json"
    out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), *RUN, "--record", str(record)],
                         capture_output=True, text=True, timeout=300, preexec_fn=lambda: os.umask(0o027))
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(record.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "run.model.npz").stat().st_mode) == 0o640
    record.chmod(0o604)
    out = tui_nn(tmp_path, *RUN, "--record", str(record), "--quiet")
    assert out.returncode == 0 and stat.S_IMODE(record.stat().st_mode) == 0o604


def test_a_pipe_where_the_model_would_go_is_refused_before_training(tmp_path):
    os.mkfifo(tmp_path / "x.model.npz")
    out = tui_nn(tmp_path, *RUN, "--record", str(tmp_path / "x.json"))
    one_line(out, 2, "the model beside --record", "named pipe")
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("command", [["run", "lab-momentum", "--epochs", "1", "--record"],
                                     ["run", "lab-momentum", "--epochs", "1", "--checkpoint"],
                                     ["baseline", "darkness", "--record"]])
def test_a_data_file_the_command_reads_is_never_an_output(tmp_path, command):
    folder = data_folder(tmp_path / "data")
    labels = folder / "t10k-labels-idx1-ubyte"
    before = labels.read_bytes()
    out = tui_nn(tmp_path, *command[:-1], *SMALL, "--set", f"data.path={folder}", command[-1], str(labels))
    one_line(out, 2, command[-1], "the test labels", "same file")
    assert unchanged(labels, before)
