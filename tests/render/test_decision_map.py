"""Decision maps: the grid's orientation, one batch through the network, and the text pictures."""

import numpy as np
import pytest

from tui_nn.engine.layers import Dense
from tui_nn.engine.losses import Quadratic, SigmoidCrossEntropy
from tui_nn.engine.network import Sequential
from tui_nn.render.playground_view import PlaygroundView
from tui_nn.experiment.session import prepare
from tui_nn.experiment.spec.parse import parse_spec
from tui_nn.render.decision_map import decision_grid, extent, grid_rows, unit_grids
from tui_nn.render.decision_text import curve_text, map_lines, map_text


def _linear(weights, loss=None):
    loss = loss or SigmoidCrossEntropy()
    net = Sequential([Dense(1, "nielsen", "zeros")], loss, 2).build(np.random.default_rng(0), np.float64)
    net.load_state_dict({"layers.0.W": np.array(weights, np.float64).reshape(2, 1), "layers.0.b": np.zeros(1)})
    return net


def test_the_grid_reads_left_to_right_and_top_down():
    points = grid_rows((0, 4), (0, 2), 4, 2)
    assert points.tolist() == [[0.5, 1.5], [1.5, 1.5], [2.5, 1.5], [3.5, 1.5],
                               [0.5, 0.5], [1.5, 0.5], [2.5, 0.5], [3.5, 0.5]]
    right = decision_grid(_linear([1, 0]), lambda rows: rows, (-1, 1), (-1, 1), 6, 3)
    assert right.values.tolist() == [[0, 0, 0, 1, 1, 1]] * 3  # class 1 where x1 > 0: the right half
    up = decision_grid(_linear([0, 1]), lambda rows: rows, (-1, 1), (-1, 1), 2, 4)
    assert up.values[:, 0].tolist() == [1, 1, 0, 0]  # class 1 where x2 > 0: the top half


def test_a_regression_grid_holds_outputs_in_the_targets_units():
    grid = decision_grid(_linear([1, 1], Quadratic("linear")), lambda rows: rows, (-1, 1), (-1, 1), 2, 2, classes=0,
                         target_values=lambda out: out * 10 + 5)
    np.testing.assert_allclose(grid.values, [[5, 15], [-5, 5]])
    assert grid.regression


def test_text_draws_regions_and_one_glyph_per_class_on_top():
    grid = decision_grid(_linear([1, 0]), lambda rows: rows, (-1, 1), (-1, 1), 4, 2)
    lines = map_lines(grid, np.array([[-0.9, 0.9], [0.9, -0.9]]), np.array([0, 1]), ascii_only=True)
    assert lines == ["o ..", "  .x"]
    text = map_text(grid, np.array([[-0.9, 0.9]]), np.array([0]), ("left", "right"), ascii_only=True)
    assert text.isascii() and "o left  x right" in text and "'.' right" in text
    assert "░" in "".join(map_lines(grid))


def test_extent_widens_the_datas_range():
    assert extent(np.array([[0.0, 5.0], [10.0, 5.0]]), margin=0.1) == [(-1.0, 11.0), (4.0, 6.0)]


def test_curve_text_draws_the_fit_over_the_target():
    xs = np.linspace(0, 1, 50)
    text = curve_text(xs, xs, xs, xs, columns=20, rows=5, ascii_only=True)
    assert text.isascii() and "#" in text and ". target  * network  # both" in text


@pytest.fixture(scope="module")
def trained_spiral(tmp_path_factory):
    raw = {"data": {"dataset": "spiral", "points": 200},
           "model": {"layers": [{"units": 8, "activation": "tanh"}, {"units": 3, "activation": "relu"},
                                {"units": 1, "activation": "sigmoid"}], "loss": "cross_entropy"},
           "optimizer": {"name": "adam", "learning_rate": 0.01}, "training": {"epochs": 2}}
    spec, problems = parse_spec(raw)
    assert not problems
    session = prepare(spec, str(tmp_path_factory.mktemp("home")))
    list(session.events())
    return session


def test_the_view_of_a_session_draws_its_map_and_its_hidden_units(trained_spiral):
    view = PlaygroundView.from_session(trained_spiral)
    grid = view.grid(30, 12)
    assert grid.values.shape == (12, 30) and set(np.unique(grid.values)) <= {0, 1}
    rows = grid_rows(view.ranges[0], view.ranges[1], 30, 12)
    assert grid.values.ravel().tolist() == [int(v) for v in view.network.loss.output(
        view.network.logits(view.to_inputs(rows)))[:, 0] > 0.5]
    maps = view.unit_maps(size=6)
    assert [m.shape for m in maps] == [(8, 6, 6), (3, 6, 6)]
    assert np.all(np.abs(maps[0]) <= 1) and np.all(maps[1] >= 0)  # after tanh, after ReLU
    text = view.text(40, 14, ascii_only=True)
    lines = text.splitlines()
    assert text.isascii() and len(lines) == 14 + 5 and all(len(line) == 42 for line in lines[1:16])


def test_unit_grids_skip_nothing_in_a_network_without_hidden_layers():
    assert unit_grids(_linear([1, 0]), lambda rows: rows, (-1, 1), (-1, 1), 4) == []


def test_the_view_of_a_function_draws_its_curve(tmp_path):
    raw = {"data": {"dataset": "sine", "points": 200},
           "model": {"layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "linear"}],
                     "loss": "quadratic"}, "training": {"epochs": 1}}
    spec, _ = parse_spec(raw)
    session = prepare(spec, str(tmp_path))
    list(session.events())
    view = PlaygroundView.from_session(session)
    xs, ys = view.curve(50)
    assert xs.shape == ys.shape == (50,)
    assert "* network" in view.text(30, 8)
    assert PlaygroundView.from_session(prepare(parse_spec({})[0], str(tmp_path), dataset=None)) is None


def test_a_one_input_classification_is_a_strip_of_regions(tmp_path):
    rows = "\n".join(f"{x / 50 - 1:.3f},{'hi' if x > 60 else 'lo'}" for x in range(100))
    (tmp_path / "one.csv").write_text("x,label\n" + rows + "\n")
    spec, problems = parse_spec({"data": {"path": str(tmp_path / "one.csv"), "target": "label"},
                                 "training": {"epochs": 2}})
    assert not problems
    session = prepare(spec, str(tmp_path))
    list(session.events())
    lines = PlaygroundView.from_session(session).text(30, 5, ascii_only=True).splitlines()
    assert len(lines) == 5 and lines[1].startswith("|") and len(lines[1]) == 32
    assert "x -1.1 .. 1.08" in lines[3] and lines[4] == "points: o hi  x lo; regions: ' ' hi  '.' lo"
