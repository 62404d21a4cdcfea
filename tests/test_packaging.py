"""The wheel carries every built-in preset of presets/, the bundled data, and every package."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_package_list_names_every_package_folder():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "tui_nn").rglob("__init__.py")}
    assert listed == found | {"tui_nn.presets"}


def test_the_wheel_holds_every_preset_and_the_bundled_mnist(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("tui_nn-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    presets = {f"tui_nn/presets/{path.name}" for path in (REPO / "presets").glob("*.toml")}
    assert len(presets) >= 35 and presets <= names
    assert {f"tui_nn/data/bundled/mnist/{stem}.gz" for stem in (
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")} <= names
