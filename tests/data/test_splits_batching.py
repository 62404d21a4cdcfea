import numpy as np
import pytest

from tui_nn.data import ArrayFeed, make_splits
from tui_nn.data.augment import Augmentation, affine_images, shift_images


def test_nielsen_split_is_views_of_the_files(mnist):
    splits = make_splits(mnist)
    assert len(splits.train) == 50_000 and len(splits.validation) == 10_000 and len(splits.test) == 10_000
    assert np.shares_memory(splits.train.images, mnist.train_images)
    np.testing.assert_array_equal(splits.validation.labels, mnist.train_labels[50_000:])


def test_first_n_and_stratified_subsets(mnist):
    first = make_splits(mnist, train_size=100)
    np.testing.assert_array_equal(first.train.all_labels(), mnist.train_labels[:100])
    strat = make_splits(mnist, train_size=100, subset="stratified", rng=np.random.default_rng(0))
    assert np.bincount(strat.train.all_labels(), minlength=10).tolist() == [10] * 10
    with pytest.raises(ValueError, match="train_size"):
        make_splits(mnist, train_size=55_000)


def test_shift_images_moves_pixels_and_fills_zeros():
    image = np.zeros((1, 4, 4), np.uint8)
    image[0, 1, 2] = 9
    moved = shift_images(np.repeat(image, 2, 0), np.array([1, 0]), np.array([0, -1]))
    assert moved[0, 2, 2] == 9 and moved[1, 1, 1] == 9 and moved.sum() == 18


def test_identity_affine_returns_the_image():
    images = np.random.default_rng(0).integers(0, 256, (3, 7, 5)).astype(np.uint8)
    out = affine_images(images, np.zeros(3), np.ones(3), np.zeros(3), np.zeros(3))
    np.testing.assert_allclose(out, images, atol=1e-4)


def test_quarter_turn_rotates_a_square():
    image = np.zeros((1, 5, 5), np.uint8)
    image[0, 0, 2] = 200  # top centre
    out = affine_images(image, np.array([np.pi / 2]), np.ones(1), np.zeros(1), np.zeros(1))
    assert np.unravel_index(out[0].argmax(), (5, 5)) in {(2, 0), (2, 4)}


def test_shift1_expansion_serves_five_variants_of_each_image(mnist):
    splits = make_splits(mnist, train_size=20)
    feed = ArrayFeed(splits, batch_size=100, augmentation=Augmentation(expand="shift1"))
    assert feed.train_samples == 100
    batches = list(feed.train_batches(np.random.default_rng(0)))
    x, labels = batches[0]
    assert x.shape == (100, 784) and x.dtype == np.float32
    assert np.bincount(labels, minlength=10).sum() == 100
    # A one-pixel shift keeps every MNIST pixel (the border is blank), so each image's total ink
    # appears in exactly five rows: the original and its four shifts.
    totals = x.sum(axis=1)
    for original in splits.train.images.reshape(20, -1).astype(np.float64).sum(axis=1) / 255:
        assert np.count_nonzero(np.abs(totals - original) < 1e-2) >= 5


def test_batches_are_float32_in_unit_range_and_standardization(mnist):
    splits = make_splits(mnist, train_size=1000)
    x, _ = next(ArrayFeed(splits, 50).train_batches(np.random.default_rng(0)))
    assert x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    x, _ = next(ArrayFeed(splits, 1000, "standard").train_batches(np.random.default_rng(0)))
    assert abs(float(x.mean())) < 0.05 and abs(float(x.std()) - 1) < 0.05


def test_eval_batches_cover_the_split_once(mnist):
    feed = ArrayFeed(make_splits(mnist), 100)
    assert sum(len(y) for _, y in feed.eval_batches("test")) == 10_000
    assert ArrayFeed(make_splits(mnist, validation_size=0), 10).eval_batches("val") is None


def test_kept_batches_stay_valid_while_chunk_buffers_are_reused(mnist, monkeypatch):
    """Chunk buffers are reused only when no batch of theirs is still held."""
    from tui_nn.data import batching

    monkeypatch.setattr(batching, "CHUNK", 100)
    splits = make_splits(mnist, train_size=1000)
    feed = ArrayFeed(splits, batch_size=50)
    kept = [(x.copy(), x) for x, _ in feed.train_batches(np.random.default_rng(0))]
    assert len(kept) == 20
    assert all(np.array_equal(copy, live) for copy, live in kept)  # nothing overwritten under a holder
    again = [x.copy() for x, _ in feed.train_batches(np.random.default_rng(0))]  # buffers reused
    assert all(np.array_equal(a, copy) for a, (copy, _) in zip(again, kept))
