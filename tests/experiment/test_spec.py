import tomllib

import pytest
import tomli_w

from tui_nn.experiment.presets import builtin_presets, parse_preset, preset_to_toml
from tui_nn.experiment.spec import Spec, parse_spec, set_dotted, spec_to_dict


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
