"""The Textual app and its factory, used by ``python -m tui_nn`` and by the tests alike."""

from __future__ import annotations

from dataclasses import replace

import sys
from pathlib import Path

from textual.app import App, SystemCommand
from textual.theme import BUILTIN_THEMES
from textual.binding import Binding
from textual.driver import Driver
from textual.events import Resize
from textual.screen import Screen

from ..common import paths
from ..data import Dataset
from ..experiment.build import load_spec_dataset
from ..experiment.spec.schema import Spec, is_image_data
from .ascii import ascii_driver, ascii_key_display
from .navigation import (Compare, Confusion, Draw, Edit, Gallery, OpenPlace, Place, Playground, Runs, Sweep, Train,
                         Weights)
from .screens.confusion import ConfusionScreen
from .screens.dialogs import ConfirmScreen, TooSmallScreen
from .screens.draw import DrawScreen
from .screens.editor import EditorScreen
from .screens.gallery import GalleryScreen
from .screens.help import HelpScreen
from .screens.playground import PlaygroundScreen
from .screens.presets import PresetsScreen
from .screens.runs import CompareScreen, RunsScreen
from .screens.sweep import SweepScreen
from .screens.training import TrainingScreen
from .screens.weights import WeightsScreen

MIN_WIDTH, MIN_HEIGHT = 80, 24


#: Without colour (NO_COLOR) each colour is drawn as a grey of its lightness, and the default
#: theme's red and green come out as dark greys on the dark background: here they are light tints,
#: so "3 problem(s)", "valid" and every error line stay readable.
PLAIN_THEME = replace(BUILTIN_THEMES["textual-dark"], name="tui-nn-plain", error="#ffb0b0", warning="#ffe0a0",
                      success="#c8f0c8")


class TuiNNApp(App):
    TITLE = "tui_nn"
    CSS_PATH = "app.tcss"
    # A priority binding, so ? opens the help from a number field too (NumberInput lets it
    # through; text fields keep it as a character).
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?", priority=True)]

    def __init__(self, home: Path, dataset: Dataset | None = None, ascii_art: bool = False):
        self.ascii_art = ascii_art  # read by get_driver_class, which the App's constructor calls
        super().__init__()
        self.home = home
        self._fixed_dataset = dataset
        self._datasets: dict[tuple, Dataset] = {}
        self.saved_preset: str | None = None  # the preset saved last, highlighted when home shows again
        if self.no_color:
            self.register_theme(PLAIN_THEME)
            self.theme = PLAIN_THEME.name

    def get_driver_class(self) -> type[Driver]:
        base = super().get_driver_class()
        return ascii_driver(base) if self.ascii_art else base

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer shows it: in words where its symbol has no ASCII stand-in (Enter, not <)."""
        text = super().get_key_display(binding)
        return ascii_key_display(text) if self.ascii_art else text

    def on_mount(self) -> None:
        self.push_screen(PresetsScreen())

    def dataset_for(self, spec: Spec) -> Dataset:
        """The dataset a spec asks for, loaded once per app (called from the training worker)."""
        if self._fixed_dataset is not None:
            return self._fixed_dataset
        # A table (a CSV file, a generated dataset) depends on more of the spec: its seed, noise,
        # points, gate, target...
        key = (spec.data, spec.seed) if not is_image_data(spec.data) else \
            (spec.data.dataset, spec.data.path, spec.data.root, spec.data.loader)
        if key not in self._datasets:
            self._datasets[key] = load_spec_dataset(spec, str(self.home))
        return self._datasets[key]

    def on_open_place(self, message: OpenPlace) -> None:
        self.push_screen(self.screen_for(message.place))

    def screen_for(self, place: Place) -> Screen:
        """The screen that shows a place a screen asked for (navigation.py)."""
        match place:
            case Train(preset):
                return TrainingScreen(preset)
            case Playground(preset):
                return PlaygroundScreen(preset)
            case Sweep(preset):
                return SweepScreen(preset)
            case Edit(preset):
                return EditorScreen(preset)
            case Runs(folder, title, names):
                return RunsScreen(folder, title, dict(names))
            case Compare(record_paths):
                return CompareScreen(list(record_paths))
            case Confusion(model_path):
                return ConfusionScreen(model_path)
            case Weights(model_path):
                return WeightsScreen(model_path)
            case Draw(model_path):
                return DrawScreen(model_path)
            case Gallery(predictions, class_names, updates, true_class, predicted_class):
                return GalleryScreen(predictions, class_names, updates, true_class, predicted_class)
        raise ValueError(f"no screen shows {place!r}")

    async def action_quit(self) -> None:
        """ctrl+q (and q at home): asks first while a run is training, as Escape does."""
        running = [s for s in self.screen_stack if isinstance(s, (TrainingScreen, SweepScreen)) and s.running]
        if not running or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                for screen in running:
                    screen.action_stop()
                self.exit()

        self.push_screen(ConfirmScreen("Training is running. Stop it and quit?"), answered)

    def get_system_commands(self, screen):
        """The command palette (ctrl+p) offers the app's own actions: train or edit any preset,
        the gallery, the help, as well as the library's own commands."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and what this screen does", self.action_help)
        if isinstance(screen, TrainingScreen):
            yield SystemCommand("Gallery", "Test digits with this run's predictions", screen.action_gallery)
        if isinstance(screen, PresetsScreen):
            yield SystemCommand("Playground", "A problem of one or two inputs training live, its decision map drawn",
                                screen.action_playground)
            for preset in screen.presets:
                yield SystemCommand(f"Train {preset.key}", preset.name, lambda p=preset: screen.open_preset(p))
                yield SystemCommand(f"Edit {preset.key}", preset.name,
                                    lambda p=preset: self.push_screen(self.screen_for(Edit(p))))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_resize(self, event: Resize) -> None:
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not too_small and showing:
            self.pop_screen()


def wants_ascii() -> bool:
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "")
    return encoding not in ("utf8", "utf_8")


def make_app(home: Path | str | None = None, dataset: Dataset | None = None, ascii_art: bool = False) -> TuiNNApp:
    return TuiNNApp(paths.home(home), dataset, ascii_art or wants_ascii())
