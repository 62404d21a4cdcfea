"""Full accuracy runs of the classic presets (minutes each): ``python -m pytest -m slow``."""

import pytest

from tui_nn.engine.events import EpochEnd
from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.session import prepare
from tui_nn.experiment.spec.data_checks import spec_data_facts

# A sweep preset's base run is one of the presets checked here already; the tables (generated data,
# CSV files) are checked against their own rows in test_playground_slow.py.
CHECKED = [p for p in builtin_presets() if p.expected is not None and p.key != "best-mlp" and not p.sweep
           and not spec_data_facts(p.spec).table]
TOLERANCE = 0.005
# Rows that land further from the published single run, for the reasons docs/presets.md gives under the
# presets table (measured over seeds 1-3); wider, but still a floor that catches a regression.
WIDER = {
    "nielsen-ch3-l2": 0.012,           # 95.42-95.82% over seeds vs the book's 96.49%
    "nielsen-ch3-overfitting": 0.015,  # the 1,000-image plateau moves between 81.1% and 83.2% with the seed
    "lab-adam": 0.006,                 # 95.06% at epoch 40 (95.60% at epoch 39)
}


@pytest.mark.slow
@pytest.mark.timeout(6 * 3600)  # a full run of the largest preset takes hours on two cores
@pytest.mark.parametrize("preset", CHECKED, ids=lambda p: p.key)
def test_preset_reaches_its_reference_accuracy(preset, mnist):
    final = [e for e in prepare(preset.spec, dataset=mnist).events() if isinstance(e, EpochEnd)][-1]
    # Rows the book reports on the validation set are compared on the validation set.
    measured = final.val_accuracy if "validation" in preset.description else final.test_accuracy
    floor = preset.expected - WIDER.get(preset.key, TOLERANCE)
    assert measured >= floor, f"{preset.key}: {measured:.4f} vs {preset.expected:.4f}"
