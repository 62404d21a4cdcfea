"""The home list's expected score fits its six cells whatever the preset measures."""

from tui_nn.experiment.presets import builtin_presets
from tui_nn.tui.screens.presets import expect_cell


def test_every_builtin_presets_expected_score_fits_six_cells_and_says_what_it_is():
    cells = {p.key: expect_cell(p) for p in builtin_presets()}
    assert all(len(cell) <= 6 for cell in cells.values()), cells
    assert cells["nielsen-ch4-function"] == "R2 .98" and cells["playground-plane"] == "R2 .99"
    assert cells["notebook-or"] == "100%" and cells["first-look"] == "97.00%"


def test_a_sweep_that_varies_the_optimizer_says_so_where_the_optimizer_is_shown():
    presets = {p.key: p for p in builtin_presets()}
    swept = {key for key, p in presets.items() if p.sweep_varies("optimizer")}
    # ten optimizers, three learning rates, a grid of rates: no single optimizer to show
    assert {"lab-optimizers", "nielsen-ch3-learning-rates", "homework-search", "homework-digits-grid"} <= swept
    assert "nielsen-ch3-weight-init" not in swept and "first-look" not in swept  # its runs share one optimizer
    assert presets["nielsen-ch3-learning-rates"].sweep_summary() == "a sweep over optimizer.learning_rate (9 runs)"
    assert presets["lab-optimizers"].sweep_summary() == \
        "a sweep over 10 alternatives (sgd, momentum, nesterov, ...) (20 runs)"
    assert presets["first-look"].sweep_summary() == ""


def test_a_sweep_of_one_optimizers_settings_keeps_its_name_in_the_cell():
    presets = {p.key: p for p in builtin_presets()}
    assert presets["nielsen-ch3-learning-rates"].swept_optimizers() == {"sgd"}
    assert len(presets["lab-optimizers"].swept_optimizers()) == 10
    assert presets["first-look"].swept_optimizers() == {"adam"}


def test_a_sweep_over_the_model_says_so_beside_the_architecture():
    presets = {p.key: p for p in builtin_presets()}
    assert presets["nielsen-ch3-weight-init"].sweep_varies("model")  # units 30 and 100
    assert not presets["lab-optimizers"].sweep_varies("model")
