"""Damaged and mismatched checkpoints: one line naming the file and the problem, exit 2, never a
traceback and never advice to unpickle a file."""

import json
import subprocess
import sys

import numpy as np
import pytest

SMALL = ["--set", "data.train_size=500", "--set", "data.validation_size=500", "--set", "data.test_size=500"]


def tui_nn(home, *args):
    return subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    path = home / "ck.npz"
    out = tui_nn(home, "run", "lab-momentum", "--epochs", "1", *SMALL, "--checkpoint", str(path), "--quiet")
    assert out.returncode == 0, out.stderr
    return path


def _with_meta(source, target, change):
    arrays = dict(np.load(source))
    meta = json.loads(arrays["__meta__"].tobytes())
    arrays.pop("__meta__")
    if change(meta, arrays) != "drop":
        arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(target, **arrays)


def _pickle(path):
    with open(path, "wb") as handle:  # np.save on a name would add .npy
        np.save(handle, np.array([{"a": 1}], dtype=object), allow_pickle=True)


DAMAGE = {
    "empty": lambda good, path: path.write_bytes(b""),
    "truncated": lambda good, path: path.write_bytes(good.read_bytes()[:1000]),
    "garbage": lambda good, path: path.write_bytes(b"not a checkpoint at all\n" * 10),
    "pickle": lambda good, path: _pickle(path),
    "no-meta": lambda good, path: _with_meta(good, path, lambda meta, arrays: "drop"),
    "mistyped-meta": lambda good, path: _with_meta(good, path, lambda meta, arrays: meta.update(epoch="one")),
    "missing-meta-field": lambda good, path: _with_meta(good, path, lambda meta, arrays: meta.pop("rng")),
    "wrong-shape": lambda good, path: _with_meta(
        good, path, lambda meta, arrays: arrays.update({"param/layers.0.W": np.zeros((3, 3), np.float32)})),
}
MESSAGES = {"empty": "not a readable tui_nn checkpoint", "truncated": "not a readable tui_nn checkpoint",
            "garbage": "not an .npz archive", "pickle": "not an .npz archive", "no-meta": "no readable __meta__",
            "mistyped-meta": "'epoch' is 'one', not int", "missing-meta-field": "'rng' is None",
            "wrong-shape": "does not fit this one"}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_checkpoint_is_one_clear_line(tmp_path, checkpoint, damage):
    path = tmp_path / "damaged.npz"
    DAMAGE[damage](checkpoint, path)
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "2", *SMALL, "--resume", str(path))
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert str(path) in lines[0] and MESSAGES[damage] in lines[0] and "allow_pickle" not in lines[0]


@pytest.mark.parametrize("preset, extra, message", [
    ("lab-adam", [], "it was trained with model.layers[0].activation = 'relu'"),
    ("lab-momentum", ["--set", "data.train_size=400"], "it was trained with data.train_size = 500; this run has 400"),
    ("lab-momentum", ["--set", "training.dtype=\"float64\""], "training.dtype = 'float32'; this run has 'float64'"),
    ("lab-momentum", ["--set", "optimizer.momentum=0.5"], "optimizer.momentum = 0.9; this run has 0.5"),
    ("lab-momentum", ["--epochs", "1"], "it already finished epoch 1 of 1; ask for more (--epochs 2 or more)"),
])
def test_resume_refuses_a_checkpoint_of_another_experiment_naming_the_first_difference(
        tmp_path, checkpoint, preset, extra, message):
    args = ["run", preset, "--epochs", "2", *SMALL, *extra, "--resume", str(checkpoint)]
    out = tui_nn(tmp_path, *args)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and message in lines[0], out.stderr


def test_a_matching_checkpoint_resumes(tmp_path, checkpoint):
    out = tui_nn(tmp_path, "run", "lab-momentum", "--epochs", "2", *SMALL, "--resume", str(checkpoint), "--quiet")
    assert out.returncode == 0, out.stderr
