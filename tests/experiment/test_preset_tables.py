"""Presets of tables: the architecture counts the features the network really takes, and
``expected`` is a regression's test R^2 where a classification's is its test accuracy."""

import tomllib
from pathlib import Path

import pytest

from tui_nn.experiment.presets import parse_preset, read_preset_file
from tui_nn.experiment.spec.parse import SpecError

PRESETS = Path(__file__).resolve().parents[2] / "presets"


def preset(key, **meta):
    raw = tomllib.loads((PRESETS / f"{key}.toml").read_text())
    return parse_preset({**raw, **meta}, key)


def test_the_architecture_counts_the_features_it_trains_on():
    assert read_preset_file(PRESETS / "playground-xor.toml").architecture() == "[3,4,2,1]"  # x1, x2, x1*x2
    assert read_preset_file(PRESETS / "playground-spiral.toml").architecture() == "[2,16,16,16,1]"
    assert read_preset_file(PRESETS / "nielsen-ch4-function.toml").architecture() == "[1,200,1]"


def test_a_csv_with_no_model_is_fitted_when_read(tmp_path):
    raw = {"data": {"path": str(tmp_path / "t.csv"), "target": "y"}}
    assert parse_preset(raw, "t").architecture() == "fitted to the table"


def test_expected_is_a_regressions_r2_and_a_classifications_accuracy():
    plane = preset("playground-plane", expected=0.99)
    assert plane.regression and plane.expected_text() == "R^2 0.99"
    assert preset("playground-plane", expected=-0.5).expected_text() == "R^2 -0.5"  # worse than the mean
    circle = preset("playground-circle", expected=0.99)
    assert not circle.regression and circle.expected_text() == "99.00%"
    with pytest.raises(SpecError, match="test R\\^2 of this regression, a number at most 1"):
        preset("playground-plane", expected=1.5)
    with pytest.raises(SpecError, match="test accuracy as a fraction in \\[0, 1\\]"):
        preset("playground-circle", expected=-0.5)
