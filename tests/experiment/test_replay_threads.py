"""A record made with one thread replays under two: a conv net's batch parts exactly, a dense net's
two-thread BLAS within float32 rounding of the losses (its products are summed in another order)."""

import json
import os

import pytest

from tui_nn.cli.main import main
from tui_nn.experiment import replay as replay_module
from tui_nn.experiment.replay import replay
from tui_nn.experiment.thread_choice import THREADS_ENV, ThreadPlan

SMALL = ["--epochs", "2", "--set", "data.train_size=1000", "--set", "data.validation_size=200",
         "--set", "data.test_size=200"]


def record_with_one_thread(home, preset, monkeypatch, *options):
    monkeypatch.setenv(THREADS_ENV, "1")
    path = home / f"{preset}.json"
    assert main(["--home", str(home), "run", preset, "--quiet", *SMALL, *options, "--record", str(path)]) == 0
    record = json.loads(path.read_text())
    assert record["blas"]["threads"] == 1 and record["blas"]["conv_part_threads"] == 1
    return record


def replay_with_two_threads(record, home, monkeypatch, tolerance=0.0):
    """Replay with TUI_NN_THREADS=2; returns the differences and the (BLAS, part) threads it used."""
    pytest.importorskip("threadpoolctl")
    monkeypatch.setenv(THREADS_ENV, "2")
    used = []
    real = replay_module.prepare

    def watched(*args, **kwargs):
        session = real(*args, **kwargs)
        used.append((session.blas_threads, session.part_threads))
        return session

    monkeypatch.setattr(replay_module, "prepare", watched)
    compared, differences = replay(record, home=str(home), tolerance=tolerance)
    assert compared == 2
    return differences, used


def test_a_conv_record_replays_exactly_with_two_batch_parts(tmp_path, monkeypatch):
    # Batches of 32: two parts of 16 (conv.MIN_PART), the second on the other thread when replayed.
    record = record_with_one_thread(tmp_path, "nielsen-ch6-one-conv", monkeypatch, "--set", "training.batch_size=32")
    differences, used = replay_with_two_threads(record, tmp_path, monkeypatch)
    assert used == [(1, 2)]
    assert differences == []


def test_a_dense_record_replays_with_a_two_thread_blas_within_float32_rounding(tmp_path, monkeypatch):
    record = record_with_one_thread(tmp_path, "lab-momentum", monkeypatch)
    differences, used = replay_with_two_threads(record, tmp_path, monkeypatch, tolerance=1e-6)
    assert used == [(2, 1)]
    assert differences == []
    # What differs at all is a loss in its last float32 digits; the accuracies are the same.
    exact, _ = replay_with_two_threads(record, tmp_path, monkeypatch)
    assert all(d.metric.endswith("_loss") and abs(d.recorded - d.replayed) <= 1e-6 * abs(d.recorded)
               for d in exact), exact


def test_a_replay_trains_with_the_records_own_thread_plan_unless_told_otherwise(tmp_path, monkeypatch):
    from tui_nn.experiment import session as session_module

    record = record_with_one_thread(tmp_path, "lab-momentum", monkeypatch)
    planned = []
    real = session_module.run_threads

    def watched(blas, parts=1):
        planned.append((blas, parts))
        return real(blas, parts)

    monkeypatch.setattr(session_module, "run_threads", watched)
    chosen = session_module.choose_threads

    def this_machine_would_take_two(spec, input_shape, cache_dir, threads=None):
        return ThreadPlan(2, 1, "measured") if threads is None and not os.environ.get(THREADS_ENV) else \
            chosen(spec, input_shape, cache_dir, threads)

    monkeypatch.setattr(session_module, "choose_threads", this_machine_would_take_two)
    monkeypatch.delenv(THREADS_ENV)  # nothing asked: the record's plan, whatever this machine would choose
    compared, differences = replay(record, home=str(tmp_path))
    assert planned == [(1, 1)] and compared == 2 and differences == []  # exactly, not within a tolerance
    monkeypatch.setenv(THREADS_ENV, "2")  # asked for: the user's count wins
    replay(record, home=str(tmp_path), tolerance=1e-6)
    assert planned[-1] == (2, 1)
