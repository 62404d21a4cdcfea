"""Small networks train on one BLAS thread unless the user chose a thread count."""

import pytest

from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.threads import THREAD_VARIABLES, blas_threads_for

PRESETS = {p.key: p for p in builtin_presets()}


@pytest.fixture
def no_thread_variables(monkeypatch):
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_small_networks_get_one_thread_and_large_ones_keep_the_default(no_thread_variables):
    assert blas_threads_for(PRESETS["lab-momentum"].spec, 784) == 1
    assert blas_threads_for(PRESETS["nielsen-ch1"].spec, 784) == 1
    assert blas_threads_for(PRESETS["best-mlp"].spec, 784) is None


def test_a_thread_count_set_by_the_user_wins(no_thread_variables, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert blas_threads_for(PRESETS["lab-momentum"].spec, 784) is None


def test_a_run_records_the_threads_it_trained_with(no_thread_variables, tmp_path, mnist):
    pytest.importorskip("threadpoolctl")
    from dataclasses import replace

    from tui_nn.experiment.records import RunRecorder
    from tui_nn.experiment.session import prepare

    spec = PRESETS["lab-momentum"].spec
    spec = replace(spec, training=replace(spec.training, epochs=1),
                   data=replace(spec.data, train_size=500, validation_size=0, test_size=100))
    recorder = RunRecorder(tmp_path / "run.json", spec, "lab-momentum")
    for event in prepare(spec, dataset=mnist).events():
        recorder.observe(event)
    if recorder.record["blas"].get("library"):
        assert recorder.record["blas"]["threads"] == 1
