"""The training worker's body: iterate the engine's events in a thread and post them to a screen."""

from __future__ import annotations

from textual.message_pump import MessagePump

from ..engine.control import Control
from ..engine.events import EpochEnd, Finished
from ..experiment.models import keep_model
from ..experiment.records import RunRecorder
from ..experiment.session import Session
from .messages import Predictions, PredictionsReady, TrainingEvent

GALLERY_LIMIT = 10_000


def predictions_for(session: Session, epoch: int) -> Predictions | None:
    """Probabilities for the test images (or validation when there is no test split).

    Runs in the worker while the generator is suspended at ``EpochEnd``, so no weight is being
    written; the result is a new array the engine never touches again.
    """
    part = session.feed.splits.test or session.feed.splits.validation
    if part is None:
        return None
    images, labels = part.rows(slice(0, GALLERY_LIMIT))
    probabilities = session.network.predict_proba(session.feed.to_float(images))
    return Predictions(epoch, probabilities, labels.copy(), images.copy())


def run_training(session: Session, control: Control, recorder: RunRecorder, target: MessagePump) -> None:
    """Called inside the thread worker. ``post_message`` is thread-safe and never blocks training.
    Whatever ends the loop, the record says how: a failure marks it failed (as far as the disk
    still allows) before the error reaches the worker's handler."""
    try:
        for event in session.events(control):
            recorder.observe(event)
            if isinstance(event, Finished):
                keep_model(session, recorder, event.status)  # before the screen hears the run has ended
            target.post_message(TrainingEvent(event))
            if isinstance(event, EpochEnd):
                predictions = predictions_for(session, event.epoch)
                if predictions is not None:
                    target.post_message(PredictionsReady(predictions))
    except Exception as error:
        try:
            recorder.failed(f"{type(error).__name__}: {error}")
        except OSError:
            pass  # the last record written stays; the screen reports the error
        raise
