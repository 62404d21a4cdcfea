"""The two-part runner (engine/parallel.py): both parts run, on two threads when allowed, errors
reach the caller, and a second caller never shares the partner thread."""

import threading

import pytest

from tui_nn.engine import parallel
from tui_nn.engine.parallel import run_parts, use_threads


def test_one_thread_runs_the_parts_in_order_on_the_callers_thread():
    seen = []
    run_parts(lambda i: seen.append((i, threading.current_thread().name)), 2)
    here = threading.current_thread().name
    assert seen == [(0, here), (1, here)]


def test_two_threads_run_the_second_part_on_the_partner():
    seen = {}
    with use_threads(2):
        run_parts(lambda i: seen.setdefault(i, threading.current_thread().name), 2)
        run_parts(lambda i: seen.setdefault(i + 10, threading.current_thread().name), 2)
    here = threading.current_thread().name
    assert seen[0] == seen[10] == here
    assert seen[1] == seen[11] == "tui-nn-part"


def test_both_parts_run_at_once():
    both_started = threading.Barrier(2, timeout=5)  # breaks (raises) unless the parts overlap
    with use_threads(2):
        run_parts(lambda i: both_started.wait(), 2)


@pytest.mark.parametrize("failing", [0, 1])
def test_an_error_in_either_part_reaches_the_caller_and_the_partner_stays_usable(failing):
    def work(i):
        if i == failing:
            raise ValueError(f"part {i} failed")

    seen = []
    with use_threads(2):
        with pytest.raises(ValueError, match=f"part {failing} failed"):
            run_parts(work, 2)
        run_parts(seen.append, 2)
    assert sorted(seen) == [0, 1]


def test_a_second_caller_runs_its_parts_itself_while_the_partner_is_busy():
    release = threading.Event()
    inside = threading.Event()
    names = []

    def slow(i):
        if i == 1:
            inside.set()
            release.wait(5)

    def other_caller():
        inside.wait(5)
        run_parts(lambda i: names.append(threading.current_thread().name), 2)
        release.set()

    with use_threads(2):
        thread = threading.Thread(target=other_caller, name="second-caller")
        thread.start()
        run_parts(slow, 2)
        thread.join(5)
    assert names == ["second-caller", "second-caller"]


def test_an_abandoned_partner_is_replaced():
    with use_threads(2):
        run_parts(lambda i: None, 2)
    old = parallel._partner
    old.abandoned = True  # as after Ctrl-C while waiting for it
    seen = []
    run_parts(seen.append, 2)  # one thread now: nothing handed to it
    with use_threads(2):
        assert parallel._partner is not old
        run_parts(lambda i: seen.append(threading.current_thread().name), 2)
    assert seen[:2] == [0, 1] and "tui-nn-part" in seen[2:]
