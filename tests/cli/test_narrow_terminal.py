"""Tables and the confusion matrix fit the terminal's width when stdout is one; a file or a pipe
gets every cell whole."""

import numpy as np

from tui_nn.cli.output import table_text
from tui_nn.experiment.models import confusion_text

HEADER = ["run", "preset", "settings", "test", "best val", "status", "time"]
ROWS = [["20261206-212417-038899-first-look", "first-look", "adam lr=0.001 b64 e4 l2=0.0001", "95.79%",
         "96.10%", "completed", "5s"],
        ["20261206-212418-000001-lab-optimizers-copy", "lab-optimizers-copy", "sgd lr=0.05 b10 e30", "97.50%",
         "97.80%", "early_stopped", "126s"]]


def test_a_wide_table_is_fitted_to_the_terminal_cutting_the_widest_columns_first():
    whole = table_text(HEADER, ROWS)
    assert max(map(len, whole.splitlines())) > 100 and "lab-optimizers-copy" in whole
    fitted = table_text(HEADER, ROWS, 80)
    lines = fitted.splitlines()
    assert max(map(len, lines)) <= 80
    assert all(heading in lines[0] for heading in HEADER)  # headings are never cut
    assert "…" in lines[2] and "97.50%" in lines[2] and "early_stopped" in lines[2]  # short cells stay whole
    assert table_text(HEADER, ROWS, 200) == whole


def test_the_confusion_matrix_of_four_digit_counts_fits_80_columns_with_its_brackets():
    matrix = np.full((10, 10), 12)
    np.fill_diagonal(matrix, [971, 1125, 1001, 956, 956, 849, 913, 978, 900, 930])
    wide = confusion_text(matrix, tuple("0123456789"))
    assert max(map(len, wide.splitlines())) > 80
    narrow = confusion_text(matrix, tuple("0123456789"), 80)
    assert max(map(len, narrow.splitlines())) <= 80 and "[1125]" in narrow and "recall" in narrow
    assert confusion_text(matrix, tuple("0123456789"), 200) == wide


def test_runs_on_an_80_column_terminal_prints_no_line_wider_than_it(tmp_path):
    import fcntl
    import os
    import pty
    import select
    import struct
    import subprocess
    import sys
    import termios

    for rate in ("0.5", "0.05"):
        made = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "run", "first-look", "--quiet",
                               "--epochs", "1", "--set", "data.train_size=300", "--set", "data.validation_size=100",
                               "--set", "data.test_size=100", "--set", f"optimizer.learning_rate={rate}"],
                              capture_output=True, text=True, timeout=300)
        assert made.returncode == 0, made.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "runs"], stdout=slave,
                               stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    assert process.wait(timeout=60) == 0
    os.close(master)
    lines = out.decode().replace("\r", "").splitlines()
    assert len(lines) >= 3 and max(len(line) for line in lines) <= 80, lines
