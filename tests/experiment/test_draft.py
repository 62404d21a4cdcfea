"""The editor's draft without a screen: fields by path, layers kept across a change of type, its check."""

from tui_nn.experiment.draft import Draft, LayerDraft, parse_text
from tui_nn.experiment.presets import find_preset
from tui_nn.experiment.spec.parse import spec_to_dict


def test_a_draft_holds_the_spec_it_was_made_from(tmp_path):
    spec = find_preset("nielsen-ch6-dropout", tmp_path).spec
    draft = Draft(spec, "words")
    assert draft.to_raw() == spec_to_dict(spec)
    check = draft.check()
    assert not check.problems and check.spec == spec and check.all_layers_fit
    assert [s.parameters for s in check.layers][:3] == [520, 0, 20_040]


def test_fields_are_set_by_path_and_an_emptied_size_is_left_out_again(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    before = draft.state()
    draft.set("data.train_size", parse_text("3000", int | None))
    draft.set("optimizer.learning_rate", 0.5)
    assert draft.check().spec.data.train_size == 3000 and draft.check().spec.optimizer.learning_rate == 0.5
    draft.set("optimizer.learning_rate", before[0]["optimizer"]["learning_rate"])
    draft.set("data.train_size", parse_text("", int | None))
    assert draft.state() == before  # nothing left over: no unsaved change


def test_text_that_is_no_number_is_kept_and_named_by_the_check(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("training.epochs", parse_text("ten", int))
    draft.layers[0].set_text("units", "x")
    paths = {problem.path for problem in draft.check().problems}
    assert paths == {"training.epochs", "model.layers[0].units"}
    assert draft.check().layers == []  # no shapes while a layer's field is invalid


def test_another_optimizer_or_schedule_starts_from_its_own_defaults(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    assert not draft.choose_optimizer(draft.optimizer["name"])  # the same: kept as it is
    assert draft.choose_schedule("step") and draft.schedule == {"name": "step", "every": 10, "factor": 0.5}
    draft.set("training.schedule.every", 3)
    assert draft.check().spec.training.schedule.settings == {"every": 3, "factor": 0.5}


def test_a_layer_keeps_its_fields_across_a_change_of_type_and_only_its_own_reach_the_spec():
    layer = LayerDraft({"type": "dense", "units": 64, "activation": "softmax"})
    layer.retype("conv2d")
    assert layer.table() == {"type": "conv2d", "filters": 20, "kernel": 5, "stride": 1, "padding": "valid",
                             "activation": "relu"}
    layer.retype("maxpool2d")
    assert layer.table() == {"type": "maxpool2d", "size": 2, "stride": 2}  # a pool's stride is its window
    layer.retype("dense")
    assert layer.table() == {"type": "dense", "units": 64, "activation": "relu"} and layer.label() == "dense 64"


def test_layers_are_added_removed_and_moved_in_place(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    first, last = draft.layers
    added = draft.add_layer(1)
    assert draft.layers == [first, added, last] and added.table() == {"type": "dense", "units": 30,
                                                                       "activation": "relu"}
    assert draft.move_layer(1, -1) and draft.layers == [added, first, last]
    assert not draft.move_layer(0, -1)
    assert draft.remove_layer(0) is added and draft.layers == [first, last]


def test_a_named_dataset_that_is_not_on_the_machine_is_a_problem_at_its_field(tmp_path):
    from tui_nn.experiment.spec.parse import parse_spec as _parse

    spec, problems = _parse({"data": {"dataset": "fashion-mnist"}})
    assert not problems
    draft = Draft(spec, "words", data_root=tmp_path)
    found = [p for p in draft.check().problems if p.path == "data.dataset"]
    assert found and "fashion-mnist is not on this machine" in found[0].allowed
    draft.set("data.download", True)  # fetched when the run starts: nothing missing
    assert not [p for p in draft.check().problems if p.path == "data.dataset"]
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        (raw / name).write_bytes(b"")
    draft.set("data.download", False)
    assert not [p for p in draft.check().problems if p.path == "data.dataset"]  # its files are there


def test_a_batch_larger_than_the_training_set_is_a_note_not_a_problem(tmp_path):
    from tui_nn.experiment.spec.parse import parse_spec as _parse

    spec, _ = _parse({"data": {"train_size": 100}, "training": {"batch_size": 500}})
    check = Draft(spec, "words").check()
    assert check.problems == [] and check.warnings == [
        "the batch (500) is larger than the training set (100): one step an epoch"]
    spec, _ = _parse({"data": {"train_size": 1000}, "training": {"batch_size": 500}})
    assert Draft(spec, "words").check().warnings == []


def test_a_field_typed_back_to_the_value_it_had_left_out_is_no_change(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)  # an image spec: noise is left out
    before = draft.state()
    draft.set("data.noise", 5.0)
    assert draft.state() != before
    draft.set("data.noise", 0)
    assert draft.state() == before
