import numpy as np

from tui_nn.engine.layers import BatchNorm, Dropout


def test_dropout_is_identity_in_evaluation():
    layer = Dropout(0.3)
    layer.build(10, np.random.default_rng(0), np.float32)
    x = np.ones((50, 10), np.float32)
    assert layer.forward(x, False) is x


def test_inverted_dropout_keeps_the_expected_value():
    layer = Dropout(0.25)
    layer.build(1000, np.random.default_rng(0), np.float32)
    out = layer.forward(np.ones((200, 1000), np.float32), True)
    assert abs((out == 0).mean() - 0.25) < 0.01
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.01


def test_batchnorm_normalizes_batches_and_learns_running_statistics():
    layer = BatchNorm(momentum=0.5)
    layer.build(2, np.random.default_rng(0), np.float64)
    rng = np.random.default_rng(1)
    for _ in range(30):
        x = rng.normal([3.0, -2.0], [2.0, 0.5], (256, 2))
        out = layer.forward(x, True)
        np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-9)
        np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-3)
    np.testing.assert_allclose(layer.buffers["running_mean"], [3, -2], atol=0.3)
    np.testing.assert_allclose(layer.buffers["running_var"], [4, 0.25], rtol=0.2)
    single = np.array([[3.0, -2.0]])
    np.testing.assert_allclose(layer.forward(single, False), 0, atol=0.2)  # eval uses running stats
