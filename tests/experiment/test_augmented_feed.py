"""The batches a run trains on are augmented as its spec says, and exactly the data when it says nothing:
read at the network's door (every batch the training loop hands to ``loss_and_grads``)."""

from collections import Counter

import numpy as np
import pytest

from tui_nn.data.augment import SHIFT1_MOVES, shift_images
from tui_nn.experiment.session import prepare
from tui_nn.experiment.spec.parse import parse_spec

TRAIN = 300


def trained_on(mnist, augment):
    """(session, every training row the network was given in one epoch, their labels)."""
    spec, problems = parse_spec({
        "seed": 4,
        "data": {"train_size": TRAIN, "validation_size": 0, "test_size": 100, "augment": augment},
        "model": {"layers": [{"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
        "optimizer": {"name": "sgd", "learning_rate": 0.1},
        "training": {"epochs": 1, "batch_size": 50},
    })
    assert not problems, problems
    session = prepare(spec, dataset=mnist)
    given, real = [], session.network.loss_and_grads

    def spy(x, labels):
        given.append((x.copy(), labels.copy()))
        return real(x, labels)

    session.network.loss_and_grads = spy
    assert list(session.events())[-1].status == "completed"
    return session, np.concatenate([x for x, _ in given]), np.concatenate([y for _, y in given])


def training_images(session):
    part = session.feed.splits.train
    return part.rows(np.arange(len(part)))


def keys(session, images, labels):
    """Each image as the network would see it, with its label: comparable as bytes."""
    return [(row.tobytes(), int(label)) for row, label in zip(session.feed.to_float(images), labels)]


def shifted(images, labels, moves):
    """Every image moved by every (dy, dx) of ``moves``."""
    n = len(images)
    out = [shift_images(images, np.full(n, dy), np.full(n, dx)) for dy, dx in moves]
    return np.concatenate(out), np.tile(labels, len(moves))


def test_without_augmentation_each_training_image_is_given_once_as_it_is(mnist):
    session, x, y = trained_on(mnist, {})
    images, labels = training_images(session)
    assert len(x) == TRAIN
    assert Counter(zip((row.tobytes() for row in x), y.tolist())) == Counter(keys(session, images, labels))


def test_shift1_gives_each_image_and_its_four_one_pixel_shifts(mnist):
    session, x, y = trained_on(mnist, {"expand": "shift1"})
    images, labels = training_images(session)
    assert len(x) == 5 * TRAIN
    expected = Counter(keys(session, *shifted(images, labels, SHIFT1_MOVES)))
    assert Counter(zip((row.tobytes() for row in x), y.tolist())) == expected


def test_random_shifts_move_images_by_at_most_the_spec_s_pixels(mnist):
    session, x, y = trained_on(mnist, {"shift": 2})
    images, labels = training_images(session)
    moves = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)]
    allowed = set(keys(session, *shifted(images, labels, moves)))
    given = list(zip((row.tobytes() for row in x), y.tolist()))
    assert len(given) == TRAIN and Counter(y.tolist()) == Counter(labels.tolist())
    assert all(row in allowed for row in given)  # each one a shift of a training image of its class
    unmoved = set(keys(session, images, labels))
    assert sum(row in unmoved for row in given) < TRAIN / 4  # 1 in 25 stays put (or moves only blank edges)


@pytest.mark.parametrize("augment", [{"rotate": 15}, {"scale": 0.2}, {"translate": 1.5}])
def test_affine_augmentation_changes_nearly_every_image(mnist, augment):
    session, x, y = trained_on(mnist, augment)
    images, labels = training_images(session)
    assert len(x) == TRAIN and Counter(y.tolist()) == Counter(labels.tolist())
    unmoved = set(keys(session, images, labels))
    assert sum((row.tobytes(), int(label)) in unmoved for row, label in zip(x, y)) < TRAIN / 20
    assert 0 <= x.min() and x.max() < 1 + 1e-5  # pixels still scaled to [0, 1] (bilinear rounding aside)
