"""Writes that cannot succeed: refused before training when that can be known, and a failure in the
middle (a full disk) stops the run with a message, keeping the last good files."""

import json
import os
import subprocess
import sys

import pytest

from .hostile import small_disk

SMALL = ["--set", "data.train_size=300", "--set", "data.validation_size=100", "--set", "data.test_size=100"]


def tui_nn(home, *args):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("target, message", [
    ("{tmp}", "is a folder; give a file name"),
    ("{tmp}/afile/run.json", "afile is a file, not a folder"),
])
@pytest.mark.parametrize("option", ["--record", "--checkpoint"])
def test_a_path_that_cannot_be_written_is_refused_before_training(tmp_path, option, target, message):
    (tmp_path / "afile").write_text("x")
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "1", *SMALL, option, target.format(tmp=tmp_path))
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and option in lines[0] and message in lines[0]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                     if p.is_file() and p.parts[len(tmp_path.parts)] != "cache")
    assert written == ["afile"]  # no record, checkpoint or model was written


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_folder_is_refused_before_training(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "1", *SMALL, "--record", str(folder / "r.json"))
    assert out.returncode == 2 and "cannot be written" in out.stderr


def test_a_home_that_is_a_file_is_one_clear_line(tmp_path):
    home = tmp_path / "home"
    home.write_text("x")
    out = tui_nn(home, "run", "lab-momentum", "--epochs", "1", *SMALL)
    assert out.returncode == 2 and out.stderr.strip() == f"error: --home {home}: is a file, not a folder"



def test_a_disk_that_fills_up_stops_the_run_and_keeps_the_last_good_files(tmp_path):
    with small_disk(tmp_path / "disk", "256k") as disk:
        record = tmp_path / "run.json"
        out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "5", *SMALL, "--record", str(record),
                     "--checkpoint", str(disk / "ck.npz"))
        assert out.returncode == 4 and "Traceback" not in out.stderr, out.stderr
        assert "No space left on device" in out.stderr and "the run stopped after" in out.stderr
        saved = json.loads(record.read_text())
        assert saved["status"] == "failed" and "write failed" in saved["events"][-1]["reason"]
        assert not [name for name in os.listdir(disk) if name.endswith(".tmp")]  # no stray temporary files
