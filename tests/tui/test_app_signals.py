"""The real app in a pseudo-terminal: quitting it or sending SIGTERM while a run trains leaves the
record saying the run stopped, with its finished epochs, never `running`."""

import fcntl
import json
import os
import signal
import struct
import sys
import termios
import time

import pytest

from tui_nn.experiment.presets import parse_preset, save_user_preset

from .helpers import SLOW

pytestmark = pytest.mark.skipif(not hasattr(os, "forkpty"), reason="needs a pseudo-terminal (POSIX)")


def _start_app(home):
    pid, fd = os.forkpty()
    if pid == 0:  # the child: the app on the pty's slave side
        os.environ.update(TUI_NN_HOME=str(home), TERM="xterm-256color", TUI_NN_THREADS="1")
        os.execv(sys.executable, [sys.executable, "-m", "tui_nn", "--home", str(home)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def _drain(fd, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.read(fd, 65536)
        except OSError:
            return
        time.sleep(0.02)


def _wait_for_screen(fd, text: bytes, timeout=60):
    """Read the app's output until ``text`` has been drawn (keys sent earlier may be dropped)."""
    seen, end = b"", time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            seen += os.read(fd, 65536)
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
        if text in seen:
            return
    raise AssertionError(f"the app never showed {text!r}")


def _wait_for_record(home, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        records = list((home / "runs").glob("*.json")) if (home / "runs").is_dir() else []
        if records and json.loads(records[0].read_text() or "{}").get("epochs"):
            return records[0]
        time.sleep(0.1)
    raise AssertionError("no epoch was recorded")


def _exit_status(pid, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("the app did not exit")


@pytest.mark.parametrize("how", ["SIGTERM", "ctrl+q"])
def test_ending_the_app_mid_run_leaves_a_stopped_record(tmp_path, how):
    save_user_preset(parse_preset({**SLOW, "data": {"train_size": 2000, "validation_size": 200, "test_size": 200},
                                   "training": {"epochs": 300, "batch_size": 10}}, "slow"), tmp_path)
    pid, fd = _start_app(tmp_path)
    try:
        os.set_blocking(fd, False)
        _wait_for_screen(fd, b"first-look")  # the home screen is up
        _drain(fd, 1)
        os.write(fd, b"\x1b[B")          # down: from first-look to the user's preset
        _drain(fd, 0.5)
        os.write(fd, b"\r")              # train it
        record = _wait_for_record(tmp_path)
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            os.write(fd, b"\x11")        # ctrl+q: asks first while training
            _wait_for_screen(fd, b"Stop it and quit?")
            os.write(fd, b"y")
        _drain(fd, 1)
        _exit_status(pid)
    finally:
        os.close(fd)
    saved = json.loads(record.read_text())
    assert saved["status"] == "stopped" and len(saved["epochs"]) >= 1 and saved["preset"] == "slow"


def test_stale_temporary_files_of_a_killed_write_are_cleared(tmp_path):
    from tui_nn.common.atomic import STALE_SECONDS, atomic_write_text

    target = tmp_path / "run.json"
    stale = tmp_path / ".run.json.abc123.tmp"
    fresh = tmp_path / ".run.json.def456.tmp"  # maybe another process writing right now: kept
    stale.write_text("half a record")
    fresh.write_text("in progress")
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    atomic_write_text(target, "{}")
    assert target.read_text() == "{}" and not stale.exists() and fresh.exists()
