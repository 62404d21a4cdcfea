"""Where a screen can send the user, named without importing the screen that shows it.

A screen asks for a place with ``go(self, Train(preset))``: an ``OpenPlace`` message that
bubbles up to the app, which imports every screen and pushes the one for the place
(``TuiNNApp.screen_for``). So a screen imports only what lies below it (widgets, dialogs,
messages) and never another screen, and the app is the one module that knows them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.dom import DOMNode
from textual.message import Message
from textual.signal import Signal

from ..experiment.presets import Preset
from .messages import Predictions


class Place:
    """Somewhere the app can take the user; each kind names what its screen needs."""


@dataclass(frozen=True)
class Train(Place):
    """A preset training live, with its epochs, curves and log."""

    preset: Preset


@dataclass(frozen=True)
class Playground(Place):
    """A problem of one or two inputs training live with its decision map, as the Playground."""

    preset: Preset


@dataclass(frozen=True)
class Sweep(Place):
    """A sweep preset's leaderboard, its points training in worker processes."""

    preset: Preset


@dataclass(frozen=True)
class Edit(Place):
    """The form that edits a preset (a new one when its key is not taken yet)."""

    preset: Preset


@dataclass(frozen=True)
class Runs(Place):
    """The recorded runs: every single run, or one sweep's points (its ``folder``)."""

    folder: Path | None = None
    title: str = ""
    names: tuple[tuple[str, str], ...] = ()  # a sweep's points by id, named as its leaderboard names them


@dataclass(frozen=True)
class Compare(Place):
    """Several runs' curves overlaid, from their records."""

    record_paths: tuple[Path, ...]


@dataclass(frozen=True)
class Confusion(Place):
    """A saved model's confusion matrix on its test split."""

    model_path: Path


@dataclass(frozen=True)
class Weights(Place):
    """A saved model's first-layer units (and a conv model's feature maps) as images."""

    model_path: Path


@dataclass(frozen=True)
class Draw(Place):
    """A saved model reading a digit drawn by hand."""

    model_path: Path


@dataclass(frozen=True, eq=False)
class Gallery(Place):
    """Test digits with a network's predictions; ``updates`` brings newer ones (a run still
    training publishes each epoch's), and a confusion-matrix cell opens on its two classes."""

    predictions: Predictions
    class_names: tuple[str, ...] | None = None
    updates: Signal[Predictions] | None = None
    true_class: int | None = None
    predicted_class: int | None = None


class OpenPlace(Message):
    """A screen asks the app to show a place on top of it."""

    def __init__(self, place: Place) -> None:
        super().__init__()
        self.place = place


def go(node: DOMNode, place: Place) -> None:
    """Show ``place`` on top of ``node``'s screen (the message reaches the app through the screen)."""
    node.post_message(OpenPlace(place))
