"""The Textual app and its factory, used by ``python -m tui_nn`` and by the tests alike."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.driver import Driver
from textual.events import Resize
from textual.scrollbar import ScrollBar

from ..common import paths
from ..data import Dataset
from ..experiment.build import load_spec_dataset
from ..experiment.spec.schema import Spec
from .ascii import WholeCellScrollBarRender, ascii_driver
from .screens.dialogs import TooSmallScreen
from .screens.help import HelpScreen
from .screens.presets import PresetsScreen

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TuiNNApp(App):
    TITLE = "tui_nn"
    CSS_PATH = "app.tcss"
    # A priority binding, so ? opens the help from a number field too (NumberInput lets it
    # through; text fields keep it as a character).
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?", priority=True)]

    def __init__(self, home: Path, dataset: Dataset | None = None, ascii_art: bool = False):
        self.ascii_art = ascii_art  # read by get_driver_class, which the App's constructor calls
        ScrollBar.renderer = WholeCellScrollBarRender
        super().__init__()
        self.home = home
        self._fixed_dataset = dataset
        self._datasets: dict[tuple, Dataset] = {}

    def get_driver_class(self) -> type[Driver]:
        base = super().get_driver_class()
        return ascii_driver(base) if self.ascii_art else base

    def on_mount(self) -> None:
        self.push_screen(PresetsScreen())

    def dataset_for(self, spec: Spec) -> Dataset:
        """The dataset a spec asks for, loaded once per app (called from the training worker)."""
        if self._fixed_dataset is not None:
            return self._fixed_dataset
        key = (spec.data.dataset, spec.data.path, spec.data.root, spec.data.loader)
        if key not in self._datasets:
            self._datasets[key] = load_spec_dataset(spec, str(self.home))
        return self._datasets[key]

    async def action_quit(self) -> None:
        """ctrl+q (and q at home): asks first while a run is training, as Escape does."""
        from .screens.dialogs import ConfirmScreen
        from .screens.training import TrainingScreen

        from .screens.sweep import SweepScreen

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
        from textual.app import SystemCommand

        from .screens.editor import EditorScreen
        from .screens.presets import PresetsScreen as Home
        from .screens.training import TrainingScreen

        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and what this screen does", self.action_help)
        if isinstance(screen, TrainingScreen):
            yield SystemCommand("Gallery", "Test digits with this run's predictions", screen.action_gallery)
        if isinstance(screen, Home):
            for preset in screen.presets:
                yield SystemCommand(f"Train {preset.key}", preset.name, lambda p=preset: screen.open_preset(p))
                yield SystemCommand(f"Edit {preset.key}", preset.name,
                                    lambda p=preset: self.push_screen(EditorScreen(p)))

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
