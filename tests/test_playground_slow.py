"""The playground presets against their rows (H3-H5, N20, P1-P6), in full: ``python -m pytest -m slow``.
Seconds each; the floors are the rows' own numbers."""

from pathlib import Path

import pytest

from tui_nn.engine.events import EpochEnd
from tui_nn.experiment.presets import read_preset_file
from tui_nn.experiment.session import prepare

PRESETS = Path(__file__).resolve().parents[1] / "presets"

# key: (the metric, the floor it must reach, or the ceiling it must stay under)
ROWS = {
    "notebook-or": ("test_accuracy", 1.0, None),           # H3: a line separates OR
    "notebook-xor-linear": ("test_accuracy", None, 0.75),   # H4: at most 3 of 4
    "notebook-xor-relu": ("test_accuracy", 1.0, None),      # H5: all 4 (at the preset's seed)
    "nielsen-ch4-function": ("test_r2", 0.98, None),        # N20: beats scikit-learn's best 0.97
    "playground-circle": ("test_accuracy", 0.99, None),
    "playground-xor": ("test_accuracy", 0.99, None),
    "playground-gauss": ("test_accuracy", 0.99, None),
    "playground-spiral": ("test_accuracy", 0.95, None),
    "playground-plane": ("test_r2", 0.99, None),
    "playground-multi-gauss": ("test_r2", 0.95, None),
}


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(ROWS))
def test_playground_preset_meets_its_row(key, tmp_path):
    metric, floor, ceiling = ROWS[key]
    spec = read_preset_file(PRESETS / f"{key}.toml", builtin=True).spec
    final = [e for e in prepare(spec, str(tmp_path)).events() if isinstance(e, EpochEnd)][-1]
    value = final.metrics()[metric]
    assert floor is None or value >= floor, f"{key}: {metric} {value:.4f} < {floor}"
    assert ceiling is None or value <= ceiling, f"{key}: {metric} {value:.4f} > {ceiling}"
