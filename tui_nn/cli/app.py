"""``tui-nn`` with no command: the app, in a terminal."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import exits


def terminal_ready() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_app(args: argparse.Namespace, home: Path) -> int:
    if not terminal_ready():
        print("tui-nn: the app needs a terminal (stdin and stdout are not one here); "
              "headless, use `tui-nn run PRESET` (see `tui-nn --help`)", file=sys.stderr)
        return exits.INVALID
    try:
        # Imported here, not above: Textual and the app's screens would be most of every other
        # command's start-up (`tui-nn presets`: 0.49 s without them, 0.71 s with them, best of 21).
        from ..tui.app import make_app

        app = make_app(home=home, ascii_art=args.ascii)
        # SIGTERM closes the app as quitting does: a running training stops and its record says so.
        signal.signal(signal.SIGTERM, lambda signum, frame: app.exit())
        app.run(mouse=not args.no_mouse)
    except Exception as error:  # raised out of the app: it could not start (a terminal it cannot drive, ...)
        print(f"error: the app could not run: {type(error).__name__}: {error}", file=sys.stderr)
        return exits.APP_FAILED
    # An error inside the running app is shown by Textual, which then stops with return code 1.
    return exits.APP_FAILED if app.return_code else exits.OK
