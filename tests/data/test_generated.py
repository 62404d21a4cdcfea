"""The generated datasets: shapes, determinism per seed, and the facts of each generator."""

import numpy as np
import pytest

from tui_nn.data import DatasetError
from tui_nn.data.features import FEATURES, TableScaling, expand, feature_problem
from tui_nn.data.generated import GENERATED, generate_dataset, nielsen_ch4


@pytest.mark.parametrize("name", GENERATED)
def test_each_dataset_has_its_shape_and_is_the_same_for_a_seed_and_different_for_another(name):
    first, again, other = (generate_dataset(name, seed) for seed in (3, 3, 4))
    inputs = 1 if name in ("nielsen-ch4", "sine", "step", "abs") else 2
    assert first.train_images.shape[1:] == (inputs,) and first.is_table
    assert len(first.train_images) == len(first.train_labels) and len(first.test_images) == len(first.test_labels)
    np.testing.assert_array_equal(first.train_images, again.train_images)
    np.testing.assert_array_equal(first.test_labels, again.test_labels)
    if name != "gates":
        assert not np.array_equal(first.train_images, other.train_images)
    if first.task == "classification":
        assert first.classes == 2 and first.train_labels.dtype.kind == "i"
    else:
        assert first.classes == 0 and first.train_labels.dtype.kind == "f"


def test_the_playground_sizes_and_split_are_its_defaults():
    circle, plane, ch4 = (generate_dataset(name, 0) for name in ("circle", "plane", "nielsen-ch4"))
    assert (len(circle.train_labels), len(circle.test_labels)) == (250, 250)  # 500 points, half to train
    assert (len(plane.train_labels), len(plane.test_labels)) == (600, 600)  # 1200 to regress
    assert (len(ch4.train_labels), len(ch4.test_labels)) == (1600, 400)
    small = generate_dataset("spiral", 0, points=100, train_fraction=0.7)
    assert (len(small.train_labels), len(small.test_labels)) == (70, 30)


def _all(dataset):
    return (np.concatenate([dataset.train_images, dataset.test_images]),
            np.concatenate([dataset.train_labels, dataset.test_labels]))


def test_circle_is_a_disc_inside_a_ring_at_noise_zero():
    x, y = _all(generate_dataset("circle", 1))
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[y == 1] < 2.5) and np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5))
    assert np.sum(y == 1) == 250


def test_xor_is_the_sign_of_the_product_away_from_the_axes():
    x, y = _all(generate_dataset("xor", 1))
    assert np.all(np.abs(x) >= 0.3) and np.all(np.abs(x) <= 5.3)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(int))


def test_gauss_blobs_sit_at_plus_and_minus_two():
    x, y = _all(generate_dataset("gauss", 1))
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.15)
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [-2, -2], atol=0.15)
    assert x[y == 1].var(axis=0) == pytest.approx([0.5, 0.5], abs=0.12)


def test_spiral_radius_grows_to_five_and_the_arms_are_opposite():
    x, y = _all(generate_dataset("spiral", 1))
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.max() < 5 and r.max() > 4.9
    assert np.sum(y == 0) == np.sum(y == 1) == 250


def test_noise_moves_labels_across_the_boundary():
    x, y = _all(generate_dataset("xor", 1, noise=50))
    assert np.mean(y != (x[:, 0] * x[:, 1] >= 0)) > 0.05


def test_plane_and_multi_gauss_targets_follow_their_formulas():
    x, y = _all(generate_dataset("plane", 2))
    assert np.all(np.abs(x) <= 6)
    np.testing.assert_allclose(y, (x[:, 0] + x[:, 1]) / 10)
    x, y = _all(generate_dataset("multi-gauss", 2))
    assert y.min() >= -1 and y.max() <= 1
    near = np.hypot(x[:, 0] - 0, x[:, 1] - 2.5) < 0.5  # the negative bump at (0, 2.5)
    assert np.all(y[near] < -0.7)


def test_the_functions_and_the_truth_tables():
    x, y = _all(generate_dataset("nielsen-ch4", 0))
    assert x.min() >= 0 and x.max() <= 1
    np.testing.assert_allclose(y, 0.2 + 0.4 * x[:, 0] ** 2 + 0.3 * x[:, 0] * np.sin(15 * x[:, 0])
                               + 0.05 * np.cos(50 * x[:, 0]))
    assert nielsen_ch4(np.array([0.0]))[0] == pytest.approx(0.25)
    for gate, truth in (("or", [0, 1, 1, 1]), ("and", [0, 0, 0, 1]), ("xor", [0, 1, 1, 0])):
        table = generate_dataset("gates", 0, gate=gate)
        assert table.train_images.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
        assert table.train_labels.tolist() == truth and table.test_labels.tolist() == truth


def test_unknown_names_are_refused():
    with pytest.raises(DatasetError, match="unknown generated dataset 'moons'"):
        generate_dataset("moons", 0)
    with pytest.raises(DatasetError, match="data.gate = 'nand'"):
        generate_dataset("gates", 0, gate="nand")


def test_the_playground_features_and_their_standardization():
    rows = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
    columns = expand(rows, tuple(FEATURES))
    np.testing.assert_allclose(columns, np.column_stack([rows[:, 0], rows[:, 1], rows[:, 0] ** 2, rows[:, 1] ** 2,
                                                         rows[:, 0] * rows[:, 1], np.sin(rows[:, 0]),
                                                         np.sin(rows[:, 1])]))
    scaling = TableScaling.fit(rows, ("x1*x2", "sin(x1)"))
    inputs = scaling.inputs(rows, np.float64)
    np.testing.assert_allclose(inputs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(inputs.std(axis=0), 1)
    again = TableScaling.from_dict(scaling.to_dict())
    np.testing.assert_array_equal(again.inputs(rows), scaling.inputs(rows))
    assert feature_problem(("x1", "cos(x1)"), 2).startswith("unknown feature 'cos(x1)'")
    assert "two inputs" in feature_problem(("x1",), 3)
