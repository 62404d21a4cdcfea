"""One hostile file among good ones: skipped with a line naming it, and everything else still works."""

import io
import json
import re
import struct
import zipfile

import pytest

from tui_nn.common import paths
from tui_nn.experiment.models import ModelError, load_model, model_bytes, read_model_meta
from tui_nn.experiment.presets import all_presets, find_preset, user_presets
from tui_nn.experiment.records import read_record
from tui_nn.experiment.thread_choice import _read_cache
from tui_nn.runs.folder import load_runs, sort_runs

from .test_models import DENSE, network_for, rewritten

GOOD = {"format": 1, "preset": "tiny", "spec": {"optimizer": {"name": "sgd", "learning_rate": 0.1}}, "seed": 1,
        "started": "2026-12-01T10:00:00+00:00", "status": "completed", "epochs": [{"epoch": 1, "test_accuracy": 0.5}],
        "final": {"test_accuracy": 0.5}, "wall_seconds": 1.0}
HOSTILE = {
    "final-a-string": {**GOOD, "final": "great"},
    "accuracy-as-text": {**GOOD, "final": {"test_accuracy": "high"}},
    "training-a-list": {**GOOD, "spec": {"training": [1, 2]}},
    "model-outside": {**GOOD, "model": "../../../../etc/passwd"},
    "status-a-number": {**GOOD, "status": 3},
    "events-not-tables": {**GOOD, "events": [1]},
    "deep": None,  # written as JSON nested 5,000 deep
}


def write(folder, name, value):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"20261201-1000{len(list(folder.iterdir())):02d}-000000-{name}.json"
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return path


def test_bad_records_are_named_and_the_good_ones_still_listed_and_sorted(tmp_path):
    runs_folder = paths.runs_dir(tmp_path)
    good = write(runs_folder, "good", GOOD)
    for name, record in HOSTILE.items():
        write(runs_folder, name, "[" * 5000 + "]" * 5000 if record is None else record)
    runs, problems = load_runs(tmp_path)
    assert [run.path for run in runs] == [good]
    assert len(problems) == len(HOSTILE)
    for name in HOSTILE:
        assert any(name in line for line in problems), (name, problems)
    for key in ("started", "test", "val", "preset", "status", "seconds"):
        assert sort_runs(runs, key)[0].path == good


def test_a_model_name_must_be_a_file_beside_the_record(tmp_path):
    path = write(tmp_path, "outside", HOSTILE["model-outside"])
    with pytest.raises(ValueError, match="'model' is '../../../../etc/passwd'"):
        read_record(path)


def good_model(tmp_path):
    network, spec = network_for(DENSE, (144,))
    path = tmp_path / "20261201-100000-000000-m.model.npz"
    path.write_bytes(model_bytes(network, spec, tuple("0123456789"), {}, 1))
    return path


@pytest.mark.parametrize("change,message,listed", [
    (lambda meta, arrays: meta.update(epoch=[1]), "epoch is [1]", False),
    (lambda meta, arrays: meta.update(input_shape=[10**12]), "more than", False),
    (lambda meta, arrays: meta.update(input_shape=5), "input_shape is 5", False),
    (lambda meta, arrays: meta.update(data=json.loads("[" * 200 + "]" * 200)), "nested more than", False),
    (lambda meta, arrays: meta["spec"]["model"]["layers"][0].update(units=10**9), "the spec makes 155000000010 parameters, the file holds 2490", True),
])
def test_crafted_model_files_are_refused_before_anything_is_allocated(tmp_path, change, message, listed):
    path = good_model(tmp_path)
    rewritten(path, change)
    with pytest.raises(ModelError, match=re.escape(message)):
        load_model(path)
    runs, problems = load_runs(tmp_path, folder=tmp_path)  # a line naming it, or a row that opens to an error
    if listed:
        assert [run.path for run in runs] == [path] and problems == []
    else:
        assert runs == [] and len(problems) == 1 and path.name in problems[0]


def test_an_array_header_that_claims_more_than_the_file_holds_is_refused(tmp_path):
    path = good_model(tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in members if n.startswith("param/"))
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    members[name] = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\0" * 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ModelError, match=r"declares shape \(100000, 100000\) \(40000000000 bytes\) but holds 16"):
        read_model_meta(path)


def test_a_deeply_nested_user_preset_is_named_and_every_other_preset_still_works(tmp_path):
    folder = paths.presets_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "deep.toml").write_text("seed = " + "[" * 5000 + "]" * 5000 + "\n")
    (folder / "mine.toml").write_text('name = "mine"\nseed = 4\n')
    presets, errors = user_presets(tmp_path)
    assert [p.key for p in presets] == ["mine"] and len(errors) == 1 and "deep.toml" in str(errors[0])
    assert "nested more than" in str(errors[0])
    assert find_preset("first-look", tmp_path).key == "first-look"
    assert any(p.key == "mine" for p in all_presets(tmp_path))


@pytest.mark.parametrize("cache", ['{"k": {"blas": "x", "parts": 1}}', '{"k": {"blas": 1, "parts": [2]}}',
                                   '{"k": {"blas": null, "parts": 1, "measured_at": "now"}}', "[" * 5000, "[]"])
def test_a_mistyped_thread_cache_is_measured_anew(tmp_path, cache):
    (tmp_path / "threads.json").write_text(cache)
    assert _read_cache(tmp_path) == {}


def test_a_named_pipe_in_the_home_is_named_not_read_forever(tmp_path):
    import os

    runs_folder = paths.runs_dir(tmp_path)
    good = write(runs_folder, "good", GOOD)
    os.mkfifo(runs_folder / "20261201-100500-000000-pipe.json")
    os.mkfifo(runs_folder / "20261201-100600-000000-pipe.model.npz")
    presets_folder = paths.presets_dir(tmp_path)
    presets_folder.mkdir(parents=True)
    os.mkfifo(presets_folder / "pipe.toml")
    runs, problems = load_runs(tmp_path)
    assert [run.path for run in runs] == [good] and len(problems) == 2
    assert all("a named pipe, not a regular file" in line for line in problems), problems
    presets, errors = user_presets(tmp_path)
    assert presets == [] and "a named pipe" in str(errors[0])
