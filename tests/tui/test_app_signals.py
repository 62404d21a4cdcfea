"""The real app in a pseudo-terminal: quitting it or sending SIGTERM while a run trains leaves the
record saying the run stopped, with its finished epochs, never `running`."""

import fcntl
import json
import os
import select
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


def _read_until(fd, done, what: str, timeout=60) -> None:
    """Read the app's output as it comes (so its writes never block) until ``done(output so far)``;
    the pty closing (the app has exited) ends the reading too. Fails after ``timeout`` seconds."""
    seen, end = b"", time.monotonic() + timeout
    while not done(seen):
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{what}: not within {timeout} s")
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))  # 0.2 s: the record is a file, looked at between reads
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # EIO: the app's side of the pty is closed
                return


def _recorded_epoch(home):
    """The run's record once it holds a finished epoch, else None."""
    for record in (home / "runs").glob("*.json") if (home / "runs").is_dir() else ():
        if json.loads(record.read_text() or "{}").get("epochs"):
            return record
    return None


def _exit_status(pid, fd):
    """The app's exit status, once its output has ended."""
    _read_until(fd, lambda seen: False, "the app's exit")
    return os.waitpid(pid, 0)[1]


@pytest.mark.parametrize("how", ["SIGTERM", "ctrl+q"])
def test_ending_the_app_mid_run_leaves_a_stopped_record(tmp_path, how):
    save_user_preset(parse_preset({**SLOW, "data": {"train_size": 2000, "validation_size": 200, "test_size": 200},
                                   "training": {"epochs": 300, "batch_size": 10}}, "slow"), tmp_path)
    pid, fd = _start_app(tmp_path)
    try:
        os.set_blocking(fd, False)
        _read_until(fd, lambda seen: b"first-look" in seen, "the home screen")
        os.write(fd, b"\x1b[B")          # down: from first-look to the user's preset
        _read_until(fd, lambda seen: b"your preset" in seen, "the user's preset highlighted")
        os.write(fd, b"\r")              # train it
        _read_until(fd, lambda seen: _recorded_epoch(tmp_path) is not None, "a recorded epoch")
        record = _recorded_epoch(tmp_path)
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            os.write(fd, b"\x11")        # ctrl+q: asks first while training
            _read_until(fd, lambda seen: b"Stop it and quit?" in seen, "the question before quitting")
            os.write(fd, b"y")
        _exit_status(pid, fd)
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
