import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "data_files"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "mnist").is_dir():
        pytest.skip(f"the shared data folder is not beside the project ({SHARED_DATA})")
    return SHARED_DATA


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
def mnist(isolated_home):
    from tui_nn.common import paths
    from tui_nn.data import load_dataset

    return load_dataset("mnist", cache=paths.cache_dir())


def write_idx(path: Path, array) -> None:
    """An IDX file of unsigned bytes (MNIST's format)."""
    import struct

    path.write_bytes(bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes())


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
