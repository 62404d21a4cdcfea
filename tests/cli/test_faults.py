"""Faults in the middle, done for real: a disk that fills up (a small tmpfs), a home that cannot be
written and a data file that cannot be read (file permissions, with root's override dropped). Every
command checks what it will write before it trains, names the file that failed, exits 4 on a failed
write and keeps what finished."""

import json
import os
import subprocess

import pytest

from .hostile import SMALL, data_folder, one_line, permissions_apply, small_disk, tui_nn

SWEEP = ["sweep", "lab-momentum", "--epochs", "1", *SMALL, "--grid", "optimizer.learning_rate=0.1,0.2,0.3",
         "--workers", "1"]


def test_a_disk_that_fills_up_mid_sweep_ends_with_what_finished_and_exit_4(tmp_path):
    # Room for one point's record and model (about 330 KB) and the summary, not for a second model.
    with small_disk(tmp_path / "runs" / "sweeps" / "lab-momentum", "512k") as disk:
        out = tui_nn(tmp_path, *SWEEP)
        assert out.returncode == 4 and "Traceback" not in out.stderr, out.stderr
        error = one_line(out, 4, "No space left on device", "1 of 3 run(s) recorded")
        assert ".model.npz" in error and str(disk) in error
        assert "[1/3]" in out.stdout and "summary:" in out.stdout
        summary = json.loads(next(disk.glob("sweep-*.json")).read_text())
        assert [p["status"] for p in summary["points"]].count("completed") == 1
        assert not [name for name in os.listdir(disk) if name.endswith(".tmp")]
        subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
        resumed = tui_nn(tmp_path, *SWEEP)  # room again: the same command trains the rest
        assert resumed.returncode == 0 and "3 run(s) (1 already recorded)" in resumed.stdout, resumed.stderr


def test_a_model_that_cannot_be_saved_is_exit_4_naming_it_and_the_record_is_kept(tmp_path):
    with small_disk(tmp_path / "disk", "64k") as disk:  # the record fits, the model does not
        record = disk / "run.json"
        out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "1", *SMALL, "--record", str(record))
        one_line(out, 4, str(disk / "run.model.npz"), "No space left on device", "the record keeps every epoch")
        assert f"record: {record}" in out.stdout
        saved = json.loads(record.read_text())
        assert saved["status"] == "completed" and "model" not in saved


def test_a_checkpoint_on_a_full_disk_is_named(tmp_path):
    with small_disk(tmp_path / "disk", "64k") as disk:
        out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "2", *SMALL, "--record", str(tmp_path / "r.json"),
                     "--checkpoint", str(disk / "ck.npz"))
        one_line(out, 4, f"{disk / 'ck.npz'}: No space left on device", "the run stopped after")


@pytest.mark.parametrize("command, words", [
    (["sweep", "lab-momentum", "--epochs", "1", *SMALL, "--grid", "optimizer.learning_rate=0.1,0.2"],
     ["the sweep folder", "cannot be written"]),
    (["baseline", "darkness", *SMALL], ["the runs folder", "cannot be written"]),
    (["run", "lab-momentum", "--epochs", "1", *SMALL], ["the runs folder", "cannot be written"]),
])
def test_a_read_only_home_is_refused_before_training(tmp_path, command, words):
    prefix = permissions_apply()
    home = tmp_path / "home"
    (home / "runs").mkdir(parents=True)
    for folder in (home / "runs", home):
        folder.chmod(0o555)
    try:
        out = tui_nn(home, *command, prefix=prefix)
    finally:
        for folder in (home, home / "runs"):
            folder.chmod(0o755)
    line = one_line(out, 2, *words, str(home / "runs"))
    assert "test accuracy" not in out.stdout and "[1/" not in out.stdout, line  # nothing was trained



@pytest.mark.parametrize("command", ["evaluate", "baseline", "run"])
def test_an_unreadable_data_file_is_one_line_naming_it(model, tmp_path, command):
    prefix = permissions_apply()
    folder = data_folder(tmp_path / "data")
    locked = folder / "t10k-labels-idx1-ubyte"
    locked.chmod(0)
    args = {"evaluate": ["evaluate", str(model)], "baseline": ["baseline", "darkness", *SMALL],
            "run": ["run", "lab-momentum", "--epochs", "1", *SMALL]}[command]
    out = tui_nn(tmp_path, *args, "--set", f"data.path={folder}", prefix=prefix)
    one_line(out, 2, str(locked), "cannot be read", "Permission denied")


def test_compare_on_a_full_disk_is_exit_4_naming_the_export(model, tmp_path):
    with small_disk(tmp_path / "disk", "4k") as disk:
        (disk / "filler").write_bytes(b"x" * 4096)  # full before the export is written
        out = tui_nn(tmp_path, "compare", str(model.parent / "rec.json"), "--csv", str(disk / "out.csv"))
    one_line(out, 4, f"--csv {disk / 'out.csv'}", "No space left on device")
    assert "test accuracy" in out.stdout  # the comparison itself was shown


def test_a_baseline_whose_record_fails_keeps_its_result_on_screen_and_exits_4(tmp_path):
    with small_disk(tmp_path / "disk", "4k") as disk:
        (disk / "filler").write_bytes(b"x" * 4096)  # the folder takes a file name, not its contents
        out = tui_nn(tmp_path, "baseline", "darkness", *SMALL, "--record", str(disk / "b.json"))
        one_line(out, 4, str(disk / "b.json"), "No space left on device")
        assert "darkness: test accuracy" in out.stdout and not (disk / "b.json").exists()


def test_a_runs_folder_that_cannot_be_read_is_said_not_shown_empty(tmp_path):
    prefix = permissions_apply()
    for name in ("runs", "presets"):
        (tmp_path / name).mkdir()
        (tmp_path / name).chmod(0)
    try:
        runs = tui_nn(tmp_path, "runs", prefix=prefix)
        presets = tui_nn(tmp_path, "presets", prefix=prefix)
        written = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "1", *SMALL, prefix=prefix)
    finally:
        for name in ("runs", "presets"):
            (tmp_path / name).chmod(0o755)
    one_line(runs, 2, str(tmp_path / "runs"), "cannot be read")
    one_line(presets, 0, "skipped", str(tmp_path / "presets"), "cannot be read")
    assert "first-look" in presets.stdout  # the built-in presets are still listed
    one_line(written, 2, "the runs folder", "cannot be written")
