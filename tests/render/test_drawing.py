"""The drawing canvas's brush and MNIST's centring, against hand-worked values."""

import numpy as np

from tui_nn.render.drawing import SMALL_BRUSH, SOFT_BRUSH, Canvas, centre_like_mnist, resize


def test_a_dab_puts_the_soft_brush_under_the_cursor_and_going_over_it_again_adds_nothing():
    canvas = Canvas(28, 28)
    canvas.paint(10, 12)
    np.testing.assert_array_equal(canvas.pixels[9:12, 11:14], 255 * SOFT_BRUSH)
    assert canvas.pixels.sum() == np.float32(255 * SOFT_BRUSH.sum())
    canvas.paint(10, 12)
    np.testing.assert_array_equal(canvas.pixels[9:12, 11:14], 255 * SOFT_BRUSH)
    canvas.paint(10, 13)  # the next dab: the overlap keeps the darker ink of the two
    assert canvas.pixels[10, 13] == 255 and canvas.pixels[10, 12] == 255
    assert canvas.pixels[9, 12] == np.float32(255 * 0.6) and canvas.pixels[10, 14] == np.float32(255 * 0.6)


def test_a_dab_at_the_edge_is_cut_to_the_canvas_and_erasing_lifts_ink_as_the_brush_presses():
    canvas = Canvas(28, 28)
    canvas.paint(0, 0)
    np.testing.assert_array_equal(canvas.pixels[:2, :2], 255 * SOFT_BRUSH[1:, 1:])
    canvas.erase(0, 1)
    assert canvas.pixels[0, 1] == 0  # under the tip: gone
    assert np.isclose(canvas.pixels[0, 0], 255 * (1 - 0.6))  # beside it: lifted by the brush's 0.6
    assert np.isclose(canvas.pixels[1, 0], 255 * 0.6 * (1 - 0.25))
    canvas.clear()
    assert not canvas.pixels.any()


def test_small_images_get_a_small_brush_and_the_image_is_bytes_as_the_data_stores_them():
    canvas = Canvas(8, 8)
    assert canvas.brush is SMALL_BRUSH
    canvas.paint(3, 3)
    image = canvas.image()
    assert image.dtype == np.uint8 and image[3, 3] == 255 and image[2, 3] == 64 and image[2, 2] == 0


def test_resize_keeps_a_constant_image_and_the_corners():
    flat = np.full((7, 5), 100.0, np.float32)
    np.testing.assert_allclose(resize(flat, 10, 3), 100.0)
    ramp = np.arange(16, dtype=np.float32).reshape(4, 4)
    same = resize(ramp, 4, 4)
    np.testing.assert_allclose(same, ramp)


def centre_of_mass(image):
    rows, columns = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (columns * image).sum() / image.sum()


def test_centring_scales_the_ink_into_a_20_pixel_box_with_its_centre_of_mass_in_the_middle():
    image = np.zeros((28, 28), np.float32)
    image[2:7, 20:25] = 255  # a 5x5 blot in the top right corner
    centred = centre_like_mnist(image)
    rows, columns = np.nonzero(centred > 0)
    assert rows.max() - rows.min() + 1 == 20 and columns.max() - columns.min() + 1 == 20
    row, column = centre_of_mass(centred)
    assert abs(row - 14) <= 0.5 and abs(column - 14) <= 0.5
    tall = np.zeros((28, 28), np.float32)
    tall[0:10, 3] = 255  # a stroke 10 tall and 1 wide keeps its proportions: 20 tall, 2 wide
    rows, columns = np.nonzero(centre_like_mnist(tall) > 0)
    assert rows.max() - rows.min() + 1 == 20 and columns.max() - columns.min() + 1 == 2
    assert not centre_like_mnist(np.zeros((28, 28), np.float32)).any()


def test_mnist_digits_are_already_centred_so_centring_them_changes_little(mnist):
    for image in mnist.test_images[:50].astype(np.float32):
        centred = centre_like_mnist(image)
        row, column = centre_of_mass(centred)
        assert abs(row - 14) <= 0.5 and abs(column - 14) <= 0.5
        assert np.corrcoef(image.ravel(), centred.ravel())[0, 1] > 0.95


def test_a_line_dabs_every_pixel_between_its_ends():
    canvas = Canvas(28, 28)
    canvas.line((5, 3), (5, 12))
    assert (canvas.pixels[5, 3:13] == 255).all() and canvas.pixels[5, 2] < 255 and canvas.pixels[5, 13] < 255
    diagonal = Canvas(28, 28)
    diagonal.line((0, 0), (6, 3))  # steep: one dab per row
    assert all(diagonal.pixels[r, round(r / 2)] == 255 for r in range(7))
    single = Canvas(28, 28)
    single.line((4, 4), (4, 4))
    np.testing.assert_array_equal(single.pixels[3:6, 3:6], 255 * SOFT_BRUSH)
    single.line((4, 4), (4, 4), erase=True)
    assert single.pixels[4, 4] == 0
