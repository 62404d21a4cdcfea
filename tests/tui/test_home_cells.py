"""The home list's expected score fits its six cells whatever the preset measures."""

from tui_nn.experiment.presets import builtin_presets
from tui_nn.tui.screens.presets import expect_cell


def test_every_builtin_presets_expected_score_fits_six_cells_and_says_what_it_is():
    cells = {p.key: expect_cell(p) for p in builtin_presets()}
    assert all(len(cell) <= 6 for cell in cells.values()), cells
    assert cells["nielsen-ch4-function"] == "R2 .98" and cells["playground-plane"] == "R2 .99"
    assert cells["notebook-or"] == "100%" and cells["first-look"] == "97.00%"
