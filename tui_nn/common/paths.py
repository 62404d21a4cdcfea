"""Where tui_nn keeps the user's files: presets, runs, checkpoints, datasets and caches.

Everything lives under one home folder: the platform's user data folder (platformdirs), or
``$TUI_NN_HOME``, or the CLI's ``--home``. Paths are never resolved against the working directory.
The caches are the home's ``cache`` folder: decoded datasets (``idx-*.npz``, the few used last
are kept) and the measured thread plans (``threads.json``). Both are rebuilt when missing:
deleting them costs time, nothing else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
    """The caches' folder, inside the home."""
    return home(override) / "cache"


#: Decoded datasets in the cache folder: ``idx-<fingerprint of the source files>.npz``.
DECODED_DATASETS = "idx-*.npz"
#: Decoded datasets kept: the ones used last (a new one pushes out the least recently used).
DECODED_DATASETS_KEPT = 3
#: The measured thread plans in the cache folder (experiment/thread_choice.py).
THREAD_PLANS = "threads.json"


def decoded_dataset_file(cache: str | os.PathLike, fingerprint: str) -> Path:
    return Path(cache) / DECODED_DATASETS.replace("*", fingerprint)


@dataclass(frozen=True)
class CacheInfo:
    """One cache: what it holds, where (a file, or a file pattern in the cache folder), and what it
    takes on disk."""

    name: str
    path: Path
    bytes: int
    files: int


def caches(base: str | os.PathLike | None = None) -> list[CacheInfo]:
    """Each cache under the home ``base`` with its size (nothing is created)."""
    folder = cache_dir(base)
    decoded = [path for path in folder.glob(DECODED_DATASETS) if path.is_file()]
    plans = [path for path in (folder / THREAD_PLANS,) if path.is_file()]
    return [CacheInfo("decoded datasets", folder / DECODED_DATASETS, _bytes(decoded), len(decoded)),
            CacheInfo("thread plans", folder / THREAD_PLANS, _bytes(plans), len(plans))]


def _bytes(files: list[Path]) -> int:
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:  # removed meanwhile (another process pruning): it takes nothing now
            pass
    return total


def data_root(override: str | os.PathLike | None = None, base: str | os.PathLike | None = None) -> Path:
    """Root of datasets in torchvision's layout (ROOT/<Name>/raw/...)."""
    if override:
        return Path(override).expanduser().resolve()
    if os.environ.get(DATA_ROOT_ENV):
        return Path(os.environ[DATA_ROOT_ENV]).expanduser().resolve()
    return home(base) / "datasets"
