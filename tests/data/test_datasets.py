import gzip
import hashlib
import io

import numpy as np
import pytest

from tui_nn.data import DatasetError, IdxError, load_dataset
from tui_nn.data.datasets import FILES, KNOWN, download_files

from ..conftest import SMALL_TEST, SMALL_TRAIN
from .test_idx import idx_bytes


def write_folder(folder, train_n=20, test_n=10, size=(6, 5), train_labels=None, test_labels=None, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays = {
        "train_images": rng.integers(0, 256, (train_n, *size), dtype=np.uint8),
        "train_labels": train_labels if train_labels is not None else (np.arange(train_n) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, (test_n, *size), dtype=np.uint8),
        "test_labels": test_labels if test_labels is not None else (np.arange(test_n) % 10).astype(np.uint8),
    }
    for key, stem in FILES.items():
        data = idx_bytes(arrays[key])
        (folder / (f"{stem}.gz" if gz else stem)).write_bytes(gzip.compress(data) if gz else data)
    return arrays


def test_bundled_mnist_loads_offline_and_then_from_the_cache(tmp_path):
    first = load_dataset("mnist", cache=tmp_path)
    assert list(tmp_path.glob("*.npz")), "the decoded arrays are cached"
    second = load_dataset("mnist", cache=tmp_path)
    assert first.source == "bundled" and first.train_images.shape == (60_000, 28, 28)
    np.testing.assert_array_equal(first.test_images, second.test_images)


def test_a_damaged_cache_is_rebuilt(tmp_path, decoded_mnist):
    cached = tmp_path / decoded_mnist.name  # where a first load leaves it
    cached.write_bytes(b"garbage")
    again = load_dataset("mnist", cache=tmp_path)
    assert again.train_labels[:3].tolist() == [5, 0, 4] and cached.read_bytes()[:2] == b"PK"  # written anew


def test_any_folder_with_any_image_size(tmp_path):
    arrays = write_folder(tmp_path / "tiny", gz=False)
    data = load_dataset("custom", path=tmp_path / "tiny")
    assert data.image_shape == (6, 5) and data.classes == 10
    np.testing.assert_array_equal(data.train_images, arrays["train_images"])


def test_mismatched_counts_are_refused(tmp_path):
    write_folder(tmp_path / "bad", train_labels=np.zeros(19, np.uint8))
    with pytest.raises(IdxError, match="19 labels for 20 images"):
        load_dataset("custom", path=tmp_path / "bad")


def test_labels_out_of_range_are_refused(tmp_path):
    labels = np.zeros(20, np.uint8)
    labels[3] = 12
    write_folder(tmp_path / "bad", train_labels=labels)
    with pytest.raises(IdxError, match="label 12 out of range"):
        load_dataset("mnist", path=tmp_path / "bad")


def test_missing_folder_and_missing_dataset_say_what_to_do(tmp_path):
    with pytest.raises(DatasetError, match="no MNIST-format files"):
        load_dataset("mnist", path=tmp_path)
    with pytest.raises(DatasetError, match="data.download"):
        load_dataset("kmnist", root=tmp_path)


def test_fashion_mnist_as_a_folder(idx_data, tmp_path):
    data = load_dataset("fashion-mnist", path=idx_data / "fashion-mnist", cache=tmp_path)
    assert data.train_images.shape == (SMALL_TRAIN, 28, 28) and data.test_labels.shape == (SMALL_TEST,)
    assert data.class_names[0] == "T-shirt"


@pytest.fixture
def torchvision_root(idx_data, tmp_path):
    """A data root in torchvision's layout, filled from the small IDX files (decompressed, as torchvision keeps them)."""
    for name, folder in (("fashion-mnist", "FashionMNIST"), ("mnist", "MNIST")):
        raw = tmp_path / folder / "raw"
        raw.mkdir(parents=True)
        for path in (idx_data / name).glob("*.gz"):
            (raw / path.name[:-3]).write_bytes(gzip.decompress(path.read_bytes()))
    return tmp_path


def test_fashion_mnist_from_a_torchvision_layout_root(torchvision_root):
    data = load_dataset("fashion-mnist", root=torchvision_root)
    assert "torchvision layout" in data.source and data.test_labels.shape == (SMALL_TEST,)


def test_the_torchvision_loader(torchvision_root):
    pytest.importorskip("torchvision", reason="torchvision is not installed (pip install tui-nn[torchvision])")
    ours = load_dataset("fashion-mnist", root=torchvision_root)
    theirs = load_dataset("fashion-mnist", root=torchvision_root, loader="torchvision")
    assert theirs.source.startswith("torchvision")
    np.testing.assert_array_equal(ours.train_images, theirs.train_images)
    np.testing.assert_array_equal(ours.test_labels, theirs.test_labels)


class FakeMirror:
    """Serves bytes for URLs instead of the network; records what was asked."""

    def __init__(self, payloads):
        self.payloads, self.requested = payloads, []

    def __call__(self, url, timeout):
        self.requested.append(url)
        if url not in self.payloads:
            raise OSError("unreachable")
        return io.BytesIO(self.payloads[url])


def test_download_checks_md5_tries_mirrors_and_writes_the_layout(tmp_path, idx_data):
    info = KNOWN["mnist"]
    payloads = {}
    for key, stem in FILES.items():
        data = (idx_data / "mnist" / f"{stem}.gz").read_bytes()
        payloads[f"{info.mirrors[1]}{stem}.gz"] = data
    fake_info = type(info)(info.name, info.torchvision_class, info.mirrors,
                           {k: hashlib.md5(payloads[f"{info.mirrors[1]}{s}.gz"]).hexdigest() for k, s in FILES.items()},
                           info.class_names)
    raw = tmp_path / "MNIST" / "raw"
    mirror = FakeMirror(payloads)
    download_files(fake_info, raw, opener=mirror)
    assert mirror.requested[0].startswith(info.mirrors[0])  # the first mirror was tried first
    assert sorted(p.name for p in raw.iterdir()) == sorted(f"{s}.gz" for s in FILES.values())


def test_download_refuses_a_corrupted_file(tmp_path):
    info = KNOWN["mnist"]
    mirror = FakeMirror({f"{m}{s}.gz": b"not the file" for m in info.mirrors for s in FILES.values()})
    with pytest.raises(DatasetError, match="MD5 mismatch"):
        download_files(info, tmp_path / "raw", opener=mirror)
    assert not list(tmp_path.rglob("*.gz"))  # nothing that failed its check is kept


def test_bundled_copy_is_a_real_file_set():
    from tui_nn.data.datasets import bundled_mnist_folder

    files = sorted(bundled_mnist_folder().glob("*-ubyte.gz"))
    assert [path.name for path in files] == sorted(f"{stem}.gz" for stem in FILES.values())
    assert all(path.read_bytes()[:2] == b"\x1f\x8b" for path in files)  # gzip data, not a placeholder


def test_sklearn_digits_are_split_80_20_as_bytes():
    pytest.importorskip("sklearn")
    from tui_nn.data import load_dataset

    digits = load_dataset("digits")
    assert digits.train_images.shape == (1437, 8, 8) and digits.test_images.shape == (360, 8, 8)
    assert digits.train_images.dtype == np.uint8 and digits.train_images.max() == 255 and digits.classes == 10
    again = load_dataset("digits")
    assert np.array_equal(digits.test_labels, again.test_labels)  # a fixed split


def test_digits_without_scikit_learn_say_how_to_get_it(monkeypatch):
    import builtins

    from tui_nn.data import DatasetError, load_dataset

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(DatasetError, match=r'pip install "tui-nn\[sklearn\]"'):
        load_dataset("digits")
