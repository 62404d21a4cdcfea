"""One sweep point trained to its end, as a worker does it: a local worker process or a Dask
worker. Everything it needs comes in as plain data (the spec as a dict, the home, the thread
count) and its record, with the trained model's bytes, goes back to the machine that stores it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..experiment.models import keeps_model, session_model_bytes
from ..experiment.records import RunRecorder
from ..experiment.session import prepare
from ..experiment.spec.parse import parse_spec

#: A point's threads unless the user set TUI_NN_THREADS: the workers are the parallelism.
WORKER_THREADS = 1

MODEL_BYTES = "model_file_bytes"  # a point's trained model on its way back from its worker


def train_point(raw: dict[str, Any], preset_key: str, home: str | None,
                threads: int | None = WORKER_THREADS) -> dict[str, Any]:
    """Train one point to its end; returns its record (the caller stores it). ``threads`` is
    the thread count the run uses (see thread_choice.py; None measures as a single run does)."""
    spec, problems = parse_spec(raw)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    session = prepare(spec, home, threads=threads)
    with tempfile.TemporaryDirectory() as scratch:
        recorder = RunRecorder(Path(scratch) / "point.json", spec, preset_key, data=session.data_summary())
        for event in session.events():
            recorder.observe(event)
        record = recorder.record
    record["worker"] = {"pid": os.getpid(), "host": os.uname().nodename}
    if keeps_model(record):  # the trained network travels back with its record (see sweep.store_point)
        record[MODEL_BYTES] = session_model_bytes(session, record)
    return record
