"""Command line: ``tui-nn [run|presets|runs|compare|sweep|baseline|evaluate|paths|replay|bench]``; with
no command, the app. The one parser is put together here: each command group's module adds its
subcommands, each naming its handler with ``set_defaults(func=...)``."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..common import paths
from . import app, bench, evaluate, exits, run, runs, sweep
from .exits import InvalidInput
from .output import silence_stdout

# In the order `tui-nn --help` lists them.
SUBCOMMANDS = (run.add_run, run.add_presets, runs.add_runs, runs.add_compare, sweep.add_sweep,
               evaluate.add_baseline, evaluate.add_evaluate, run.add_paths, run.add_replay, bench.add_bench)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-nn", description="Neural networks from scratch in NumPy, in the terminal. With no command, "
                                   "the app opens.",
        epilog=f"User presets, run records and caches live under the home folder (--home, ${paths.HOME_ENV}, or "
               f"the platform's user data folder); `tui-nn paths` prints where. Threads: ${'TUI_NN_THREADS'}=N "
               f"(default: measured per machine and network, again after an hour).")
    parser.add_argument("--version", action="version", version=f"tui-nn {__version__}")
    parser.add_argument("--home", help=f"folder for presets, runs and caches (default: ${paths.HOME_ENV} or the "
                                       "user data folder)")
    parser.add_argument("--ascii", action="store_true", help="plain ASCII art: the app's digits, and the map or curve a table run ends with")
    parser.add_argument("--no-mouse", action="store_true", help="app: leave the mouse to the terminal")
    parser.set_defaults(func=app.cmd_app)
    sub = parser.add_subparsers(dest="command")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    home = paths.home(args.home)
    if home.exists() and not home.is_dir():
        where = "--home" if args.home else f"${paths.HOME_ENV}" if os.environ.get(paths.HOME_ENV) else "the home folder"
        print(f"error: {where} {home}: is a file, not a folder", file=sys.stderr)
        return exits.INVALID
    try:
        code = args.func(args, home)
        sys.stdout.flush()  # a reader that went away shows here, as OUTPUT_CLOSED, not as a warning at exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return exits.INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (| head): stop quietly
        silence_stdout()
        return exits.OUTPUT_CLOSED
    except InvalidInput as error:
        print(f"error: {error}", file=sys.stderr)
        return exits.INVALID


if __name__ == "__main__":
    sys.exit(main())
