import pytest

from tui_nn.experiment.presets import parse_preset, save_user_preset
from tui_nn.tui.app import make_app

from .helpers import SLOW, TINY, TINY_CONV


@pytest.fixture
def home(tmp_path):
    save_user_preset(parse_preset(TINY, "tiny"), tmp_path)
    save_user_preset(parse_preset(SLOW, "tiny-slow"), tmp_path)
    save_user_preset(parse_preset(TINY_CONV, "tiny-conv"), tmp_path)
    return tmp_path


@pytest.fixture
def app(home, mnist):
    return make_app(home=home, dataset=mnist)
