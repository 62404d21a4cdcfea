"""Each optimizer against its textbook update computed by hand, element by element in Python floats."""

import math

import numpy as np
import pytest

from tui_nn.engine.optimizers import REGISTRY, optimizer_from_config

P0 = [1.0, -2.0]
GRADS = [[0.5, -1.0], [0.2, 0.3], [-0.4, 0.1]]


def run(name, steps=3, **config):
    opt = REGISTRY[name](**config)
    p = {"w": np.array(P0)}
    trajectory = []
    for g in GRADS[:steps]:
        opt.step(p, {"w": np.array(g)})
        trajectory.append(p["w"].copy())
    return trajectory


def by_hand(update, state_factory, steps=3):
    """Apply ``update(p, g, state, t)`` to each coordinate separately."""
    out, ps, states = [], list(P0), [state_factory() for _ in P0]
    for t, g in enumerate(GRADS[:steps], start=1):
        ps = [update(p, gi, s, t) for p, gi, s in zip(ps, g, states)]
        out.append(np.array(ps))
    return out


def check(name, update, state_factory=dict, **config):
    for got, want in zip(run(name, **config), by_hand(update, state_factory)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_sgd():
    check("sgd", lambda p, g, s, t: p - 0.1 * g, learning_rate=0.1)


def test_momentum_lr_inside():
    def update(p, g, s, t):
        s["v"] = 0.9 * s.get("v", 0.0) - 0.1 * g
        return p + s["v"]
    check("momentum", update, learning_rate=0.1, momentum=0.9)


def test_nesterov():
    def update(p, g, s, t):
        s["v"] = 0.9 * s.get("v", 0.0) - 0.1 * g
        return p + 0.9 * s["v"] - 0.1 * g
    check("nesterov", update, learning_rate=0.1, momentum=0.9)


def test_momentum_equals_torch_lr_outside_form_for_a_constant_rate():
    torch_style, v, p = [], [0.0, 0.0], list(P0)
    for g in GRADS:
        v = [0.9 * vi + gi for vi, gi in zip(v, g)]
        p = [pi - 0.1 * vi for pi, vi in zip(p, v)]
        torch_style.append(np.array(p))
    for got, want in zip(run("momentum", learning_rate=0.1, momentum=0.9), torch_style):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_adagrad():
    def update(p, g, s, t):
        s["G"] = s.get("G", 0.0) + g * g
        return p - 0.1 * g / (math.sqrt(s["G"]) + 1e-8)
    check("adagrad", update, learning_rate=0.1)


def test_adadelta():
    def update(p, g, s, t):
        s["eg"] = 0.9 * s.get("eg", 0.0) + 0.1 * g * g
        dx = -math.sqrt(s.get("ed", 0.0) + 1e-6) / math.sqrt(s["eg"] + 1e-6) * g
        s["ed"] = 0.9 * s.get("ed", 0.0) + 0.1 * dx * dx
        return p + dx
    check("adadelta", update, rho=0.9)


def test_rmsprop():
    def update(p, g, s, t):
        s["e"] = 0.9 * s.get("e", 0.0) + 0.1 * g * g
        return p - 0.01 * g / (math.sqrt(s["e"]) + 1e-8)
    check("rmsprop", update, learning_rate=0.01, rho=0.9)


def _adam(amsgrad):
    def update(p, g, s, t):
        s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
        s["v"] = 0.99 * s.get("v", 0.0) + 0.01 * g * g
        v = s["v"]
        if amsgrad:
            s["vmax"] = max(s.get("vmax", 0.0), s["v"])
            v = s["vmax"]
        m_hat, v_hat = s["m"] / (1 - 0.9 ** t), v / (1 - 0.99 ** t)
        return p - 0.01 * m_hat / (math.sqrt(v_hat) + 1e-8)
    return update


def test_adam():
    check("adam", _adam(False), learning_rate=0.01, beta_2=0.99)


def test_amsgrad_uses_the_running_maximum():
    check("amsgrad", _adam(True), learning_rate=0.01, beta_2=0.99)
    # The edge: a small gradient after a large one keeps the large second moment, so the step shrinks.
    plain, ams = REGISTRY["adam"](beta_2=0.5), REGISTRY["amsgrad"](beta_2=0.5)
    pa, pb = {"w": np.zeros(1)}, {"w": np.zeros(1)}
    for g in (10.0, 0.01, 0.01):
        plain.step(pa, {"w": np.array([g])})
        ams.step(pb, {"w": np.array([g])})
    assert ams.state["w"]["v_max"][0] > ams.state["w"]["v"][0]
    assert abs(pb["w"][0]) < abs(pa["w"][0])


def test_adamax():
    def update(p, g, s, t):
        s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
        s["u"] = max(0.99 * s.get("u", 0.0), abs(g))
        return p - 0.002 / (1 - 0.9 ** t) * s["m"] / (s["u"] + 1e-8)
    check("adamax", update, beta_2=0.99)


def test_nadam():
    def update(p, g, s, t):
        s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
        s["v"] = 0.999 * s.get("v", 0.0) + 0.001 * g * g
        m_bar = 0.9 * s["m"] / (1 - 0.9 ** (t + 1)) + 0.1 * g / (1 - 0.9 ** t)
        return p - 0.002 * m_bar / (math.sqrt(s["v"] / (1 - 0.999 ** t)) + 1e-8)
    check("nadam", update)


def test_adam_golden_first_step_moves_each_weight_by_the_learning_rate():
    # With bias correction, Adam's first step is lr * sign(g) (up to eps).
    first = run("adam", steps=1, learning_rate=0.01)[0]
    np.testing.assert_allclose(first, np.array(P0) - 0.01 * np.sign(GRADS[0]), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_config_round_trip(name):
    opt = REGISTRY[name](learning_rate=0.123)
    again = optimizer_from_config(opt.get_config())
    assert type(again) is type(opt) and again.get_config() == opt.get_config()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_state_dict_round_trip_continues_identically(name):
    a = REGISTRY[name]()
    params_a = {"w": np.array(P0)}
    a.step(params_a, {"w": np.array(GRADS[0])})
    b = optimizer_from_config(a.get_config())
    b.load_state_dict(a.state_dict(), params_a)
    params_b = {"w": params_a["w"].copy()}
    a.step(params_a, {"w": np.array(GRADS[1])})
    b.step(params_b, {"w": np.array(GRADS[1])})
    np.testing.assert_array_equal(params_a["w"], params_b["w"])


def test_load_state_dict_rejects_wrong_shapes():
    opt = REGISTRY["adam"]()
    opt.step({"w": np.zeros(3)}, {"w": np.ones(3)})
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict(opt.state_dict(), {"w": np.zeros(4)})


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_one_optimizer_serves_layers_of_different_shapes(name):
    """Each array of a network steps exactly as it would with an optimizer of its own, and keeps
    state of its own shape."""
    rng = np.random.default_rng(0)
    params = {"layers.0.W": rng.normal(size=(30, 10)), "layers.2.W": rng.normal(size=(10, 4)),
              "layers.2.b": rng.normal(size=4)}
    start = {path: value.copy() for path, value in params.items()}
    alone = {path: (REGISTRY[name](), {path: value.copy()}) for path, value in params.items()}
    opt = REGISTRY[name]()
    for _ in range(3):
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        opt.step(params, grads)
        for path, (own, own_params) in alone.items():
            own.step(own_params, {path: grads[path]})
    for path, value in params.items():
        assert not np.array_equal(value, start[path]), f"{path} never moved"
        np.testing.assert_array_equal(value, alone[path][1][path], err_msg=path)
    assert set(opt.state) <= set(params)
    for path, slots in opt.state.items():
        assert slots.keys() == alone[path][0].state[path].keys()
        assert all(slot.shape == params[path].shape for slot in slots.values())


def test_bad_hyper_parameters_are_refused_with_the_allowed_range():
    with pytest.raises(ValueError, match=r"momentum = 1.5: must be a number in \[0, 1\)"):
        REGISTRY["sgd"](momentum=1.5)
    with pytest.raises(ValueError, match="no hyper-parameter 'beta'"):
        REGISTRY["adam"](beta=0.9)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_packed_steps_match_per_array_steps_and_state_speaks_per_path(name):
    """A network's packed buffers (column-major dense weights among them) step exactly as the
    separate arrays do, and the per-path state the packed slots report is the per-array state."""
    from tui_nn.engine.layers import ActivationLayer, Conv2D, Dense
    from tui_nn.engine.losses import make_loss
    from tui_nn.engine.network import Sequential

    net = Sequential([Conv2D(3, 3, pool=2), ActivationLayer("relu"), Dense(7), ActivationLayer("sigmoid"),
                      Dense(4)], make_loss("log_likelihood", "softmax"), (8, 8, 1))
    net.build(np.random.default_rng(0), np.float64, batch_size=10)
    assert any(slot.fortran for slot in net.layout)
    separate = {path: value.copy() for path, value in net.params.items()}
    packed_opt, separate_opt = REGISTRY[name](), REGISTRY[name]()
    rng = np.random.default_rng(1)
    for _ in range(3):
        grads = {path: rng.normal(size=value.shape) for path, value in separate.items()}
        for path, grad in grads.items():
            net.grads[path][...] = grad
        packed_opt.step_packed(net.flat_params, net.flat_grads, net.layout)
        separate_opt.step(separate, grads)
    for path, value in separate.items():
        np.testing.assert_allclose(net.params[path], value, rtol=1e-12, atol=1e-15)
    packed_state, separate_state = packed_opt.state_dict(), separate_opt.state_dict()
    assert packed_state.keys() == separate_state.keys()
    for key in separate_state:
        if isinstance(separate_state[key], dict):
            for path, slots in separate_state[key].items():
                for slot_name, slot in slots.items():
                    np.testing.assert_allclose(packed_state[key][path][slot_name], slot, rtol=1e-12, atol=1e-15)
