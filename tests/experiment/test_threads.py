"""A run's threads: measured per machine and network shape, cached for an hour, and the user's choice wins."""

import json

import pytest

from tui_nn.experiment import thread_choice
from tui_nn.experiment.presets import builtin_presets
from tui_nn.experiment.thread_choice import CACHE_FILE, THREADS_ENV, choose_threads
from tui_nn.experiment.threads import THREAD_VARIABLES, plan_for

PRESETS = {p.key: p for p in builtin_presets()}
MLP = PRESETS["lab-momentum"].spec
CONV = PRESETS["nielsen-ch6-two-conv"].spec


@pytest.fixture
def measuring(monkeypatch):
    """No thread variables set, two cores, a short measurement, and a log of what was measured."""
    for name in THREAD_VARIABLES + (THREADS_ENV,):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(thread_choice, "cores", lambda: 2)
    monkeypatch.setattr(thread_choice, "STEPS", 3)
    measured = []
    real = thread_choice.measure

    def logged(spec, shape, options):
        measured.append(options)
        return real(spec, shape, options)

    monkeypatch.setattr(thread_choice, "measure", logged)
    return measured


def test_the_first_run_measures_and_later_runs_read_the_cache(measuring, tmp_path):
    first = choose_threads(MLP, (784,), tmp_path)
    assert first.source == "measured" and measuring == [[(1, 1), (2, 1)]]
    again = choose_threads(MLP, (784,), tmp_path)
    assert again.source == "cached" and (again.blas, again.parts) == (first.blas, first.parts)
    assert len(measuring) == 1
    cache = json.loads((tmp_path / CACHE_FILE).read_text())
    (entry,) = cache.values()
    assert set(entry["seconds_per_step"]) == {"blas=1 parts=1", "blas=2 parts=1"}


@pytest.mark.parametrize("age", [thread_choice.MAX_AGE + 1, -600])  # too old, or from a clock set back
def test_an_old_choice_is_measured_again(measuring, tmp_path, monkeypatch, age):
    choose_threads(MLP, (784,), tmp_path)
    cache = json.loads((tmp_path / CACHE_FILE).read_text())
    (entry,) = cache.values()
    entry["measured_at"] -= age
    (tmp_path / CACHE_FILE).write_text(json.dumps(cache))
    assert choose_threads(MLP, (784,), tmp_path).source == "measured" and len(measuring) == 2
    (entry,) = json.loads((tmp_path / CACHE_FILE).read_text()).values()
    assert abs(entry["measured_at"] - thread_choice.time.time()) < 60  # the new measurement is kept
    assert choose_threads(MLP, (784,), tmp_path).source == "cached"


def test_a_conv_network_also_times_its_batch_parts(measuring, tmp_path):
    plan = choose_threads(CONV, (28, 28, 1), tmp_path)
    assert measuring == [[(1, 1), (2, 1), (1, 2)]] and (plan.blas, plan.parts) in measuring[0]


def test_a_new_numpy_or_blas_measures_again(measuring, tmp_path, monkeypatch):
    choose_threads(MLP, (784,), tmp_path)
    monkeypatch.setattr(thread_choice.np, "__version__", "9.9.9")
    assert choose_threads(MLP, (784,), tmp_path).source == "measured" and len(measuring) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[1, 2]", b'{"k": {"blas": 1}}', b"\xff\xfe"])
def test_a_damaged_cache_is_measured_anew(measuring, tmp_path, damage):
    (tmp_path / CACHE_FILE).write_bytes(damage)
    assert choose_threads(MLP, (784,), tmp_path).source == "measured"
    json.loads((tmp_path / CACHE_FILE).read_text())  # written whole again


def test_the_users_choice_wins_without_measuring(measuring, tmp_path, monkeypatch):
    monkeypatch.setenv(THREADS_ENV, "2")
    plan = choose_threads(CONV, (28, 28, 1), tmp_path)
    assert (plan.blas, plan.parts, plan.source) == (1, 2, "user")
    assert (choose_threads(MLP, (784,), tmp_path).blas, plan_for(MLP, 1)) == (2, (1, 1))
    monkeypatch.delenv(THREADS_ENV)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    plan = choose_threads(CONV, (28, 28, 1), tmp_path)
    assert (plan.blas, plan.parts, plan.source) == (None, 1, "user")  # the BLAS as the user set it
    assert measuring == []


def test_a_bad_thread_count_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(THREADS_ENV, "many")
    with pytest.raises(ValueError, match="TUI_NN_THREADS='many': must be a whole number"):
        choose_threads(MLP, (784,), tmp_path)


def test_a_run_records_the_threads_it_trained_with(tmp_path, mnist, monkeypatch):
    pytest.importorskip("threadpoolctl")
    from dataclasses import replace

    from tui_nn.experiment.records import RunRecorder
    from tui_nn.experiment.session import prepare

    monkeypatch.setenv(THREADS_ENV, "1")
    spec = replace(MLP, training=replace(MLP.training, epochs=1),
                   data=replace(MLP.data, train_size=500, validation_size=0, test_size=100))
    recorder = RunRecorder(tmp_path / "run.json", spec, "lab-momentum")
    for event in prepare(spec, dataset=mnist).events():
        recorder.observe(event)
    blas = recorder.record["blas"]
    assert blas["library"] and blas["threads"] == 1 and blas["conv_part_threads"] == 1, blas
