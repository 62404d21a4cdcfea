"""How `tui-nn run` ends when its output or its process is cut off: no traceback, an honest record."""

import io
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tui_nn.engine.events import BatchProgress, Diagnostics, EpochEnd
from tui_nn.cli.epoch_table import EpochPrinter

SMALL = ["--set", "data.train_size=2000", "--set", "data.validation_size=500", "--set", "data.test_size=500"]


def command(home, record, epochs=2):
    return [sys.executable, "-m", "tui_nn", "--home", str(home), "run", "lab-momentum", "--epochs", str(epochs),
            *SMALL, "--record", str(record)]


def interrupted_record(path: Path) -> dict:
    record = json.loads(path.read_text())
    assert record["status"] == "interrupted" and record["events"][-1]["event"] == "interrupted"
    return record


def test_a_reader_that_quits_early_stops_the_run_quietly(tmp_path):
    record = tmp_path / "run.json"
    run = subprocess.Popen(command(tmp_path, record, epochs=50), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.readline()  # like `| head -1`
    run.stdout.close()
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 141 and b"Traceback" not in stderr and b"Exception ignored" not in stderr
    assert "could not be written" in interrupted_record(record)["events"][-1]["reason"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_a_full_disk_behind_stdout_stops_the_run_with_a_valid_record(tmp_path):
    record = tmp_path / "run.json"
    with open("/dev/full", "w") as full:
        out = subprocess.run(command(tmp_path, record), stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert out.returncode == 141 and "Traceback" not in out.stderr
    assert "No space left" in interrupted_record(record)["events"][-1]["reason"]


@pytest.mark.parametrize("signum, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_a_signal_keeps_the_finished_epochs_and_says_so(tmp_path, signum, code, name):
    record = tmp_path / "run.json"
    # A harness that runs the tests in the background has SIGINT ignored, which a child would inherit.
    run = subprocess.Popen(command(tmp_path, record, epochs=500), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first_epoch = next((line for line in run.stdout if line.startswith("1/500")), None)  # the first epoch is done
    assert first_epoch, run.stderr.read()
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == code and "Traceback" not in stderr and f"interrupted by {name}" in stderr
    saved = interrupted_record(record)
    assert len(saved["epochs"]) >= 1 and name in saved["events"][-1]["reason"]


def test_the_app_without_a_terminal_exits_2_at_once(tmp_path):
    out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path)], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60)  # at once: never waiting for a terminal
    assert out.returncode == 2 and "needs a terminal" in out.stderr and "Traceback" not in out.stderr


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_the_live_table_shows_the_newest_epochs_and_the_batch_line(monkeypatch):
    monkeypatch.setenv("LINES", "16")
    monkeypatch.setenv("COLUMNS", "100")
    screen = FakeTerminal()
    printer = EpochPrinter(stream=screen)
    with printer:
        for epoch in range(1, 41):
            printer.show(EpochEnd(epoch=epoch, epochs=40, train_loss=1.0 / epoch, train_accuracy=0.5,
                                  val_loss=None, val_accuracy=None, test_loss=None, test_accuracy=0.9,
                                  learning_rate=0.1, seconds=1.0, samples_per_second=1.0, diagnostics=Diagnostics()))
        printer.show(BatchProgress(41, 7, 100, 1234.0))
    last_frame = screen.getvalue().split("\x1b[2K")[-12:]  # what a 16-line terminal shows at the end
    shown = "".join(last_frame)
    assert "│ 40/40" in shown and "batch 7/100" in shown
    assert "│ 31/40" in shown and "│ 30/40" not in shown  # 16 lines: the newest 10 epochs fit
