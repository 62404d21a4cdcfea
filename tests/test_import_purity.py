"""The engine, data and experiment layers never import a UI library (checked at run time)."""

import subprocess
import sys


def test_core_layers_import_no_ui_library():
    code = ("import sys, tui_nn.engine.train, tui_nn.engine.checkpoint, tui_nn.data, tui_nn.experiment.session, "
            "tui_nn.experiment.presets, tui_nn.experiment.replay, tui_nn.runs.sweep, "
            "tui_nn.render.textart, tui_nn.render.drawing, tui_nn.render.formatting, tui_nn.common.paths\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_linter_contracts_hold():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        import pytest
        pytest.skip("import-linter is not installed (dev extra)")
    out = subprocess.run([str(lint)], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
