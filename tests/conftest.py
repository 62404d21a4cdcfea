import os
import shutil
from pathlib import Path

import pytest

#: The sizes of the small IDX folders (idx_data): enough for a loader to read, small enough to copy at once.
SMALL_TRAIN, SMALL_TEST = 300, 100


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory) -> Path:
    """Every test writes into a throw-away home, never the user's real folders."""
    home = tmp_path_factory.mktemp("home")
    os.environ["TUI_NN_HOME"] = str(home)
    # One thread everywhere unless a test says otherwise: no thread measurement in every new home.
    os.environ.setdefault("TUI_NN_THREADS", "1")
    os.environ.pop("TUI_NN_DATA", None)
    return home


@pytest.fixture(scope="session")
def decoded_mnist(tmp_path_factory, isolated_home) -> Path:
    """The bundled MNIST decoded once a session: the cache file a first run leaves in its home."""
    from tui_nn.data import load_dataset

    folder = tmp_path_factory.mktemp("decoded")
    load_dataset("mnist", cache=folder)
    (decoded,) = folder.glob("idx-*.npz")
    return decoded


def put_in_cache(decoded: Path, cache: Path) -> None:
    """A hard link (a copy across file systems): load_dataset replaces a cache file by renaming,
    never writes into it, so the session's file is never changed through the link."""
    cache.mkdir(parents=True, exist_ok=True)
    try:
        os.link(decoded, cache / decoded.name)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(decoded, cache / decoded.name)


@pytest.fixture(scope="session")
def mnist(decoded_mnist):
    from tui_nn.common import paths
    from tui_nn.data import load_dataset

    put_in_cache(decoded_mnist, paths.cache_dir())
    return load_dataset("mnist", cache=paths.cache_dir())


#: Test folders whose tests use their tmp_path as the home of the runs they start.
HOME_TESTS = ("cli", "tui")


@pytest.fixture(autouse=True)
def decoded_mnist_in_the_home(request):
    """The CLI and app tests start with the bundled MNIST already decoded in their home's cache, as
    after a first run: each would otherwise decode it again (about a second a test, most of a small
    run). Decoding and the cache itself are tested in tests/data, with caches of their own."""
    if request.node.path.parent.name in HOME_TESTS and "tmp_path" in request.fixturenames:
        put_in_cache(request.getfixturevalue("decoded_mnist"), request.getfixturevalue("tmp_path") / "cache")


def write_idx(path: Path, array) -> None:
    """An IDX file of unsigned bytes (MNIST's format), gzipped when the name ends in .gz."""
    import gzip
    import struct

    data = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def first_records(path: Path, count: int):
    """The first ``count`` records of a gzipped IDX file of unsigned bytes, read without decoding the rest."""
    import gzip
    import struct

    import numpy as np

    with gzip.open(path) as stream:
        head = stream.read(4)
        shape = struct.unpack(f">{head[3]}I", stream.read(4 * head[3]))
        per_record = int(np.prod(shape[1:], dtype=np.int64))
        return np.frombuffer(stream.read(count * per_record), np.uint8).reshape(count, *shape[1:])


@pytest.fixture(scope="session")
def idx_data(tmp_path_factory) -> Path:
    """A data root with small gzipped ``mnist/`` and ``fashion-mnist/`` folders in MNIST's format, cut
    from the bundled MNIST (the loaders read any images; the Fashion-MNIST folder holds other digits
    so that the two differ): SMALL_TRAIN training and SMALL_TEST test images each."""
    from tui_nn.data.datasets import FILES, bundled_mnist_folder

    root = tmp_path_factory.mktemp("idx")
    sizes = {"train_images": SMALL_TRAIN, "train_labels": SMALL_TRAIN, "test_images": SMALL_TEST,
             "test_labels": SMALL_TEST}
    for name, skip in (("mnist", 0), ("fashion-mnist", SMALL_TRAIN)):
        (root / name).mkdir()
        for key, stem in FILES.items():
            records = first_records(bundled_mnist_folder() / f"{stem}.gz", skip + sizes[key])[skip:]
            write_idx(root / name / f"{stem}.gz", records)
    return root


@pytest.fixture(scope="session")
def small_digits(tmp_path_factory, mnist) -> Path:
    """A folder of 8x8 digits in MNIST's format, sized like scikit-learn's digits split 80/20
    (1,437 training and 360 test images): MNIST images cropped to 24x24 and averaged in 3x3 blocks."""
    import numpy as np

    folder = tmp_path_factory.mktemp("digits8")

    def small(images):
        blocks = images[:, 2:26, 2:26].astype(np.float32).reshape(len(images), 8, 3, 8, 3).mean(axis=(2, 4))
        return np.clip(np.round(blocks), 0, 255).astype(np.uint8)

    write_idx(folder / "train-images-idx3-ubyte", small(mnist.train_images[:1437]))
    write_idx(folder / "train-labels-idx1-ubyte", mnist.train_labels[:1437])
    write_idx(folder / "t10k-images-idx3-ubyte", small(mnist.test_images[:360]))
    write_idx(folder / "t10k-labels-idx1-ubyte", mnist.test_labels[:360])
    return folder
