"""Datasets by name or folder: the bundled MNIST, torchvision-layout copies, downloads, a decode cache."""

from __future__ import annotations

import hashlib
import io
import os
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..common.atomic import atomic_write_bytes
from ..common.npz import npz_problem
from ..common.paths import DECODED_DATASETS, DECODED_DATASETS_KEPT, decoded_dataset_file
from .idx import IdxError, idx_header, read_idx

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


class DatasetError(ValueError):
    """A dataset that cannot be found or does not make sense; the message says what to do."""


@dataclass(frozen=True)
class KnownDataset:
    name: str
    torchvision_class: str
    mirrors: tuple[str, ...]
    md5: dict[str, str]  # of the gzipped files the mirrors serve
    class_names: tuple[str, ...]


KNOWN: dict[str, KnownDataset] = {
    "mnist": KnownDataset(
        "mnist", "MNIST",
        ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
        {"train_images": "f68b3c2dcbeaaa9fbdd348bbdeb94873", "train_labels": "d53e105ee54ea40749a09fcbcd1e9432",
         "test_images": "9fb629c4189551a2d022fa330f9573f3", "test_labels": "ec29112dd5afa0611ce80d1b7f02629c"},
        tuple(str(d) for d in range(10))),
    "fashion-mnist": KnownDataset(
        "fashion-mnist", "FashionMNIST", ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
        {"train_images": "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "train_labels": "25c81989df183df01b3e8a0aad5dffbe",
         "test_images": "bef4ecab320f06d8554ea6380940ec79", "test_labels": "bb300cfdad3c16e7a12a480ee83cd310"},
        ("T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot")),
    "kmnist": KnownDataset(
        "kmnist", "KMNIST", ("http://codh.rois.ac.jp/kmnist/dataset/kmnist/",),
        {"train_images": "bdb82020997e1d708af4cf47b453dcf7", "train_labels": "e144d726b3acfaa3e44228e80efcd344",
         "test_images": "5c965bf0a639b31b8f53240b1b52f4d7", "test_labels": "7320c461ea6c1c855c0b718fb2a4b134"},
        ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")),
}


@dataclass(frozen=True)
class Dataset:
    """Images as uint8 (N, H, W) and labels as uint8 (N,), exactly as stored in the files; or a
    table (``columns`` names its input columns): rows of raw numbers (N, F) as float64 and targets,
    class indices or (``task = "regression"``, no classes) float64 values (data/table.py)."""

    name: str
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    classes: int
    class_names: tuple[str, ...]
    source: str
    task: str = "classification"
    columns: tuple[str, ...] = ()

    @property
    def image_shape(self) -> tuple[int, ...]:
        """One sample's shape as stored: (H, W) for images, (F,) for a table's rows."""
        return tuple(self.train_images.shape[1:])

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


def bundled_mnist_folder() -> Path:
    return Path(str(resources.files("tui_nn.data") / "bundled" / "mnist"))


def find_files(folder: Path) -> dict[str, Path] | None:
    """The four IDX files in ``folder``, plain or ``.gz``; None when any is missing."""
    found = {}
    for key, stem in FILES.items():
        candidates = [folder / stem, folder / f"{stem}.gz"]
        match = next((c for c in candidates if c.is_file()), None)
        if match is None:
            return None
        found[key] = match
    return found


@dataclass(frozen=True)
class FolderSummary:
    """What a folder of IDX files holds, read from the headers (and the small label files)."""

    image_shape: tuple[int, int]
    train: int
    test: int
    classes: int


def peek_folder(path: str | os.PathLike) -> FolderSummary:
    """Check a data folder without loading its images: the four files present and readable,
    images (N, H, W) of bytes, as many labels as images, the same image size in both files.
    Raises ``DatasetError`` naming the folder or file and what is wrong."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise DatasetError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    files = find_files(folder)
    if files is None:
        missing = [stem for stem in FILES.values() if not (folder / stem).is_file()
                   and not (folder / f"{stem}.gz").is_file()]
        raise DatasetError(f"{folder}: missing {', '.join(missing)} (plain or .gz)")
    try:
        shapes = {key: idx_header(file) for key, file in files.items()}
        labels = {split: read_idx(files[f"{split}_labels"]) for split in ("train", "test")}
    except (OSError, IdxError) as error:
        raise DatasetError(str(error)) from None
    for split in ("train", "test"):
        images, count = shapes[f"{split}_images"], len(labels[split])
        if len(images) != 3:
            raise DatasetError(f"{files[f'{split}_images']}: expected images (N, H, W), got shape {images}")
        if images[0] != count:
            raise DatasetError(f"{files[f'{split}_labels']}: {count} labels for {images[0]} images")
    if shapes["train_images"][1:] != shapes["test_images"][1:]:
        raise DatasetError(f"{files['test_images']}: image size {shapes['test_images'][1:]} differs from the "
                           f"training images' {shapes['train_images'][1:]}")
    classes = int(max(labels["train"].max(initial=0), labels["test"].max(initial=0))) + 1
    return FolderSummary(tuple(shapes["train_images"][1:]), shapes["train_images"][0], shapes["test_images"][0],
                         classes)


def load_dataset(name: str = "mnist", path: str | os.PathLike | None = None, root: str | os.PathLike | None = None,
                 cache: str | os.PathLike | None = None, download: bool = False, loader: str = "auto") -> Dataset:
    """Load ``name`` (or the folder ``path``), looking in this order: ``path``; torchvision's layout
    ``root/<Name>/raw``; the bundled MNIST; a download into ``root`` (only when ``download``).

    ``loader = "torchvision"`` reads (and downloads) through torchvision instead of the IDX reader.
    Decoded arrays are cached as ``.npz`` under ``cache`` and reused while the files are unchanged;
    the cache keeps the few datasets used last (common/paths.py).
    """
    if path is not None:
        folder = Path(path).expanduser()
        files = find_files(folder)
        if files is None:
            raise DatasetError(f"{folder}: no MNIST-format files here (need {', '.join(FILES.values())}, "
                               "optionally .gz)")
        info = KNOWN.get(name)
        return _load_files(name, files, info.class_names if info else None, cache, f"folder {folder}")
    if name == "digits":
        return load_sklearn_digits()
    if name not in KNOWN:
        raise DatasetError(f"unknown dataset {name!r}; allowed: {', '.join(KNOWN)}, digits, or set data.path to a "
                           "folder")
    info = KNOWN[name]
    if loader == "torchvision":
        return _load_torchvision(info, root, download)
    raw = Path(root).expanduser() / info.torchvision_class / "raw" if root is not None else None
    files = find_files(raw) if raw is not None else None
    if files is not None:
        return _load_files(name, files, info.class_names, cache, f"torchvision layout {raw}")
    if name == "mnist":
        return _load_files(name, find_files(bundled_mnist_folder()), info.class_names, cache, "bundled")
    if not download:
        raise DatasetError(missing_dataset(name, root, download, loader))
    if _torchvision_available():
        return _load_torchvision(info, root, download=True)
    download_files(info, raw)
    return _load_files(name, find_files(raw), info.class_names, cache, f"downloaded to {raw}")


def missing_dataset(name: str, root: str | os.PathLike | None, download: bool, loader: str = "auto") -> str | None:
    """Why ``load_dataset(name, root=root, ...)`` would find no files, or None: the same search,
    reading nothing but the folder's file names (for a form checked as it is typed)."""
    if name not in KNOWN or name == "mnist" or download or loader == "torchvision":
        return None  # bundled, fetched when missing, or not a named dataset of files
    raw = Path(root).expanduser() / KNOWN[name].torchvision_class / "raw" if root is not None else None
    if raw is not None and find_files(raw) is not None:
        return None
    return (f"{name} is not on this machine (looked in {raw}); set data.download = true to fetch it, or "
            "data.path to a folder holding the four IDX files")


#: scikit-learn's 8x8 digits split 80/20 (a fixed shuffle, seed 0): 1,437 training and 360 test images.
DIGITS_TRAIN = 1437


def load_sklearn_digits() -> Dataset:
    """scikit-learn's bundled copy of the UCI 8x8 digits (1,797 images, pixel values 0-16), as uint8
    0-255 images so every normalization treats them like MNIST's."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise DatasetError("dataset \"digits\" is read from scikit-learn's bundled copy, which is not installed: "
                           "pip install \"tui-nn[sklearn]\"") from None
    bunch = load_digits()
    images = np.round(bunch.images * (255.0 / 16.0)).astype(np.uint8)
    labels = bunch.target.astype(np.uint8)
    order = np.random.default_rng(0).permutation(len(labels))
    train, test = order[:DIGITS_TRAIN], order[DIGITS_TRAIN:]
    return Dataset("digits", images[train], labels[train], images[test], labels[test], 10,
                   tuple(str(d) for d in range(10)), "scikit-learn's bundled 8x8 digits, split 80/20")


def _load_files(name: str, files: dict[str, Path], class_names: tuple[str, ...] | None,
                cache: str | os.PathLike | None, source: str) -> Dataset:
    arrays = _read_cached(files, cache)
    if arrays is not None:
        try:
            _check(arrays, files, class_names)
        except IdxError:
            arrays = None  # a cache that decodes to nonsense is rebuilt like a damaged one
    if arrays is None:
        arrays = {key: read_idx(path) for key, path in files.items()}
        _check(arrays, files, class_names)
        if cache is not None:
            _write_cache(files, cache, arrays)
    classes = len(class_names) if class_names else int(arrays["train_labels"].max()) + 1
    names = class_names or tuple(str(c) for c in range(classes))
    return Dataset(name, arrays["train_images"], arrays["train_labels"], arrays["test_images"],
                   arrays["test_labels"], classes, names, source)


def _check(arrays: dict[str, np.ndarray], files: dict[str, Path], class_names: tuple[str, ...] | None) -> None:
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or images.dtype != np.uint8:
            raise IdxError(f"{files[f'{split}_images']}: expected uint8 images (N, H, W), got "
                           f"{images.dtype} {images.shape}")
        if labels.ndim != 1 or labels.dtype != np.uint8:
            raise IdxError(f"{files[f'{split}_labels']}: expected uint8 labels (N,), got {labels.dtype} {labels.shape}")
        if len(images) != len(labels):
            raise IdxError(f"{files[f'{split}_labels']}: {len(labels)} labels for {len(images)} images "
                           f"in {files[f'{split}_images'].name}")
    if arrays["train_images"].shape[1:] != arrays["test_images"].shape[1:]:
        raise IdxError(f"{files['test_images']}: image size {arrays['test_images'].shape[1:]} differs from the "
                       f"training images' {arrays['train_images'].shape[1:]}")
    limit = len(class_names) if class_names else int(arrays["train_labels"].max()) + 1
    for key in ("train_labels", "test_labels"):
        if len(arrays[key]) and int(arrays[key].max()) >= limit:
            raise IdxError(f"{files[key]}: label {int(arrays[key].max())} out of range (0-{limit - 1})")


def _fingerprint(files: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for key in sorted(files):
        stat = files[key].stat()
        digest.update(f"{key}:{files[key].resolve()}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:24]


def _cache_path(files: dict[str, Path], cache: str | os.PathLike) -> Path:
    return decoded_dataset_file(cache, _fingerprint(files))


def _read_cached(files: dict[str, Path], cache: str | os.PathLike | None) -> dict[str, np.ndarray] | None:
    if cache is None:
        return None
    path = _cache_path(files, cache)
    if path.is_file() and npz_problem(path):  # a member that claims more than it holds: rebuilt, not allocated
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in FILES}
    except Exception:  # missing, empty, truncated, not a zip, a damaged member: rebuilt by the caller
        return None
    try:
        os.utime(path)  # used now: pruning keeps the datasets used last
    except OSError:
        pass
    return arrays


def _write_cache(files: dict[str, Path], cache: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        atomic_write_bytes(_cache_path(files, cache), buffer.getvalue())
    except OSError:
        return  # a read-only cache folder only costs speed
    prune_decoded(cache)


def prune_decoded(cache: str | os.PathLike, keep: int = DECODED_DATASETS_KEPT) -> list[Path]:
    """Remove all but the ``keep`` decoded datasets used last (by modification time, which a
    read sets too); returns what was removed."""
    found = []
    for path in Path(cache).glob(DECODED_DATASETS):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:  # removed meanwhile
            continue
    found.sort(reverse=True)
    removed = []
    for _, path in found[keep:]:
        try:
            path.unlink()
        except OSError:  # removed meanwhile, or a read-only folder: left as it is
            continue
        removed.append(path)
    return removed


def _torchvision_available() -> bool:
    try:
        import torchvision  # noqa: F401
    except Exception:
        return False
    return True


def _load_torchvision(info: KnownDataset, root: str | os.PathLike | None, download: bool) -> Dataset:
    if root is None:
        raise DatasetError("the torchvision loader needs a data root")
    try:
        from torchvision import datasets
    except Exception as error:
        raise DatasetError(f"data.loader = 'torchvision' but torchvision cannot be imported ({error}); "
                           "install tui-nn[torchvision]") from None
    cls = getattr(datasets, info.torchvision_class)
    try:
        train = cls(str(root), train=True, download=download)
        test = cls(str(root), train=False, download=download)
    except RuntimeError as error:
        raise DatasetError(f"torchvision could not load {info.name} from {root}: {error}") from None
    return Dataset(info.name, train.data.numpy(), train.targets.numpy().astype(np.uint8), test.data.numpy(),
                   test.targets.numpy().astype(np.uint8), len(info.class_names), info.class_names,
                   f"torchvision {Path(root) / info.torchvision_class}")


def download_files(info: KnownDataset, raw: Path, opener=urllib.request.urlopen) -> None:
    """Fetch the four files from the first mirror that answers, check their MD5, write them atomically."""
    for key, stem in FILES.items():
        target = raw / f"{stem}.gz"
        if target.is_file():
            continue
        errors = []
        for mirror in info.mirrors:
            url = f"{mirror}{stem}.gz"
            try:
                with opener(url, timeout=60) as response:
                    payload = response.read()
            except OSError as error:
                errors.append(f"{url}: {error}")
                continue
            if hashlib.md5(payload).hexdigest() != info.md5[key]:
                errors.append(f"{url}: MD5 mismatch")
                continue
            atomic_write_bytes(target, payload)
            break
        else:
            raise DatasetError(f"could not download {stem}.gz: " + "; ".join(errors))


__all__ = ["Dataset", "DatasetError", "KNOWN", "load_dataset"]
