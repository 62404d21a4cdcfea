import numpy as np
import pytest

from tui_nn.engine.regularizers import Regularization
from tui_nn.engine.schedules import make_schedule


def test_l2_with_sgd_is_nielsens_weight_decay():
    w, g = np.array([[2.0, -1.0]]), np.array([[0.5, 0.5]])
    eta, lam, n = 0.5, 5.0, 50_000
    grads = {"W": g.copy()}
    Regularization(l2=lam / n).apply({"W": w}, grads, ["W"], 0, np.random.default_rng(0))
    np.testing.assert_allclose(w - eta * grads["W"], (1 - eta * lam / n) * w - eta * g)


def test_l1_adds_the_sign_and_skips_biases():
    params = {"W": np.array([[2.0, -1.0, 0.0]]), "b": np.array([3.0])}
    grads = {"W": np.zeros((1, 3)), "b": np.zeros(1)}
    Regularization(l1=0.1).apply(params, grads, ["W"], 0, np.random.default_rng(0))
    np.testing.assert_allclose(grads["W"], [[0.1, -0.1, 0.0]])
    assert grads["b"][0] == 0


def test_gradient_noise_variance_anneals():
    reg = Regularization(noise_eta=1.0, noise_gamma=0.55)
    stds = []
    for step in (0, 99):
        grads = {"W": np.zeros(200_000)}
        reg.apply({"W": np.zeros(200_000)}, grads, [], step, np.random.default_rng(step))
        stds.append(grads["W"].std())
    assert stds[0] == pytest.approx(1.0, rel=0.01)
    assert stds[1] == pytest.approx(np.sqrt(1.0 / 100 ** 0.55), rel=0.01)


@pytest.mark.parametrize("name,settings,rates", [
    ("constant", {}, [1.0, 1.0, 1.0, 1.0]),
    ("step", {"every": 2, "factor": 0.5}, [1.0, 1.0, 0.5, 0.5]),
    ("exponential", {"decay": 0.5}, [1.0, 0.5, 0.25, 0.125]),
    ("inverse_time", {"decay": 1.0}, [1.0, 0.5, 1 / 3, 0.25]),
    ("cosine", {"min_rate": 0.0}, [1.0, 0.5 * (1 + np.cos(np.pi / 4)), 0.5, 0.5 * (1 + np.cos(3 * np.pi / 4))]),
])
def test_schedules(name, settings, rates):
    schedule = make_schedule(name, 1.0, 4, **settings)
    np.testing.assert_allclose([schedule.rate(e) for e in range(1, 5)], rates)


def test_reduce_on_plateau_halves_after_patience_and_round_trips():
    schedule = make_schedule("plateau", 1.0, 10, "max", factor=0.5, patience=2)
    for epoch, value in enumerate([0.5, 0.6, 0.6, 0.59], start=1):
        schedule.observe(epoch, value)
    assert schedule.rate(5) == 0.5
    again = make_schedule("plateau", 1.0, 10, "max", factor=0.5, patience=2)
    again.load_state_dict(schedule.state_dict())
    assert again.rate(5) == 0.5
