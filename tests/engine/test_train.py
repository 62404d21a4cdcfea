import threading

import numpy as np

from tui_nn.engine.checkpoint import load_checkpoint
from tui_nn.engine.control import Control
from tui_nn.engine.events import BatchProgress, Diverged, EarlyStopped, EpochEnd, Finished, Started
from tui_nn.engine.layers import ActivationLayer, Dense, Dropout
from tui_nn.engine.losses import SoftmaxLogLikelihood
from tui_nn.engine.network import Sequential
from tui_nn.engine.optimizers import REGISTRY
from tui_nn.engine.regularizers import Regularization
from tui_nn.engine.schedules import make_schedule
from tui_nn.engine.train import EarlyStopping, TrainSettings, train


class BlobFeed:
    """Three Gaussian blobs in 8 dimensions: learnable in a few epochs."""

    def __init__(self, n=600, batch=32, seed=0):
        rng = np.random.default_rng(seed)
        centres = rng.normal(0, 3, (3, 8))
        self.labels = rng.integers(0, 3, n)
        self.x = (centres[self.labels] + rng.normal(size=(n, 8))).astype(np.float32)
        self.batch = batch
        self.train_samples = n

    def batches_per_epoch(self):
        return -(-self.train_samples // self.batch)

    def train_batches(self, rng):
        order = rng.permutation(self.train_samples)
        for i in range(0, self.train_samples, self.batch):
            idx = order[i:i + self.batch]
            yield self.x[idx], self.labels[idx]

    def eval_batches(self, split):
        return iter([(self.x, self.labels)]) if split == "val" else None

    def probe(self):
        return self.x[:100], self.labels[:100]


def make(seed=0, dropout=False):
    rng = np.random.default_rng(seed)
    layers = [Dense(16, "he", "zeros"), ActivationLayer("relu")]
    layers += [Dropout(0.3)] if dropout else []
    layers += [Dense(3, "glorot_normal", "zeros")]
    return Sequential(layers, SoftmaxLogLikelihood(), 8).build(rng), rng


def collect(events):
    return list(events)


def test_training_learns_and_emits_the_documented_events():
    net, rng = make()
    events = collect(train(net, REGISTRY["momentum"](learning_rate=0.05), BlobFeed(), TrainSettings(epochs=3), rng=rng))
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert epochs[-1].val_accuracy > 0.9 and epochs[-1].test_accuracy is None
    assert epochs[-1].train_loss < epochs[0].train_loss
    assert events[-1].status == "completed" and events[-1].epochs_completed == 3
    assert any(isinstance(e, BatchProgress) and e.batch == e.batches for e in events)
    assert set(epochs[0].diagnostics.grad_norms) == {"layers.0", "layers.2"}
    assert set(epochs[0].diagnostics.dead_fractions) == {"layers.1"}


def test_divergence_is_an_event_not_an_exception():
    net, rng = make()
    events = collect(train(net, REGISTRY["sgd"](learning_rate=1e30), BlobFeed(), TrainSettings(epochs=5), rng=rng))
    diverged = [e for e in events if isinstance(e, Diverged)]
    assert len(diverged) == 1 and "learning rate" in diverged[0].reason
    assert events[-1].status == "diverged"


def test_numerics_are_quiet_inside_the_loop_and_the_callers_own_between_events():
    import warnings

    net, rng = make()
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning from inside the loop would raise here
        with np.errstate(all="raise"):
            for event in train(net, REGISTRY["sgd"](learning_rate=1e30), BlobFeed(), TrainSettings(epochs=5), rng=rng):
                seen.append(np.geterr()["over"])
    assert seen and set(seen) == {"raise"}  # the loop's "ignore" never reached the caller
    assert isinstance(event, Finished) and event.status == "diverged"


def test_the_epochs_training_accuracy_and_loss_count_every_batch():
    net, rng = make()
    feed = BlobFeed(n=610)  # a last, short batch
    events = collect(train(net, REGISTRY["sgd"](learning_rate=1e-30), feed, TrainSettings(epochs=1), rng=rng))
    (epoch,) = [e for e in events if isinstance(e, EpochEnd)]
    z = net.forward(feed.x)  # steps far below float32 resolution: the weights every batch saw
    assert epoch.train_accuracy == np.mean(z.argmax(axis=1) == feed.labels)
    assert abs(epoch.train_loss - net.loss.value(z, feed.labels)) < 1e-5


def test_stop_between_batches():
    net, rng = make()
    control = Control()
    seen = []
    for event in train(net, REGISTRY["sgd"](), BlobFeed(), TrainSettings(epochs=50, progress_interval=0), control, rng=rng):
        seen.append(event)
        if isinstance(event, EpochEnd) and event.epoch == 2:
            control.stop()
    assert seen[-1].status == "stopped" and seen[-1].epochs_completed == 2


class WatchedControl(Control):
    """A Control that says when the training loop has come to wait in a pause."""

    def __init__(self):
        super().__init__()
        self.waiting = threading.Event()

    def wait_while_paused(self):
        if self.paused:
            self.waiting.set()
        return super().wait_while_paused()


def test_pause_blocks_until_resumed():
    net, rng = make()
    before = net.state_dict()
    control = WatchedControl()
    control.pause()
    events = []
    worker = threading.Thread(target=lambda: events.extend(
        train(net, REGISTRY["sgd"](), BlobFeed(), TrainSettings(epochs=1), control, rng=rng)))
    worker.start()
    assert control.waiting.wait(30), "the loop never came to the pause"
    assert worker.is_alive() and not any(isinstance(e, (BatchProgress, EpochEnd)) for e in events)
    for path, value in before.items():  # no batch has trained
        np.testing.assert_array_equal(net.params[path], value)
    control.resume()
    worker.join(30)
    assert not worker.is_alive() and events[-1].status == "completed"


def test_early_stopping_restores_the_best_weights():
    net, rng = make()
    settings = TrainSettings(epochs=60, early_stopping=EarlyStopping("val_loss", patience=2, min_delta=10.0,
                                                                     restore_best=True))
    # The weights after each epoch's last batch, copied while training waits at that batch's progress
    # event (before the epoch is evaluated, so before any restoring).
    events, weights_after = [], {}
    for event in train(net, REGISTRY["sgd"](learning_rate=0.01), BlobFeed(), settings, rng=rng):
        events.append(event)
        if isinstance(event, BatchProgress) and event.batch == event.batches:
            weights_after[event.epoch] = net.state_dict()
    stop = next(e for e in events if isinstance(e, EarlyStopped))
    assert stop.epoch == 3 and stop.best_epoch == 1 and stop.restored_best
    assert events[-1].status == "early_stopped"
    final = net.state_dict()
    assert final.keys() == weights_after[1].keys()
    for path, best in weights_after[1].items():
        np.testing.assert_array_equal(final[path], best, err_msg=path)
    assert any(not np.array_equal(final[path], last) for path, last in weights_after[3].items())  # it moved on


def run_to_end(net, opt, rng, schedule, settings, state=None):
    for _ in train(net, opt, BlobFeed(), settings, rng=rng, schedule=schedule, state=state):
        pass


def test_resume_from_checkpoint_is_bit_identical(tmp_path):
    reg = Regularization(l2=1e-3, noise_eta=0.01)
    full_net, full_rng = make(dropout=True)
    full_opt = REGISTRY["adam"](learning_rate=0.01)
    run_to_end(full_net, full_opt, full_rng, make_schedule("plateau", 0.01, 6, patience=1),
               TrainSettings(epochs=6, regularization=reg))

    path = tmp_path / "ck.npz"
    net, rng = make(dropout=True)
    opt = REGISTRY["adam"](learning_rate=0.01)
    run_to_end(net, opt, rng, make_schedule("plateau", 0.01, 6, patience=1),
               TrainSettings(epochs=3, regularization=reg, checkpoint_path=str(path)))

    resumed_net, resumed_rng = make(seed=99, dropout=True)  # different weights and RNG until loaded
    resumed_opt = REGISTRY["adam"](learning_rate=0.01)
    schedule = make_schedule("plateau", 0.01, 6, patience=1)
    state = load_checkpoint(path, resumed_net, resumed_opt, resumed_rng, schedule)
    assert state.epoch == 3 and len(state.history) == 3
    run_to_end(resumed_net, resumed_opt, resumed_rng, schedule, TrainSettings(epochs=6, regularization=reg), state)
    for (path_a, a), (path_b, b) in zip(full_net.named_params(), resumed_net.named_params()):
        assert path_a == path_b
        np.testing.assert_array_equal(a, b)


def test_checkpoint_is_loaded_without_pickle(tmp_path):
    net, rng = make()
    path = tmp_path / "ck.npz"
    run_to_end(net, REGISTRY["sgd"](), rng, make_schedule("constant", 0.01, 1),
               TrainSettings(epochs=1, checkpoint_path=str(path)))
    with np.load(path, allow_pickle=False) as archive:
        assert "param/layers.0.W" in archive.files and archive["__meta__"].dtype == np.uint8


def test_float64_is_selectable():
    net = Sequential([Dense(3)], SoftmaxLogLikelihood(), 4).build(np.random.default_rng(0), "float64")
    assert all(p.dtype == np.float64 for _, p in net.named_params())
    net32 = Sequential([Dense(3)], SoftmaxLogLikelihood(), 4).build(np.random.default_rng(0))
    assert all(p.dtype == np.float32 for _, p in net32.named_params())


def test_state_dict_round_trip_and_mismatch():
    net, _ = make()
    other, _ = make(seed=5)
    other.load_state_dict(net.state_dict())
    for (_, a), (_, b) in zip(net.named_params(), other.named_params()):
        np.testing.assert_array_equal(a, b)
    state = net.state_dict()
    state["layers.0.W"] = state["layers.0.W"][:, :3]
    try:
        other.load_state_dict(state)
    except ValueError as error:
        assert "layers.0.W" in str(error)
    else:
        raise AssertionError("a wrong shape must be refused")


def test_steering_changes_the_rate_from_the_next_batch_and_a_replay_of_the_changes_matches():
    """Requests made while training become Steered events; the same events given as settings make a
    second run identical, number for number."""
    from tui_nn.engine.events import Steered

    def run(steering=(), steer_at=None):
        net, rng = make()
        control = Control()
        seen, rates = [], []
        settings = TrainSettings(epochs=3, progress_interval=0.0, steering=steering)
        for event in train(net, REGISTRY["sgd"](learning_rate=0.1), BlobFeed(), settings, control=control, rng=rng):
            if isinstance(event, BatchProgress) and steer_at and (event.epoch, event.batch) == steer_at:
                control.steer("lr", 0.5)
                control.steer("stop_at_epoch_end")
            if isinstance(event, Steered):
                seen.append(event)
            if isinstance(event, EpochEnd):
                rates.append(event.learning_rate)
            last = event
        return seen, rates, last, net.state_dict()

    steered, rates, last, weights = run(steer_at=(1, 1))
    assert [s.what for s in steered] == ["learning_rate", "stop"]
    assert steered[0].factor == 0.5 and (steered[0].epoch, steered[0].batch) == (1, 2)
    assert rates == [0.05]  # the epoch's rate as it ended
    assert last.status == "stopped" and last.epochs_completed == 1
    again, _, last_again, weights_again = run(steering=tuple(steered))
    assert again == steered and last_again.epochs_completed == 1
    assert all(np.array_equal(weights[k], weights_again[k]) for k in weights)
