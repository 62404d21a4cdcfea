import tomllib

import pytest
import tomli_w

from tui_nn.experiment.presets import builtin_presets, parse_preset, preset_to_toml
from tui_nn.experiment.spec.schema import Spec
from tui_nn.experiment.spec.parse import parse_spec, spec_to_dict
from tui_nn.experiment.spec.dotted import set_dotted


def test_default_spec_round_trips():
    text = tomli_w.dumps(spec_to_dict(Spec()))
    spec, problems = parse_spec(tomllib.loads(text))
    assert problems == [] and spec == Spec() and tomli_w.dumps(spec_to_dict(spec)) == text


@pytest.mark.parametrize("preset", builtin_presets(), ids=lambda p: p.key)
def test_every_builtin_preset_validates_and_round_trips_identically(preset):
    text = preset.path.read_text()
    again = parse_preset(tomllib.loads(text), preset.key, builtin=True)
    assert preset_to_toml(again) == text
    assert preset.reference and preset.description


def test_every_problem_is_reported_at_once_with_path_value_and_allowed():
    raw = {"optimizer": {"name": "adam", "learning_rate": 0, "betta_1": 0.9},
           "model": {"layers": [{"type": "dense", "units": -3, "activation": "relu"},
                                {"type": "dropout", "rate": 1.5},
                                {"type": "dense", "units": 10, "activation": "sigmoid"}],
                     "loss": "log_likelihood"},
           "training": {"batch_size": 0, "early_stopping": {"patience": 3}},
           "data": {"validation_size": 0}}
    _, problems = parse_spec(raw)
    paths = {p.path for p in problems}
    assert {"optimizer.learning_rate", "optimizer.betta_1", "model.layers[0].units", "model.layers[1].rate",
            "model.layers[2].activation", "training.batch_size", "training.monitor"} <= paths
    beta = next(p for p in problems if p.path == "optimizer.betta_1")
    assert "did you mean 'beta_1'" in beta.allowed


def test_optimizer_defaults_are_filled_in_and_schedule_settings_checked():
    spec, problems = parse_spec({"optimizer": {"name": "momentum"},
                                 "training": {"schedule": {"name": "step", "every": 5}}})
    assert problems == []
    assert spec.optimizer.hyper == {"learning_rate": 0.01, "momentum": 0.9, "nesterov": False}
    assert spec.training.schedule.settings == {"every": 5, "factor": 0.5}


def test_set_dotted_reaches_into_layer_lists():
    raw = spec_to_dict(Spec())
    set_dotted(raw, "model.layers.0.units", 77)
    set_dotted(raw, "optimizer.momentum", 0.5)
    assert raw["model"]["layers"][0]["units"] == 77 and raw["optimizer"]["momentum"] == 0.5


def _conv_spec(*layers, **data):
    return parse_spec({"model": {"layers": list(layers) + [{"type": "dense", "units": 10, "activation": "softmax"}],
                                 "loss": "log_likelihood"}, "data": data})


def test_conv_and_pooling_layers_take_their_own_fields_with_defaults():
    spec, problems = _conv_spec({"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same"},
                                {"type": "maxpool2d", "size": 3}, {"type": "avgpool2d"}, {"type": "flatten"})
    assert problems == []
    conv, maxpool, avgpool, flatten = spec.model.layers[:4]
    assert (conv.filters, conv.kernel, conv.stride, conv.padding, conv.activation) == (8, 3, 1, "same", "relu")
    assert (maxpool.size, maxpool.stride) == (3, 3)  # windows side by side unless a stride is given
    assert (avgpool.size, avgpool.stride) == (2, 2)
    layers = spec_to_dict(spec)["model"]["layers"]
    assert layers[0] == {"type": "conv2d", "filters": 8, "kernel": 3, "stride": 1, "padding": "same",
                         "activation": "relu"}
    assert layers[1] == {"type": "maxpool2d", "size": 3, "stride": 3} and layers[3] == {"type": "flatten"}
    again, problems = parse_spec(tomllib.loads(tomli_w.dumps(spec_to_dict(spec))))
    assert problems == [] and again == spec


@pytest.mark.parametrize("layer, path, allowed", [
    ({"type": "conv2d", "kernel": 3}, "model.layers[0].filters", "needs filters"),
    ({"type": "conv2d", "filters": 4, "padding": "full"}, "model.layers[0].padding", "one of valid, same"),
    ({"type": "conv2d", "filters": 4, "stride": 0}, "model.layers[0].stride", "from 1 to 64"),
    ({"type": "conv2d", "filters": 4, "units": 3}, "model.layers[0].units", "not a field of a conv2d layer"),
    ({"type": "maxpool2d", "size": 0}, "model.layers[0].size", "from 1 to 64"),
    ({"type": ["conv2d"]}, "model.layers[0].type", "must be a string"),
])
def test_bad_conv_fields_name_the_field(layer, path, allowed):
    _, problems = _conv_spec(layer)
    assert any(p.path == path and allowed in p.allowed for p in problems), problems


def test_a_layer_that_does_not_fit_is_one_shape_problem_naming_layer_and_shapes():
    _, problems = _conv_spec({"type": "conv2d", "filters": 20, "kernel": 5}, {"type": "maxpool2d"},
                             {"type": "conv2d", "filters": 40, "kernel": 13})
    assert [str(p) for p in problems] == [
        'model.layers[2] (conv2d 40x13x13): a 12x12 input leaves nothing for a 13x13 kernel; '
        'use a kernel of at most 12 or padding = "same"']
    assert problems[0].at_field().startswith("a 12x12 input")


def test_a_folder_dataset_is_shape_checked_once_its_shape_is_known():
    from tui_nn.experiment.spec.parse import check_spec

    spec, problems = _conv_spec({"type": "conv2d", "filters": 4, "kernel": 9}, path="/somewhere")
    assert problems == []  # the folder's image size is not known before it is loaded
    assert "an 8x8 input leaves nothing for a 9x9 kernel" in str(check_spec(spec, 10, (8, 8))[0])


def _user_preset(home, name, text):
    folder = home / "presets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())


def test_bad_user_presets_are_listed_as_broken_and_the_rest_still_load(tmp_path):
    from tui_nn.experiment.presets import find_preset, user_presets

    _user_preset(tmp_path, "minutes-text.toml", 'minutes = "abc"\n')
    _user_preset(tmp_path, "minutes-list.toml", "minutes = [1]\n")
    _user_preset(tmp_path, "not-utf8.toml", b"name = '\xff\xfe'\n")
    _user_preset(tmp_path, "empty.toml", "  \n")
    _user_preset(tmp_path, "nielsen-ch1.toml", 'name = "mine"\n')  # a built-in's key
    _user_preset(tmp_path, "escape.toml", 'name = "bad\\u001b[31m"\n')
    _user_preset(tmp_path, "fine.toml", 'description = "ok"\n')
    presets, errors = user_presets(tmp_path)
    assert [p.key for p in presets] == ["fine"]
    reasons = {error.source.rsplit("/", 1)[-1]: str(error) for error in errors}
    assert "must be the run time in minutes" in reasons["minutes-text.toml"]
    assert "must be the run time in minutes" in reasons["minutes-list.toml"]
    assert "not UTF-8" in reasons["not-utf8.toml"] and "is empty" in reasons["empty.toml"]
    assert "built-in preset's name" in reasons["nielsen-ch1.toml"]
    assert "control characters" in reasons["escape.toml"] and "\x1b" not in reasons["escape.toml"]
    assert find_preset("nielsen-ch1", tmp_path).builtin  # the built-in is not shadowed


def test_a_preset_name_ending_in_a_newline_is_refused():
    from tui_nn.experiment.presets import check_preset_name

    assert check_preset_name("good-name") is None
    assert check_preset_name("name\n") is not None and check_preset_name("a/b") is not None


def test_a_hidden_softmax_is_a_problem_not_a_crash():
    raw = {"model": {"layers": [{"type": "dense", "units": 10, "activation": "softmax"},
                                {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"}}
    _, problems = parse_spec(raw)
    assert [str(p) for p in problems] == ["model.layers[0].activation = 'softmax': softmax is only for the output layer"]


def test_a_mistyped_preset_name_suggests_the_closest_one(tmp_path):
    import pytest as _pytest

    from tui_nn.experiment.presets import find_preset
    from tui_nn.experiment.spec.parse import SpecError as _SpecError

    with _pytest.raises(_SpecError, match="no such preset or file; did you mean lab-adam"):
        find_preset("lab-adm", tmp_path)


def test_an_unknown_key_reads_as_a_sentence_and_suggests_the_field():
    _, problems = parse_spec({"optimizer": {"name": "sgd", "lr": 0.1}})
    assert str(problems[0]).startswith("optimizer.lr is not a field; did you mean 'learning_rate'? The fields here are")
    _, problems = parse_spec({"optimizer": {"name": "sgd", "zzz": 0.1}})
    assert str(problems[0]).startswith("optimizer.zzz is not a field; the fields here are name, learning_rate")
