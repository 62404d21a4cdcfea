"""`tui-nn run`, `replay`, `presets` and `paths`: one preset trained headless, a record re-run, and
where everything lives."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ..common import paths
from ..data import DatasetError, IdxError
from ..engine.events import Diverged, Finished
from ..experiment.models import keep_model, model_path
from ..experiment.presets import builtin_presets, user_presets
from ..experiment.records import RunRecorder, default_record_path, read_record
from ..experiment.replay import replay
from ..experiment.session import prepare
from ..experiment.spec.parse import SpecError
from . import exits
from .epoch_table import EpochPrinter, OutputLost
from .exits import InvalidInput, unreadable
from .final_view import final_metrics_line, print_table_results
from .output import check_inputs, check_outputs, data_inputs, plural, silence_stdout, unlistable
from .overrides import add_set_option, load_spec
from .signals import stop_code, stopped_by, terminated_as_interrupt


def add_run(sub) -> None:
    run = sub.add_parser("run", help="train a preset headless and write a run record")
    run.add_argument("preset", help="a preset name (see `tui-nn presets`) or a .toml file")
    run.add_argument("--epochs", type=int, help="train this many epochs instead of the preset's")
    run.add_argument("--seed", type=int, help="seed of the run's one random generator instead of the preset's")
    add_set_option(run)
    run.add_argument("--record", help="where to write the run record (default: the runs folder)")
    run.add_argument("--checkpoint", help="save a checkpoint (.npz) here after every epoch")
    run.add_argument("--resume", help="continue from this checkpoint")
    run.add_argument("--quiet", action="store_true", help="print only the record path and final accuracy")
    run.set_defaults(func=cmd_run)


def add_presets(sub) -> None:
    sub.add_parser("presets", help="list the presets").set_defaults(func=cmd_presets)


def add_paths(sub) -> None:
    sub.add_parser("paths", help="where user presets, run records, caches and datasets live").set_defaults(
        func=cmd_paths)


def add_replay(sub) -> None:
    replay_parser = sub.add_parser("replay", help="re-run a run record and compare it epoch by epoch")
    replay_parser.add_argument("record", help="a run record (.json) written by `tui-nn run` or the app")
    replay_parser.add_argument("--epochs", type=int, help="compare only the first N epochs")
    replay_parser.add_argument("--tolerance", type=float, default=0.0,
                               help="allowed absolute difference (default 0)")
    replay_parser.set_defaults(func=cmd_replay)


def cmd_run(args: argparse.Namespace, home: Path) -> int:
    check_inputs({"--resume": args.resume})
    preset, spec = load_spec(args.preset, home, args.overrides, args.epochs, args.seed)
    record_path = Path(args.record) if args.record else default_record_path(home, preset.key)
    record_what = "--record" if args.record else "the runs folder"
    check_outputs({record_what: record_path, f"the model beside {record_what}": model_path(record_path),
                   "--checkpoint": args.checkpoint},
                  {spec_file_role(args.preset, preset): None if preset.builtin else preset.path,
                   "--resume": args.resume, **data_inputs(spec.data.path)},
                  may_replace={"--checkpoint": "--resume"})
    try:
        session = prepare(spec, str(home), checkpoint=args.checkpoint, resume=args.resume)
    except (SpecError, DatasetError, IdxError, ValueError) as error:
        raise InvalidInput(str(error)) from None
    except OSError as error:  # a data file or checkpoint that cannot be read
        raise unreadable(error) from None
    # The resolved spec: a table given only its path and target records the model it really trains.
    recorder = RunRecorder(record_path, session.spec, preset.key, session.state.history if session.state else None,
                           data=session.data_summary())
    recorder.save()
    printer = EpochPrinter(quiet=args.quiet)
    status = "completed"
    try:
        with terminated_as_interrupt():
            printer.header(preset.name, session)
            with printer:
                for event in session.events():
                    recorder.observe(event)
                    printer.show(event)
                    if isinstance(event, Diverged):
                        print(f"diverged: {event.reason}", file=sys.stderr)
                    if isinstance(event, Finished):
                        status = event.status
    except KeyboardInterrupt as stop:
        recorder.interrupted(f"stopped by {stopped_by(stop)}")
        print(f"interrupted by {stopped_by(stop)}; the record keeps the finished epochs: {record_path}",
              file=sys.stderr)
        return stop_code(stop)
    except (OutputLost, BrokenPipeError) as lost:
        recorder.interrupted(f"the output could not be written ({lost}), so the run stopped")
        silence_stdout()
        return exits.OUTPUT_CLOSED
    except OSError as error:  # a record or checkpoint write failed mid-run (a full disk, a vanished folder)
        finished = len(recorder.record["epochs"])
        try:
            recorder.failed(f"a write failed after epoch {finished}: {error.strerror or error}")
            kept = "the record says so"
        except OSError:
            kept = "the record on disk is the last one written"
        print(f"error: {error.filename or 'a file'}: {error.strerror or error}; the run stopped after "
              f"{plural(finished, 'finished epoch')} and {kept}", file=sys.stderr)
        return exits.WRITE_FAILED
    model = failed = None
    try:
        model = keep_model(session, recorder, status)
    except OSError as error:
        failed = f"error: {error.filename or model_path(record_path)}: could not be written " \
                 f"({error.strerror or error}) after the run finished; the record keeps every epoch"
    try:
        if status != "diverged" and not args.quiet:
            print_table_results(session, ascii_only=getattr(args, "ascii", False))
        final_line = final_metrics_line(recorder.record["final"] or {})
        if final_line:
            print(final_line)
        print(f"record: {record_path}", flush=True)
        if model is not None:
            print(f"model: {model}", flush=True)
    except OSError:
        silence_stdout()
    if failed:
        print(failed, file=sys.stderr)
        return exits.WRITE_FAILED
    return exits.DIVERGED if status == "diverged" else exits.OK


def spec_file_role(given: str, preset) -> str:
    """How a command's message names the spec it read: the file given, or the user preset's file."""
    return "the spec file" if preset.path is not None and Path(given).expanduser() == preset.path else \
        "the preset file"


def cmd_presets(args: argparse.Namespace, home: Path) -> int:
    user, errors = user_presets(home)
    rows = [(p.key + ("" if p.builtin else " (user)"), p.architecture(), p.optimizer_summary(),
             p.expected_text(), p.reference or "-")
            for p in builtin_presets() + user]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(("preset", "architecture", "optimizer", "expected", "ref"), widths)))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for error in errors:
        print(f"skipped: {error}", file=sys.stderr)
    unlisted = unlistable(paths.presets_dir(home))
    if unlisted:
        print(f"skipped: {unlisted}", file=sys.stderr)
    return exits.OK


def path_rows(home: Path) -> list[tuple[str, Path]]:
    """What `tui-nn paths` lists, one (name, folder) a line."""
    return [("home", home), ("user presets", paths.presets_dir(home)), ("run records", paths.runs_dir(home)),
            ("caches", paths.cache_dir(home)), ("datasets", paths.data_root(None, home))]


def cmd_paths(args: argparse.Namespace, home: Path) -> int:
    for name, where in path_rows(home):
        print(f"{name:<13} {where}")
    for cache in paths.caches(home):
        print(f"  {cache.name:<17} {cache.path}  {plural(cache.files, 'file')}, {size_text(cache.bytes)}")
    return exits.OK


def size_text(size: int) -> str:
    """``0 B``, ``12 KB``, ``47.1 MB``: a size on disk as a person reads it."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}" if size < 100 * scale else f"{size // scale} {unit}"
    return f"{size} B"


def cmd_replay(args: argparse.Namespace, home: Path) -> int:
    if args.epochs is not None and args.epochs < 1:
        raise InvalidInput(f"--epochs {args.epochs}: compare at least 1 epoch")
    if not (math.isfinite(args.tolerance) and args.tolerance >= 0):
        raise InvalidInput(f"--tolerance {args.tolerance}: must be a finite number >= 0")
    check_inputs({"the record": args.record})
    try:
        record = read_record(args.record)
        compared, differences = replay(record, args.epochs, str(home), args.tolerance)
    except (ValueError, SpecError) as error:
        raise InvalidInput(str(error)) from None
    if not differences:
        print(f"identical: {plural(compared, 'epoch')} match{'es' if compared == 1 else ''} the record")
        return exits.OK
    print(f"{plural(len(differences), 'difference')} over {plural(compared, 'epoch')}:")
    print(f"{'epoch':>5}  {'metric':<16} {'recorded':>14} {'replayed':>14}")
    for d in differences:
        print(f"{d.epoch:>5}  {d.metric:<16} {d.recorded!s:>14} {d.replayed!s:>14}")
    return exits.DIFFERENT
