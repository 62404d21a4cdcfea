"""Hostile input files and values, end to end: each refused with exit 2 and one line naming the file
or field, before anything is allocated for it, and one bad file never breaks the commands that do
not need it."""

import gzip
import io
import json
import os
import zipfile

import numpy as np
import pytest

from .hostile import DEEP, SMALL, data_folder, idx_bytes, one_line, tui_nn

DATA_COMMANDS = {
    "run": ["run", "lab-momentum", "--epochs", "1", *SMALL],
    "baseline": ["baseline", "darkness", *SMALL],
}



def commands(model, folder):
    """Every command that reads a data folder, pointed at ``folder``."""
    return {name: [*args, "--set", f"data.path={folder}"] for name, args in DATA_COMMANDS.items()} | \
        {"evaluate": ["evaluate", str(model), "--set", f"data.path={folder}"]}


def labels_of_255_dimensions(folder):
    header = bytes([0, 0, 0x08, 255]) + (1).to_bytes(4, "big") * 255
    (folder / "t10k-labels-idx1-ubyte").write_bytes(header + b"\0")
    return folder / "t10k-labels-idx1-ubyte"


def gzip_bomb(folder):
    """Training images whose header claims 300 images and whose stream holds 64 MB of zeros."""
    (folder / "train-images-idx3-ubyte").unlink()
    target = folder / "train-images-idx3-ubyte.gz"
    with gzip.open(target, "wb", compresslevel=1) as stream:
        stream.write(idx_bytes(np.zeros((300, 28, 28), np.uint8))[:16])
        zeros = bytes(1 << 20)
        for _ in range(64):
            stream.write(zeros)
    return target


def sparse_63_gb(folder):
    """Training images with an honest header for 63 GB of pixels, as a sparse file."""
    target = folder / "train-images-idx3-ubyte"
    count = 63 * 10**9 // 784
    target.write_bytes(idx_bytes(np.zeros((0, 28, 28), np.uint8))[:4] + count.to_bytes(4, "big") +
                       (28).to_bytes(4, "big") * 2)
    os.truncate(target, 16 + count * 784)
    return target


@pytest.mark.parametrize("damage", [labels_of_255_dimensions, gzip_bomb, sparse_63_gb])
@pytest.mark.parametrize("command", ["run", "evaluate", "baseline"])
def test_a_hostile_data_file_is_one_line_naming_it(model, tmp_path, damage, command):
    folder = data_folder(tmp_path / "data")
    bad = damage(folder)
    one_line(tui_nn(tmp_path, *commands(model, folder)[command]), 2, str(bad))


def crafted(model, path, meta_change=None, claim=None):
    """A copy of ``model`` with its metadata changed, or one weight whose header claims ``claim``."""
    with np.load(model, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    meta = json.loads(arrays["__meta__"].tobytes())
    if meta_change:
        meta_change(meta)
    arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    with zipfile.ZipFile(path, "w") as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array)
            data = buffer.getvalue()
            if claim and key.startswith("param/") and array.ndim == 2:
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                              "shape": claim})
                data = header.getvalue() + data[-100:]
            archive.writestr(f"{key}.npy", data)
    return path


@pytest.mark.parametrize("name, change, claim, words", [
    ("units", lambda m: m["spec"]["model"]["layers"][0].__setitem__("units", 10**9), None, ["parameters"]),
    ("wide", lambda m: m.__setitem__("input_shape", [10**12]), None, ["input_shape"]),
    ("five", lambda m: m.__setitem__("input_shape", 5), None, ["input_shape"]),
    ("epoch", lambda m: m.__setitem__("epoch", [1]), None, ["epoch"]),
    ("claims-37-gb", None, (70000, 70000), ["declares shape"]),
])
def test_a_crafted_model_is_one_line_in_evaluate(model, tmp_path, name, change, claim, words):
    path = crafted(model, tmp_path / f"{name}.model.npz", change, claim)
    if claim:
        assert path.stat().st_size < 400_000
    one_line(tui_nn(tmp_path, "evaluate", str(path)), 2, str(path.name), *words)


def test_a_deeply_nested_set_value_is_one_line(tmp_path):
    one_line(tui_nn(tmp_path, "run", "lab-momentum", "--set", f"seed={DEEP}"), 2, "--set seed", "nested")
    one_line(tui_nn(tmp_path, "sweep", "lab-momentum", "--grid", f"seed={DEEP}"), 2, "--grid seed", "nested")
    one_line(tui_nn(tmp_path, "baseline", "darkness", "--set", f"data.path={DEEP}"), 2, "--set data.path", "nested")


@pytest.mark.parametrize("text", [f"seed = {DEEP}\n", "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n"])
@pytest.mark.parametrize("command", ["run", "sweep", "bench"])
def test_a_deep_spec_file_is_one_line_naming_it(tmp_path, text, command):
    spec = tmp_path / "deep.toml"
    spec.write_text(text)
    one_line(tui_nn(tmp_path, command, str(spec)), 2, "deep.toml", "nested")


def test_a_deep_user_preset_is_skipped_and_every_other_preset_works(tmp_path):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "deep.toml").write_text(f"a = {DEEP}\n")
    out = tui_nn(tmp_path, "presets")
    assert out.returncode == 0 and "first-look" in out.stdout and "Traceback" not in out.stderr
    one_line(out, 0, "skipped", "deep.toml", "nested")
    out = tui_nn(tmp_path, "run", "first-look", "--epochs", "1", *SMALL, "--quiet")
    assert out.returncode == 0 and "record:" in out.stdout, out.stderr
    one_line(tui_nn(tmp_path, "run", "deep"), 2, "deep.toml", "nested")


def test_runs_lists_the_good_runs_and_one_line_per_malformed_file(model, tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    good = json.loads((model.parent / "rec.json").read_text())
    good.pop("model")
    (runs / "good.json").write_text(json.dumps(good))

    def variant(name, change):
        record = json.loads(json.dumps(good))
        change(record)
        (runs / f"{name}.json").write_text(json.dumps(record))

    variant("final-a-string", lambda r: r.__setitem__("final", "x"))
    variant("accuracy-high", lambda r: r["final"].__setitem__("test_accuracy", "high"))
    variant("training-a-list", lambda r: r["spec"].__setitem__("training", [1]))
    variant("stray-model", lambda r: r.__setitem__("model", "../../../../etc/passwd"))
    (runs / "deep.json").write_text('{"a": ' + DEEP + "}")
    crafted(model, runs / "epoch.model.npz", lambda m: m.__setitem__("epoch", [1]))
    bad = ["final-a-string", "accuracy-high", "training-a-list", "stray-model", "deep", "epoch.model.npz"]
    for sort in ("started", "test"):
        out = tui_nn(tmp_path, "runs", "--json", "--sort", sort)
        assert out.returncode == 0 and [r["id"] for r in json.loads(out.stdout)] == ["good"], out.stderr
        skipped = out.stderr.strip().splitlines()
        assert len(skipped) == len(bad) and all(line.startswith("skipped: ") for line in skipped)
        assert all(any(name in line for line in skipped) for name in bad)
    out = tui_nn(tmp_path, "compare", "good")
    assert out.returncode == 0, out.stderr
    one_line(tui_nn(tmp_path, "compare", "good", "accuracy-high"), 2, "accuracy-high.json", "test_accuracy")


@pytest.mark.parametrize("command", [["evaluate", "{path}"], ["replay", "{path}"],
                                     ["run", "lab-momentum", "--resume", "{path}"]])
@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_an_input_that_is_not_a_file_is_refused_without_opening_it(tmp_path, command, kind):
    path = tmp_path / "input.npz"
    os.mkfifo(path) if kind == "pipe" else path.mkdir()  # reading a pipe nobody writes would wait forever
    one_line(tui_nn(tmp_path, *[arg.format(path=path) for arg in command]), 2, str(path), "not a regular file")
