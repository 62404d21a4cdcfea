"""Full accuracy runs of the classic presets (minutes each): ``python -m pytest -m slow``."""

import pytest

from tui_nn.engine.events import EpochEnd
from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.session import prepare

CHECKED = [p for p in builtin_presets() if p.expected is not None and p.key != "best-mlp"]


@pytest.mark.slow
@pytest.mark.parametrize("preset", CHECKED, ids=lambda p: p.key)
def test_preset_reaches_its_reference_accuracy(preset, mnist):
    final = [e for e in prepare(preset.spec, dataset=mnist).events() if isinstance(e, EpochEnd)][-1]
    # Rows the book reports on the validation set are compared on the validation set.
    measured = final.val_accuracy if "validation" in preset.description else final.test_accuracy
    assert measured >= preset.expected - 0.005, f"{preset.key}: {measured:.4f} vs {preset.expected:.4f}"
