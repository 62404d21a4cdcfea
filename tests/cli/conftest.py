"""Fixtures shared by the CLI tests."""

import pytest

from .hostile import SMALL, tui_nn


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A finished run's model on 28x28 digits."""
    folder = tmp_path_factory.mktemp("model")
    out = tui_nn(folder, "run", "lab-momentum", "--epochs", "1", *SMALL, "--record", str(folder / "rec.json"))
    assert out.returncode == 0, out.stderr
    return folder / "rec.model.npz"
