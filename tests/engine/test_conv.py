"""Conv2D, pooling and Flatten against loop oracles and central finite differences (float64)."""

import re

import numpy as np
import pytest

from tui_nn.engine.layers import ActivationLayer, AvgPool2D, BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from tui_nn.engine.losses import SoftmaxLogLikelihood
from tui_nn.engine.network import Sequential, fold_shapes
from tui_nn.engine.shapes import ShapeError, format_shape, window_output

from .gradcheck import assert_close, assert_layer_gradients, numeric_gradient
from .loop_oracle import conv2d_loops, maxpool_backward_loops, pool_loops

CONV_CASES = [  # (height, width, channels, filters, kernel, stride, padding)
    (6, 6, 1, 2, 3, 1, "valid"),
    (7, 6, 2, 3, 3, 1, "same"),
    (7, 7, 3, 2, 3, 2, "valid"),
    (8, 7, 2, 4, 2, 2, "same"),
    (5, 5, 3, 1, 5, 1, "valid"),
    (6, 5, 1, 3, 4, 1, "same"),  # an even kernel pads one more after than before
]


def _conv(case, seed=0):
    height, width, channels, filters, kernel, stride, padding = case
    layer = Conv2D(filters, kernel, stride, padding, init="glorot_normal", bias_init="normal")
    layer.build((height, width, channels), np.random.default_rng(seed), np.float64)
    x = np.random.default_rng(seed + 1).normal(size=(3, height, width, channels))
    return layer, x


def _pad(case):
    height, width, _, _, kernel, stride, padding = case
    _, top, bottom = window_output(height, kernel, stride, padding)
    _, left, right = window_output(width, kernel, stride, padding)
    return top, bottom, left, right


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv_forward_equals_the_loop_oracle(case):
    layer, x = _conv(case)
    expected = conv2d_loops(x, layer.params["W"], layer.params["b"], case[5], _pad(case))
    out = layer.forward(x, True)
    assert out.shape == (3,) + layer.output_shape(x.shape[1:])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv_gradients_match_finite_differences(case):
    layer, x = _conv(case)
    weights = np.random.default_rng(7).normal(size=(3,) + layer.output_shape(x.shape[1:]))
    assert_layer_gradients(layer, x, weights)


def test_conv_with_same_padding_keeps_the_size_and_stride_two_halves_it():
    assert Conv2D(4, 5, 1, "same").output_shape((28, 28, 1)) == (28, 28, 4)
    assert Conv2D(4, 3, 2, "same").output_shape((28, 28, 1)) == (14, 14, 4)
    assert Conv2D(4, 3, 2, "valid").output_shape((28, 28, 1)) == (13, 13, 4)
    assert Conv2D(20, 5).output_shape((28, 28, 1)) == (24, 24, 20)


POOL_CASES = [(2, 2, 8, 8), (2, 2, 7, 9), (3, 2, 7, 7), (3, 3, 9, 6), (2, 1, 5, 5)]  # (size, stride, h, w)


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_equals_the_loop_oracle_both_ways(case, kind):
    size, stride, height, width = case
    layer = (MaxPool2D if kind == "max" else AvgPool2D)(size, stride)
    layer.build((height, width, 3), np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).normal(size=(2, height, width, 3))
    out = layer.forward(x, True)
    np.testing.assert_allclose(out, pool_loops(x, size, stride, kind), rtol=1e-12)
    grad = np.random.default_rng(2).normal(size=out.shape)
    dx = layer.backward(grad)
    if kind == "max":
        np.testing.assert_allclose(dx, maxpool_backward_loops(x, grad, size, stride), rtol=1e-12)
    else:
        def objective():
            return float((layer.forward(x, True) * grad).sum())
        assert_close(dx, numeric_gradient(objective, x))


def test_max_pooling_gives_a_tied_window_one_gradient_not_four():
    layer = MaxPool2D(2)
    layer.build((2, 2, 1), np.random.default_rng(0), np.float64)
    x = np.zeros((1, 2, 2, 1))  # a blank patch: all four inputs tie
    layer.forward(x, True)
    dx = layer.backward(np.ones((1, 1, 1, 1)))
    assert dx.sum() == 1.0 and dx[0, 0, 0, 0] == 1.0


def test_max_pooling_gradient_matches_finite_differences_away_from_ties():
    layer = MaxPool2D(3, 2)
    layer.build((7, 7, 2), np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).permutation(98).reshape(1, 7, 7, 2) / 10.0  # distinct values
    grad = np.random.default_rng(2).normal(size=(1, 3, 3, 2))

    def objective():
        return float((layer.forward(x, True) * grad).sum())

    objective()
    assert_close(layer.backward(grad), numeric_gradient(objective, x, eps=1e-4))


def test_flatten_is_a_view_both_ways():
    layer = Flatten()
    layer.build((3, 4, 2), np.random.default_rng(0), np.float64)
    x = np.arange(48.0).reshape(2, 3, 4, 2)
    out = layer.forward(x, True)
    assert out.shape == (2, 24) and np.shares_memory(out, x)
    np.testing.assert_array_equal(layer.backward(out), x)


def test_batchnorm_on_conv_maps_normalizes_each_channel_over_batch_and_pixels():
    layer = BatchNorm(momentum=0.0)
    layer.build((5, 5, 3), np.random.default_rng(0), np.float64)
    x = np.random.default_rng(1).normal([1.0, -3.0, 10.0], [1.0, 2.0, 5.0], (8, 5, 5, 3))
    out = layer.forward(x, True)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-3)
    assert layer.params["gamma"].shape == (3,)


def _conv_net(loss=SoftmaxLogLikelihood()):
    layers = [Conv2D(3, 3, 1, "same", init="glorot_normal"), MaxPool2D(2), ActivationLayer("tanh"),
              BatchNorm(0.9), Conv2D(4, 3, 2, "valid", init="glorot_normal"), ActivationLayer("sigmoid"),
              AvgPool2D(2, 1), Dropout(0.0), Flatten(), Dense(5, "glorot_normal"), ActivationLayer("tanh"),
              Dense(3, "glorot_normal")]
    return Sequential(layers, loss, (12, 12, 2)).build(np.random.default_rng(0), np.float64)


def test_a_whole_conv_network_backpropagates_correctly():
    net = _conv_net()
    rng = np.random.default_rng(3)
    x, labels = rng.normal(size=(4, 288)), rng.integers(0, 3, 4)  # flat rows, as the feed serves them
    net.loss_and_grads(x, labels)
    analytic = {path: g.copy() for path, g in net.named_grads()}

    def objective():
        return net.loss.value(net.forward(x, training=True), labels)

    for path, param in net.named_params():
        assert_close(analytic[path], numeric_gradient(objective, param), tol=1e-5)


def test_shapes_fold_through_a_stack_with_parameter_counts():
    rows = fold_shapes([Conv2D(20, 5), MaxPool2D(2), Conv2D(40, 5), MaxPool2D(2), Dense(100), Dense(10)],
                       (28, 28, 1))
    assert [format_shape(r.output_shape) for r in rows] == ["20x24x24", "20x12x12", "40x8x8", "40x4x4", "100", "10"]
    assert [r.parameters for r in rows] == [520, 0, 20040, 0, 64100, 1010]


@pytest.mark.parametrize("layers, input_shape, message", [
    ([Conv2D(20, 5), MaxPool2D(2), Conv2D(40, 5), MaxPool2D(2), Conv2D(40, 5)], (28, 28, 1),
     "layers[4] (conv2d 40x5x5): a 4x4 input leaves nothing for a 5x5 kernel"),
    ([Dense(10), Conv2D(4, 3)], (28, 28, 1), "layers[1] (conv2d 4x3x3): needs an image input"),
    ([Conv2D(4, 3)], (64,), "layers[0] (conv2d 4x3x3): needs an image input (channels x height x width), got 64"),
    ([MaxPool2D(5)], (4, 4, 1), "layers[0] (maxpool2d 5x5): a 4x4 input leaves nothing for a 5x5 window"),
    ([Flatten(), AvgPool2D(2)], (6, 6, 1), "layers[1] (avgpool2d 2x2): needs an image input"),
])
def test_shapes_that_do_not_fit_name_the_layer(layers, input_shape, message):
    with pytest.raises(ShapeError, match=re.escape(message)):
        fold_shapes(layers, input_shape)
    with pytest.raises(ShapeError):
        Sequential(layers + [Dense(10)], SoftmaxLogLikelihood(), input_shape).build(np.random.default_rng(0))


def test_conv_layer_refuses_an_unknown_padding():
    with pytest.raises(ValueError, match="allowed: valid, same"):
        Conv2D(4, 3, padding="full")


FUSED_CASES = [  # (height, width, channels, filters, kernel, stride, padding, pool)
    (8, 8, 1, 3, 3, 1, "valid", 2),   # 6x6 -> 3x3
    (9, 8, 2, 2, 3, 1, "same", 2),    # 9x8 -> 4x4, the last row dropped
    (12, 12, 2, 3, 3, 2, "valid", 2), # 5x5 -> 2x2
    (9, 9, 1, 2, 4, 1, "valid", 3),   # 6x6 -> 2x2
]


@pytest.mark.parametrize("case", FUSED_CASES, ids=str)
def test_conv_with_a_fused_max_pool_equals_conv_then_max_pool(case):
    height, width, channels, filters, kernel, stride, padding, pool = case
    rng = np.random.default_rng(0)
    fused = Conv2D(filters, kernel, stride, padding, "glorot_normal", "normal", pool=pool)
    fused.build((height, width, channels), rng, np.float64)
    plain = Conv2D(filters, kernel, stride, padding, "glorot_normal", "normal")
    plain.build((height, width, channels), rng, np.float64)
    plain.params["W"][...], plain.params["b"][...] = fused.params["W"], fused.params["b"]
    pooling = MaxPool2D(pool)
    pooling.build(plain.output_shape((height, width, channels)), rng, np.float64)
    x = np.random.default_rng(1).normal(size=(2, height, width, channels))
    x[0, :, : width // 2] = 0.0  # blank regions make whole windows tie
    out = fused.forward(x, True)
    np.testing.assert_allclose(out, pooling.forward(plain.forward(x, True), True), rtol=1e-12, atol=1e-12)
    assert out.shape[1:] == fused.output_shape(x.shape[1:])
    grad = np.random.default_rng(2).normal(size=out.shape)
    dx = fused.backward(grad)
    expected_dx = plain.backward(pooling.backward(grad))
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-10, atol=1e-12)
    for name in ("W", "b"):
        np.testing.assert_allclose(fused.grads[name], plain.grads[name], rtol=1e-10, atol=1e-12)



def _two_part_net():
    layers = [Conv2D(6, 5, init="he", pool=2), ActivationLayer("relu"), Conv2D(8, 3, 1, "same", init="he"),
              ActivationLayer("relu"), AvgPool2D(2), Dense(10, "he")]
    return Sequential(layers, SoftmaxLogLikelihood(), (16, 16, 1)).build(np.random.default_rng(0), np.float64)


def _pass(net, threads=1):
    from tui_nn.engine.parallel import use_threads

    rng = np.random.default_rng(1)
    x, labels = rng.random((40, 256)), rng.integers(0, 10, 40)  # 40 samples: two parts of 20
    with use_threads(threads):
        _, z = net.loss_and_grads(x, labels)
    return z, {path: g.copy() for path, g in net.named_grads()}


def test_a_batch_in_two_parts_gives_the_same_outputs_and_gradients(monkeypatch):
    import tui_nn.engine.layers.conv as conv

    z_parts, grads_parts = _pass(_two_part_net())
    assert len(_two_part_net().layers[0]._parts) == 0  # nothing cached before a pass
    monkeypatch.setattr(conv, "MIN_PART", 1000)  # one part
    z_whole, grads_whole = _pass(_two_part_net())
    np.testing.assert_allclose(z_parts, z_whole, rtol=1e-12, atol=1e-12)
    for path in grads_whole:
        np.testing.assert_allclose(grads_parts[path], grads_whole[path], rtol=1e-10, atol=1e-13)


def test_two_threads_change_no_bit():
    net = _two_part_net()
    z1, grads1 = _pass(net, threads=1)
    assert [len(layer._parts) for layer in net.layers if isinstance(layer, Conv2D)] == [2, 2]
    z2, grads2 = _pass(_two_part_net(), threads=2)
    np.testing.assert_array_equal(z1, z2)
    for path in grads1:
        np.testing.assert_array_equal(grads1[path], grads2[path])


def test_evaluation_slices_bound_every_layers_output_not_only_its_patches():
    from tui_nn.engine.network import EVAL_NUMBERS

    rng = np.random.default_rng(0)
    wide = Sequential([Conv2D(64, 3, padding="same"), Flatten(), Dense(10)], SoftmaxLogLikelihood(),
                      (28, 28, 1)).build(rng)
    outputs = 28 * 28 * 64  # per sample: more than its 28 * 28 * 9 patch numbers
    assert wide.eval_slice() == EVAL_NUMBERS // outputs
    seen = []
    forward = wide.forward
    wide.forward = lambda x, training: seen.append(len(x)) or forward(x, training)
    x = rng.random((wide.eval_slice() + 5, 28, 28, 1), dtype=np.float32)
    z = wide.logits(x)
    assert z.shape == (len(x), 10) and max(seen) * outputs <= EVAL_NUMBERS and sum(seen) == len(x)
