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
    from tui_nn import paths
    from tui_nn.data import load_dataset

    return load_dataset("mnist", cache=paths.cache_dir())
