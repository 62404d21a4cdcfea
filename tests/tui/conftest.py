import pytest

from tui_nn.experiment.presets import parse_preset, save_user_preset
from tui_nn.tui.app import make_app

TINY = {
    "name": "tiny", "description": "A tiny run for the tests.", "seed": 2,
    "data": {"train_size": 600, "validation_size": 500, "test_size": 300},
    "model": {"layers": [{"type": "dense", "units": 20, "activation": "relu"},
                         {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
    "optimizer": {"name": "sgd", "learning_rate": 0.5},
    "training": {"epochs": 4, "batch_size": 20},
}


# Long enough (minutes) that keys always arrive while it runs; the tests stop it themselves.
SLOW = {**TINY, "data": {"train_size": 20000, "validation_size": 500, "test_size": 300},
        "training": {"epochs": 300, "batch_size": 10}}


@pytest.fixture
def home(tmp_path):
    save_user_preset(parse_preset(TINY, "tiny"), tmp_path)
    save_user_preset(parse_preset(SLOW, "tiny-slow"), tmp_path)
    return tmp_path


@pytest.fixture
def app(home, mnist):
    return make_app(home=home, dataset=mnist)
