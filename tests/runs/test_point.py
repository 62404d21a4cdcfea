"""A sweep point gets its thread count as an argument: it trains with it, records it, and leaves
the process's environment as it found it."""

import os
from dataclasses import replace

import pytest

from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.spec.parse import spec_to_dict
from tui_nn.experiment.thread_choice import THREADS_ENV
from tui_nn.experiment.threads import THREAD_VARIABLES
from tui_nn.runs.point import train_point

MLP = {p.key: p for p in builtin_presets()}["lab-momentum"].spec


def tiny_point() -> dict:
    spec = replace(MLP, training=replace(MLP.training, epochs=1),
                   data=replace(MLP.data, train_size=300, validation_size=0, test_size=100))
    return spec_to_dict(spec)


def test_a_point_trained_with_one_thread_records_one_thread_and_leaves_the_environment_alone(monkeypatch,
                                                                                            tmp_path):
    pytest.importorskip("threadpoolctl")
    for name in THREAD_VARIABLES + (THREADS_ENV,):
        monkeypatch.delenv(name, raising=False)
    before = dict(os.environ)
    record = train_point(tiny_point(), "lab-momentum", str(tmp_path), threads=1)
    assert dict(os.environ) == before
    assert record["status"] == "completed"
    assert record["blas"]["conv_part_threads"] == 1
    assert record["blas"]["threads"] == 1


def test_the_users_thread_variable_still_wins_over_the_points_count(monkeypatch, tmp_path):
    from tui_nn.experiment import session

    seen = []
    real = session.choose_threads

    def spy(*args, **kwargs):
        plan = real(*args, **kwargs)
        seen.append(plan)
        return plan

    monkeypatch.setattr(session, "choose_threads", spy)
    monkeypatch.setenv(THREADS_ENV, "1")
    train_point(tiny_point(), "lab-momentum", str(tmp_path), threads=2)
    assert [(plan.blas, plan.parts, plan.source) for plan in seen] == [(1, 1, "user")]
    monkeypatch.delenv(THREADS_ENV)
    seen.clear()
    train_point(tiny_point(), "lab-momentum", str(tmp_path), threads=2)
    assert [(plan.blas, plan.parts, plan.source) for plan in seen] == [(2, 1, "given")]
