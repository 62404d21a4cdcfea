"""Conv presets in the app: the editor's shape summary and errors, training, the gallery."""


import numpy as np
from textual.widgets import DataTable

from tui_nn.engine.events import EpochEnd, Finished
from tui_nn.tui.screens.gallery import GalleryScreen

from ..engine.loop_oracle import conv2d_loops, pool_loops
from .helpers import (
    open_editor,
    open_model_screen,
    screen_text,
    start_training,
    wait_for_training,
)

SIZE = (80, 24)


async def test_editor_shows_each_layers_output_shape_and_parameters(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny-conv")
        await pilot.pause()
        shapes = [str(editor.layer_rows[i].shape.render()) for i in range(4)]
        assert shapes == ["4x24x24 104p", "4x12x12 0p", "6x5x5 222p", "10 1,510p"]
        assert "input 1x28x28, 1,836 parameters in all" in screen_text(app)
        assert editor.layer_rows[0].inputs["filters"].value == "4"


async def test_a_kernel_that_does_not_fit_is_marked_at_its_layer_and_refused(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny-conv")
        kernel = editor.layer_rows[2].inputs["kernel"]
        kernel.value = "13"
        await pilot.pause()
        error = editor.layer_rows[2].error
        assert error.has_class("shown")
        assert "a 12x12 input leaves nothing for a 13x13 kernel" in str(error.render())
        assert "model.layers[2]" in str(editor.query_one("#summary").render())
        # Layers past the one that does not fit show no shape; the total is withheld.
        assert str(editor.layer_rows[3].shape.render()) == ""
        await pilot.press("ctrl+r")
        assert app.screen is editor  # refused
        kernel.value = "3"
        await pilot.pause()
        assert not editor.problems and not error.has_class("shown")


async def test_a_conv_preset_trains_in_the_app_and_opens_the_gallery(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-conv")
        await wait_for_training(pilot)
        assert isinstance(screen.events_received[-1], Finished)
        epochs = [e for e in screen.events_received if isinstance(e, EpochEnd)]
        assert len(epochs) == 2 and epochs[-1].test_accuracy > 0.3  # far above chance after 60 batches
        assert screen.query_one("#epochs", DataTable).row_count == 2
        assert screen.record_path.exists()
        await pilot.press("g")
        assert isinstance(app.screen, GalleryScreen)
        gallery = app.screen
        assert gallery.predictions.probabilities.shape == (300, 10)
        assert "epoch 2" in screen_text(app)


async def test_a_conv_models_weights_screen_shows_its_filters_and_a_digits_feature_maps(app, home):
    from tui_nn.engine.layers import Conv2D
    from tui_nn.tui.screens.weights import WeightsScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "w", lambda s: bool(s.images), preset="tiny-conv")
        assert isinstance(screen, WeightsScreen) and len(screen.images) == 4 and screen.images[0].shape == (5, 5)
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        test = screen.test
        assert test is not None, "the test digits never loaded"
        conv = next(layer for layer in test.network.layers if isinstance(layer, Conv2D))
        x = test.to_float(test.images[:1]).reshape(1, 28, 28, 1).astype(np.float64)
        expected = conv2d_loops(x, conv.params["W"].astype(np.float64), conv.params["b"], 1, (0, 0, 0, 0))
        if conv.pool > 1:  # the max pool fused into the layer
            expected = pool_loops(expected, conv.pool, conv.pool, "max")
        expected = np.maximum(expected[0], 0)  # its relu
        assert len(screen.images) == 1 + 4  # the digit, then a map per filter
        np.testing.assert_array_equal(screen.images[0], test.images[0])
        for unit in range(4):
            np.testing.assert_allclose(screen.images[1 + unit], expected[..., unit], rtol=1e-4, atol=1e-5)
        text = screen_text(app)
        assert f"test image 1 of 300 (true {test.labels[0]}" in text and "relu" in text
        assert "the digit" in text and "map 3 max" in text
        await pilot.press("t")
        assert "test image 2 of 300" in screen_text(app)
        np.testing.assert_array_equal(screen.images[0], test.images[1])
        await pilot.press("f")  # back to the filters
        assert len(screen.images) == 4 and "#3 |w|" in screen_text(app)
