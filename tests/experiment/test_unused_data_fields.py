"""A data field the spec's kind of data does not read is refused, not ignored: a table's fields for
images, an image's (normalization, augmentation, download) for a table; each is hidden in the editor
while it is left out."""

import pytest

from tui_nn.experiment.presets import find_preset
from tui_nn.experiment.spec.data_checks import unused_data_fields
from tui_nn.experiment.spec.parse import parse_spec, spec_to_dict

IMAGE = ("data.normalization", "standard"), ("data.download", True), ("data.augment.shift", 2), \
    ("data.augment.rotate", 10.0), ("data.augment.expand", "shift1")
TABLE = ("data.noise", 5.0), ("data.points", 100), ("data.target", "y"), ("data.gate", "and")


def problems_with(spec, path: str, value) -> list[str]:
    raw = spec_to_dict(spec)
    node = raw
    *head, last = path.split(".")
    for part in head:
        node = node.setdefault(part, {})
    node[last] = value
    return [problem.path for problem in parse_spec(raw)[1]]


@pytest.mark.parametrize("path,value", IMAGE, ids=[p for p, _ in IMAGE])
def test_an_images_field_set_for_a_generated_table_is_refused(tmp_path, path, value):
    plane = find_preset("playground-plane", tmp_path).spec
    assert path in problems_with(plane, path, value)
    assert path.removeprefix("data.") in unused_data_fields(plane)


@pytest.mark.parametrize("path,value", TABLE, ids=[p for p, _ in TABLE])
def test_a_tables_field_set_for_images_is_refused(tmp_path, path, value):
    mnist = find_preset("first-look", tmp_path).spec
    assert path in problems_with(mnist, path, value)
    assert path.removeprefix("data.") in unused_data_fields(mnist)


def test_each_kind_reads_its_own_fields(tmp_path):
    mnist = find_preset("first-look", tmp_path).spec
    plane = find_preset("playground-plane", tmp_path).spec
    assert not {"normalization", "download", "augment.shift"} & unused_data_fields(mnist)
    assert not {"noise", "points", "train_fraction"} & unused_data_fields(plane)
    for path, value in (("data.normalization", "standard"), ("data.augment.shift", 2)):
        assert path not in problems_with(mnist, path, value)
    assert "data.noise" not in problems_with(plane, "data.noise", 5.0)


def test_a_recorded_tables_image_fields_are_left_out_so_old_runs_still_open(tmp_path):
    """Before they were refused, an image's fields on a table were accepted and did nothing: a run
    recorded so still replays, and its model still opens."""
    from tui_nn.experiment.spec.parse import parse_recorded_spec

    raw = spec_to_dict(find_preset("playground-plane", tmp_path).spec)
    raw["data"]["augment"] = {**raw["data"].get("augment", {}), "shift": 2}
    raw["data"]["normalization"] = "standard"
    assert parse_spec(raw)[1]  # as a spec to run: refused
    spec, problems = parse_recorded_spec(raw)
    assert not problems and spec.data.augment.shift == 0 and spec == find_preset("playground-plane", tmp_path).spec
    mnist = spec_to_dict(find_preset("first-look", tmp_path).spec)
    mnist["data"]["augment"] = {**mnist["data"].get("augment", {}), "shift": 2}
    assert parse_recorded_spec(mnist)[0].data.augment.shift == 2  # an image's are its own


def test_a_table_run_recorded_with_an_images_field_replays(tmp_path):
    import json

    from tui_nn.cli.main import main
    from tui_nn.experiment.replay import replay

    record_path = tmp_path / "plane.json"
    assert main(["--home", str(tmp_path), "run", "playground-plane", "--quiet", "--epochs", "2",
                 "--record", str(record_path)]) == 0
    record = json.loads(record_path.read_text())
    record["spec"]["data"]["augment"] = {**record["spec"]["data"].get("augment", {}), "shift": 2}
    compared, differences = replay(record, home=str(tmp_path))
    assert compared == 2 and not differences


@pytest.mark.parametrize("raw", ["junk", [1, 2], None, {"data": {"path": 12, "dataset": ["plane"]}}])
def test_a_recorded_spec_that_is_no_spec_is_named_not_a_traceback(raw):
    from tui_nn.experiment.spec.parse import parse_recorded_spec

    problems = parse_recorded_spec(raw)[1]
    assert problems and all(isinstance(problem.allowed, str) for problem in problems)
