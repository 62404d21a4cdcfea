"""The playground's training worker: the engine's events as for the training screen, and the pictures
of the network (its decision map or fitted curve, each hidden unit's map) computed in the worker
while the engine waits at an epoch's end, so the screen never reads arrays the engine is writing.

Pictures are made at most ``MAP_INTERVAL`` seconds apart (and after the last epoch): a small
network trains hundreds of epochs a second, faster than a terminal redraws, and a map per epoch
would only slow it down. A newer picture waiting in the screen's queue replaces an older one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from textual.message import Message
from textual.message_pump import MessagePump

from ..engine.control import Control
from ..engine.events import EpochEnd, Finished
from ..experiment.models import keep_model
from ..experiment.records import RunRecorder
from ..experiment.session import Session
from ..render.decision_map import MapGrid
from ..render.playground_view import PlaygroundView, decision_grid_1d
from .messages import TrainingEvent

MAP_INTERVAL = 0.05  # seconds: up to 20 pictures a second
UNIT_MAP_SIZE = 4  # each hidden unit's map: 4 x 4 points, drawn 4 columns by 2 rows
MAX_UNIT_MAPS = 8  # units a layer that get a map (the Playground's widest layer)


@dataclass(frozen=True)
class Picture:
    """What the network computes after ``epoch``: fresh arrays the engine never touches."""

    run: int
    epoch: int
    grid: MapGrid | None  # two inputs: the map; one input: None
    curve: tuple[np.ndarray, np.ndarray] | None  # one input, a regression: (x, output)
    strip: MapGrid | None  # one input, classes: the classes along the line
    units: list[np.ndarray]  # per hidden layer, (units <= 8, size, size)
    seconds: float  # time taken to compute it


class PictureReady(Message):
    def __init__(self, picture: Picture) -> None:
        super().__init__()
        self.picture = picture

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PictureReady) and message.picture.run == self.picture.run


class RunEvent(TrainingEvent):
    """An engine event of one of the screen's runs (each restart is a new run number)."""

    def __init__(self, run: int, event) -> None:
        super().__init__(event)
        self.run = run


def picture(view: PlaygroundView, run: int, epoch: int, columns: int, rows: int) -> Picture:
    started = time.perf_counter()
    grid = curve = strip = None
    if view.inputs == 2:  # a regression's surface is drawn beside its target: half as wide
        grid = view.grid((columns - 1) // 2 if view.regression else columns, rows)
    elif view.regression:
        curve = view.curve(columns * 2)
    else:
        strip = decision_grid_1d(view, columns)
    units = [layer[:MAX_UNIT_MAPS] for layer in view.unit_maps(UNIT_MAP_SIZE)] if view.inputs == 2 else []
    return Picture(run, epoch, grid, curve, strip, units, time.perf_counter() - started)


def run_playground(session: Session, view: PlaygroundView, control: Control, recorder: RunRecorder,
                   target: MessagePump, run: int, size: tuple[int, int]) -> None:
    """Called inside the thread worker; as ``runner.run_training`` with the pictures added."""
    columns, rows = size
    last, epoch, drawn = 0.0, 0, 0
    try:
        target.post_message(PictureReady(picture(view, run, 0, columns, rows)))
        for event in session.events(control):
            recorder.observe(event)
            if isinstance(event, Finished):
                keep_model(session, recorder, event.status)
            target.post_message(RunEvent(run, event))
            if isinstance(event, EpochEnd):
                epoch = event.epoch
                now = time.perf_counter()
                if now - last >= MAP_INTERVAL:
                    last, drawn = now, epoch
                    target.post_message(PictureReady(picture(view, run, epoch, columns, rows)))
        if epoch != drawn:  # the network as the run left it (early stopping may have restored the best)
            target.post_message(PictureReady(picture(view, run, epoch, columns, rows)))
    except Exception as error:
        try:
            recorder.failed(f"{type(error).__name__}: {error}")
        except OSError:
            pass
        raise
