"""Messages the training worker posts to the app: engine events, wrapped; batch progress coalesces."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.message import Message

from ..engine.events import BatchProgress, Event


class TrainingEvent(Message):
    """One engine event from the worker thread (a frozen record of plain numbers)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        # A newer progress report makes an older queued one pointless; every other event is kept.
        return (isinstance(self.event, BatchProgress) and isinstance(message, TrainingEvent)
                and isinstance(message.event, BatchProgress))


@dataclass(frozen=True)
class Predictions:
    """Test-set probabilities after one epoch, computed in the worker into a fresh array."""

    epoch: int
    probabilities: np.ndarray
    labels: np.ndarray
    images: np.ndarray


class PredictionsReady(Message):
    def __init__(self, predictions: Predictions) -> None:
        super().__init__()
        self.predictions = predictions
