"""A sweep on a Dask cluster (a LocalCluster on loopback): records come back to the machine that
started it, and a point whose worker dies is run again elsewhere and reported."""

import json
import os
import queue
import signal
import subprocess
import sys

import pytest

distributed = pytest.importorskip("distributed")

from .test_runs_and_sweeps import TINY, write_preset  # noqa: E402


def local_cluster():
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address=":0")  # a free port: two clusters may be up at once


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the tests that leave it as they found it (starting one takes seconds)."""
    with local_cluster() as local:
        yield local


@pytest.fixture
def own_cluster():
    """A cluster of the test's own, for one that kills a worker."""
    with local_cluster() as local:
        yield local


def sweep(home, scheduler, *extra):
    return subprocess.Popen([sys.executable, "-m", "tui_nn", "--home", str(home), "sweep", "rates",
                             "--executor", "dask", "--scheduler", scheduler, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_sweep_on_a_dask_cluster_brings_every_record_home(tmp_path, cluster):
    write_preset(tmp_path, "rates", {**TINY, "sweep": {"seeds": 2, "grid": {"optimizer.learning_rate": [0.1, 1.0]}}})
    out, err = sweep(tmp_path, cluster.scheduler_address).communicate(timeout=300)
    assert "[4/4]" in out, err
    records = list((tmp_path / "runs" / "sweeps" / "rates").glob("????????????.json"))
    assert len(records) == 4
    workers = {json.loads(path.read_text())["worker"]["pid"] for path in records}
    assert os.getpid() not in workers  # trained on the cluster, stored here


def test_a_point_whose_worker_dies_runs_again_elsewhere_and_is_reported(tmp_path, own_cluster):
    cluster = own_cluster
    slow = {**TINY, "data": {"train_size": 10000, "validation_size": 300, "test_size": 300},
            "training": {"epochs": 10, "batch_size": 10},
            "sweep": {"seeds": 1, "grid": {"optimizer.learning_rate": [0.1, 0.2]}}}
    write_preset(tmp_path, "rates", slow)
    client = distributed.Client(cluster.scheduler_address)
    started = queue.Queue()  # the address of a worker as it starts running a point

    class ReportsStarts(distributed.WorkerPlugin):
        def setup(self, worker):
            self.worker = worker

        def transition(self, key, start, finish, **kwargs):
            if finish == "executing":
                self.worker.log_event("point-started", self.worker.address)

    client.subscribe_topic("point-started", lambda event: started.put(event[1]))
    client.register_plugin(ReportsStarts())
    process = sweep(tmp_path, cluster.scheduler_address)
    victim = started.get(timeout=120)  # a point is training there (each takes seconds)
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    out, err = process.communicate(timeout=300)
    client.close()
    assert "[2/2]" in out, err
    assert "re-run after their worker died" in out, out
    summary = json.loads(next((tmp_path / "runs" / "sweeps" / "rates").glob("sweep-*.json")).read_text())
    assert summary["reruns"] >= 1 and all(p["status"] == "completed" for p in summary["points"])


def test_the_dask_executor_gives_the_local_numbers_for_the_same_seeds(tmp_path, cluster):
    table = {**TINY, "sweep": {"seeds": 2, "grid": {"optimizer.learning_rate": [0.1, 1.0]}}}
    scores = {}
    for executor in ("processes", "dask"):
        home = tmp_path / executor
        write_preset(home, "rates", table)
        extra = ["--scheduler", cluster.scheduler_address] if executor == "dask" else ["--workers", "2"]
        out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(home), "sweep", "rates",
                              "--executor", executor, *extra], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        summary = json.loads(next((home / "runs" / "sweeps" / "rates").glob("sweep-*.json")).read_text())
        scores[executor] = [sorted(group["scores"]) for group in summary["results"]]
    assert scores["dask"] == scores["processes"]
