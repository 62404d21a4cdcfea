"""Helpers of the hostile-input and fault tests: the CLI in a subprocess, small IDX data folders made
on the spot, a small disk, and a process without root's override of file permissions."""

import os
import shutil
import struct
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

SMALL = ["--set", "data.train_size=200", "--set", "data.validation_size=100", "--set", "data.test_size=100"]
DEEP = "[" * 5000 + "]" * 5000  # 5,000 levels of nesting


def tui_nn(home, *args, prefix=(), **kw):
    return subprocess.run([*prefix, sys.executable, "-m", "tui_nn", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300, **kw)


def one_line(out, code=2, *words):
    """The command refused with ``code`` and one line on stderr holding every word; that line."""
    lines = out.stderr.strip().splitlines()
    assert out.returncode == code and len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + \
        array.tobytes()


def data_folder(path: Path, train: int = 300, test: int = 100) -> Path:
    """Four IDX files of random 28x28 digits in MNIST's names."""
    rng = np.random.default_rng(0)
    path.mkdir(parents=True)
    for stem, count in (("train", train), ("t10k", test)):
        (path / f"{stem}-images-idx3-ubyte").write_bytes(idx_bytes(rng.integers(0, 256, (count, 28, 28), np.uint8)))
        (path / f"{stem}-labels-idx1-ubyte").write_bytes(idx_bytes(rng.integers(0, 10, count, np.uint8)))
    return path


@contextmanager
def small_disk(path: Path, size: str):
    """A tmpfs of ``size`` mounted at ``path``: a disk that really fills up."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("cannot mount a small tmpfs here (needs root); a full disk is not simulated otherwise")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


def permissions_apply() -> list[str]:
    """A command prefix under which file permissions stop this process's children: nothing for a
    user, and for root the capabilities that override them dropped (root reads a mode-000 file)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("as root, file permissions stop nothing without setpriv to drop the override")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
