"""Where tui_nn keeps the user's files: presets, runs, checkpoints, datasets and caches.

Everything lives under one home folder: the platform's user data folder (platformdirs), or
``$TUI_NN_HOME``, or the CLI's ``--home``. Paths are never resolved against the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "TUI_NN_HOME"
DATA_ROOT_ENV = "TUI_NN_DATA"


def home(override: str | os.PathLike | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser().resolve()
    return platformdirs.user_data_path("tui_nn", appauthor=False)


def presets_dir(base: Path) -> Path:
    return base / "presets"


def runs_dir(base: Path) -> Path:
    return base / "runs"


def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Decoded-dataset cache: inside the home when one is set explicitly, else the user cache folder."""
    if override or os.environ.get(HOME_ENV):
        return home(override) / "cache"
    return platformdirs.user_cache_path("tui_nn", appauthor=False)


def data_root(override: str | os.PathLike | None = None, base: str | os.PathLike | None = None) -> Path:
    """Root of datasets in torchvision's layout (ROOT/<Name>/raw/...)."""
    if override:
        return Path(override).expanduser().resolve()
    if os.environ.get(DATA_ROOT_ENV):
        return Path(os.environ[DATA_ROOT_ENV]).expanduser().resolve()
    return home(base) / "datasets"
