"""The caches: where they are, how big, and the decoded-dataset cache keeping the datasets used last."""

import json
import os
import struct
import time

import numpy as np

from tui_nn.common import paths
from tui_nn.data import load_dataset
from tui_nn.data.datasets import FILES


def write_folder(folder, seed: int) -> None:
    """Four small IDX files (6x5 images), different for each seed."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    arrays = {"train_images": rng.integers(0, 256, (20, 6, 5), dtype=np.uint8),
              "train_labels": (np.arange(20) % 10).astype(np.uint8),
              "test_images": rng.integers(0, 256, (10, 6, 5), dtype=np.uint8),
              "test_labels": (np.arange(10) % 10).astype(np.uint8)}
    for key, stem in FILES.items():
        array = arrays[key]
        header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
        (folder / stem).write_bytes(header + array.tobytes())


def cached(cache) -> set[str]:
    return {path.name for path in cache.glob(paths.DECODED_DATASETS)}


def test_the_cache_keeps_the_datasets_used_last(tmp_path):
    cache = tmp_path / "cache"
    folders = []
    for seed in range(5):
        folders.append(tmp_path / f"data{seed}")
        write_folder(folders[-1], seed)
    names = []
    for folder in folders[:3]:
        before = cached(cache)
        load_dataset("custom", path=folder, cache=cache)
        (name,) = cached(cache) - before
        names.append(name)
    # Used long ago, in the order 0, 1, 2 (set here: a file system's clock may not tell them apart).
    for age, name in zip((300, 200, 100), names):
        os.utime(cache / name, (time.time() - age, time.time() - age))
    load_dataset("custom", path=folders[0], cache=cache)  # read from the cache: used now
    assert cached(cache) == set(names)
    load_dataset("custom", path=folders[3], cache=cache)  # a fourth: the least recently used goes
    assert len(cached(cache)) == paths.DECODED_DATASETS_KEPT == 3
    assert names[0] in cached(cache) and names[1] not in cached(cache) and names[2] in cached(cache)
    again = load_dataset("custom", path=folders[1], cache=cache)  # decoded anew, still right
    assert again.train_images.shape == (20, 6, 5) and len(cached(cache)) == 3


def test_caches_lists_each_cache_with_its_size(tmp_path):
    assert [(c.name, c.bytes, c.files) for c in paths.caches(tmp_path)] == [("decoded datasets", 0, 0),
                                                                            ("thread plans", 0, 0)]
    assert not (tmp_path / "cache").exists()  # listing creates nothing
    write_folder(tmp_path / "data", 0)
    load_dataset("custom", path=tmp_path / "data", cache=paths.cache_dir(tmp_path))
    (paths.cache_dir(tmp_path) / paths.THREAD_PLANS).write_text(json.dumps({}))
    decoded, plans = paths.caches(tmp_path)
    (npz,) = (tmp_path / "cache").glob("idx-*.npz")
    assert (decoded.path.parent, decoded.files, decoded.bytes) == (tmp_path / "cache", 1, npz.stat().st_size)
    assert (plans.path, plans.files, plans.bytes) == (tmp_path / "cache" / "threads.json", 1, 2)


def test_the_caches_are_in_the_home(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    assert paths.cache_dir(tmp_path) == tmp_path.resolve() / "cache"
    assert paths.cache_dir() == paths.home() / "cache"
