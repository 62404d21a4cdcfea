"""Command line: ``tui-nn [run|presets|replay|bench]``; with no subcommand, the app."""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from contextlib import contextmanager
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..common import paths
from .runs import (add_baseline_parser, add_evaluate_parser, cmd_baseline, cmd_compare, cmd_evaluate, cmd_runs,
    cmd_sweep)
from .runs import add_parsers as add_run_parsers
from ..render.formatting import accuracy_text

EXIT_OK, EXIT_DIFFERENT, EXIT_INVALID, EXIT_DIVERGED = 0, 1, 2, 3
EXIT_WRITE_FAILED = 4  # a record or checkpoint could not be written in the middle of a run
EXIT_INTERRUPTED, EXIT_OUTPUT_LOST, EXIT_TERMINATED = 130, 141, 143  # 128 + SIGINT, SIGPIPE, SIGTERM


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-nn", description="Neural networks from scratch in NumPy, in the terminal. With no command, "
                                   "the app opens.",
        epilog=f"User presets, run records and caches live under the home folder (--home, ${paths.HOME_ENV}, or "
               f"the platform's user data folder); `tui-nn paths` prints where. Threads: ${'TUI_NN_THREADS'}=N "
               f"(default: measured per machine and network, again after an hour).")
    parser.add_argument("--version", action="version", version=f"tui-nn {__version__}")
    parser.add_argument("--home", help=f"folder for presets, runs and caches (default: ${paths.HOME_ENV} or the "
                                       "user data folder)")
    parser.add_argument("--ascii", action="store_true", help="app: draw digits with an ASCII ramp")
    parser.add_argument("--no-mouse", action="store_true", help="app: leave the mouse to the terminal")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="train a preset headless and write a run record")
    run.add_argument("preset", help="a preset name (see `tui-nn presets`) or a .toml file")
    run.add_argument("--epochs", type=int, help="train this many epochs instead of the preset's")
    run.add_argument("--seed", type=int, help="seed of the run's one random generator instead of the preset's")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override a spec field, e.g. optimizer.learning_rate=0.1 or model.layers[0].units=64 "
                          "(repeatable; the value is TOML: 0.1, true, \"adam\", or a bare word)")
    run.add_argument("--record", help="where to write the run record (default: the runs folder)")
    run.add_argument("--checkpoint", help="save a checkpoint (.npz) here after every epoch")
    run.add_argument("--resume", help="continue from this checkpoint")
    run.add_argument("--quiet", action="store_true", help="print only the record path and final accuracy")

    sub.add_parser("presets", help="list the presets")
    add_run_parsers(sub)
    add_baseline_parser(sub)
    add_evaluate_parser(sub)
    sub.add_parser("paths", help="where user presets, run records, caches and datasets live")

    replay = sub.add_parser("replay", help="re-run a run record and compare it epoch by epoch")
    replay.add_argument("record", help="a run record (.json) written by `tui-nn run` or the app")
    replay.add_argument("--epochs", type=int, help="compare only the first N epochs")
    replay.add_argument("--tolerance", type=float, default=0.0, help="allowed absolute difference (default 0)")

    bench = sub.add_parser("bench", help="engine speed on this machine")
    bench.add_argument("preset", nargs="?", default="lab-momentum", help="a preset or .toml file (default lab-momentum)")
    bench.add_argument("--epochs", type=int, default=4, help="epochs of the engine alone (default 4)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--compare-torch", action="store_true", help="also time PyTorch CPU on the same work")
    bench.add_argument("--compare-numpy", action="store_true",
                       help="also time a plain batched NumPy implementation of the same network")
    bench.add_argument("--compare-fused", action="store_true",
                       help="also time the same step hand-fused in NumPy (flat buffers, in-place passes, the update "
                            "as one matrix-vector product): the fastest NumPy step known for a dense network")
    bench.add_argument("--compare-naive", action="store_true",
                       help="also time Nielsen's network.py (per sample) on the same work")
    bench.add_argument("--profile", action="store_true",
                       help="where one epoch's time goes: by phase (data, forward, loss, backward, ...) and by "
                            "layer, and for a dense network its matrix products alone")
    bench.add_argument("--rounds", type=int, default=3,
                       help="comparison rounds, each one epoch of every side at 1 thread and at all cores (default 3)")
    bench.add_argument("--app", action="store_true",
                       help="time key presses in the app while it trains, and its training speed vs headless")
    bench.add_argument("--model-screens", action="store_true",
                       help="time the model screens for this preset's network: opening the confusion matrix, "
                            "the weights and the draw screen, and a stroke on the draw screen")
    bench.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                       help="override a spec field, as for run")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    home = paths.home(args.home)
    if home.exists() and not home.is_dir():
        where = "--home" if args.home else f"${paths.HOME_ENV}" if os.environ.get(paths.HOME_ENV) else "the home folder"
        print(f"error: {where} {home}: is a file, not a folder", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.command == "run":
            return cmd_run(args, home)
        if args.command == "presets":
            return cmd_presets(home)
        if args.command == "paths":
            return cmd_paths(home)
        if args.command == "replay":
            return cmd_replay(args, home)
        if args.command == "bench":
            return cmd_bench(args, home)
        if args.command == "runs":
            return cmd_runs(args, home)
        if args.command == "compare":
            return cmd_compare(args, home)
        if args.command == "sweep":
            return cmd_sweep(args, home)
        if args.command == "baseline":
            return cmd_baseline(args, home)
        if args.command == "evaluate":
            return cmd_evaluate(args, home)
        return cmd_app(args, home)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (| head): stop quietly
        silence_stdout()
        return EXIT_OUTPUT_LOST
    except InvalidInput as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID


class InvalidInput(Exception):
    """Input we refuse with one line on stderr and exit code 2."""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def parse_override(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise InvalidInput(f"--set {text!r}: expected KEY=VALUE, e.g. optimizer.learning_rate=0.1")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word is a string: --set optimizer.name=adam
    return key.strip(), value


def load_spec(preset_name: str, home: Path, overrides: list[str], epochs: int | None = None,
              seed: int | None = None):
    """The preset with command-line overrides applied, validated; raises InvalidInput."""
    from ..data import DatasetError, IdxError
    from ..experiment.presets import find_preset
    from ..experiment.spec.parse import SpecError, parse_spec, spec_to_dict
    from ..experiment.spec.dotted import set_dotted

    try:
        preset = find_preset(preset_name, home)
        raw = spec_to_dict(preset.spec)
        for text in overrides:
            key, value = parse_override(text)
            try:
                set_dotted(raw, key, value)
            except (IndexError, ValueError, TypeError, AttributeError):
                raise InvalidInput(f"--set {text!r}: {key} does not name a field") from None
        if epochs is not None:
            raw["training"]["epochs"] = epochs
        if seed is not None:
            raw["seed"] = seed
        spec, problems = parse_spec(raw)
        if problems:
            raise SpecError(problems, preset.path.name if preset.path else preset.key)
    except (SpecError, DatasetError, IdxError) as error:
        raise InvalidInput(str(error)) from None
    return preset, spec


def cmd_run(args: argparse.Namespace, home: Path) -> int:
    from ..data import DatasetError, IdxError
    from ..experiment.records import RunRecorder, default_record_path
    from ..experiment.session import prepare
    from ..experiment.spec.parse import SpecError
    from ..engine.events import Diverged, Finished
    from .epoch_table import EpochPrinter, OutputLost

    preset, spec = load_spec(args.preset, home, args.overrides, args.epochs, args.seed)
    try:
        session = prepare(spec, str(home), checkpoint=args.checkpoint, resume=args.resume)
    except (SpecError, DatasetError, IdxError, ValueError, OSError) as error:
        raise InvalidInput(str(error)) from None
    record_path = Path(args.record) if args.record else default_record_path(home, preset.key)
    check_writable(record_path, "--record" if args.record else "the runs folder")
    if args.checkpoint:
        check_writable(Path(args.checkpoint), "--checkpoint")
    recorder = RunRecorder(record_path, spec, preset.key, session.state.history if session.state else None,
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
        signal_name = getattr(stop, "signal_name", None)
        recorder.interrupted(f"stopped by {signal_name or 'Ctrl-C'}")
        print(f"interrupted by {signal_name or 'Ctrl-C'}; the record keeps the finished epochs: {record_path}",
              file=sys.stderr)
        return EXIT_TERMINATED if signal_name else EXIT_INTERRUPTED
    except (OutputLost, BrokenPipeError) as lost:
        recorder.interrupted(f"the output could not be written ({lost}), so the run stopped")
        silence_stdout()
        return EXIT_OUTPUT_LOST
    except OSError as error:  # a record or checkpoint write failed mid-run (a full disk, a vanished folder)
        finished = len(recorder.record["epochs"])
        try:
            recorder.failed(f"a write failed after epoch {finished}: {error.strerror or error}")
            kept = "the record says so"
        except OSError:
            kept = "the record on disk is the last one written"
        print(f"error: {error.filename or 'a file'}: {error.strerror or error}; the run stopped after "
              f"{plural(finished, 'finished epoch')} and {kept}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    try:
        from ..experiment.models import keep_model

        model = keep_model(session, recorder, status)
    except OSError as error:
        print(f"error: the model could not be saved ({error.strerror or error}); the record is kept", file=sys.stderr)
        model = None
    try:
        final = recorder.record["final"] or {}
        accuracy = final.get("test_accuracy")
        if accuracy is not None and not (isinstance(accuracy, float) and math.isnan(accuracy)):
            print(f"final test accuracy: {accuracy_text(accuracy)}")
        print(f"record: {record_path}", flush=True)
        if model is not None:
            print(f"model: {model}", flush=True)
    except OSError:
        silence_stdout()
    return EXIT_DIVERGED if status == "diverged" else EXIT_OK


def check_writable(path: Path, what: str) -> None:
    """Refuse, before training, a path that cannot be written: a folder, one under a file, or in a
    folder that refuses a file (tried for real: permissions alone do not say it for every user)."""
    if path.is_dir():
        raise InvalidInput(f"{what} {path}: is a folder; give a file name, e.g. {path / 'run.json'}")
    folder = path.parent
    blocking = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise InvalidInput(f"{what} {path}: {blocking} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".{path.name}.write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise InvalidInput(f"{what} {path}: cannot be written ({error.strerror or error})") from None


class _Terminated(KeyboardInterrupt):
    signal_name = "SIGTERM"


@contextmanager
def terminated_as_interrupt():
    """SIGTERM ends a run the way Ctrl-C does: the record says so and keeps every finished epoch."""
    def handler(signum, frame):
        raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def silence_stdout() -> None:
    """After the reader of stdout went away, send the rest (and the interpreter's final flush) nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def cmd_presets(home: Path) -> int:
    from ..experiment.presets import builtin_presets, user_presets

    user, errors = user_presets(home)
    rows = [(p.key + ("" if p.builtin else " (user)"), p.architecture(), p.optimizer_summary(),
             accuracy_text(p.expected), p.reference or "-")
            for p in builtin_presets() + user]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(("preset", "architecture", "optimizer", "expected", "ref"), widths)))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for error in errors:
        print(f"skipped: {error}", file=sys.stderr)
    return EXIT_OK


def cmd_paths(home: Path) -> int:
    rows = [("home", home), ("user presets", paths.presets_dir(home)), ("run records", paths.runs_dir(home)),
            ("caches", paths.cache_dir(home)),
            ("datasets", paths.data_root(None, home))]
    for name, where in rows:
        print(f"{name:<13} {where}")
    return EXIT_OK


def cmd_replay(args: argparse.Namespace, home: Path) -> int:
    from ..experiment.records import read_record
    from ..experiment.replay import replay
    from ..experiment.spec.parse import SpecError

    if args.epochs is not None and args.epochs < 1:
        raise InvalidInput(f"--epochs {args.epochs}: compare at least 1 epoch")
    if not (math.isfinite(args.tolerance) and args.tolerance >= 0):
        raise InvalidInput(f"--tolerance {args.tolerance}: must be a finite number >= 0")
    try:
        record = read_record(args.record)
        compared, differences = replay(record, args.epochs, str(home), args.tolerance)
    except (ValueError, SpecError) as error:
        raise InvalidInput(str(error)) from None
    if not differences:
        print(f"identical: {plural(compared, 'epoch')} match{'es' if compared == 1 else ''} the record")
        return EXIT_OK
    print(f"{plural(len(differences), 'difference')} over {plural(compared, 'epoch')}:")
    print(f"{'epoch':>5}  {'metric':<16} {'recorded':>14} {'replayed':>14}")
    for d in differences:
        print(f"{d.epoch:>5}  {d.metric:<16} {d.recorded!s:>14} {d.replayed!s:>14}")
    return EXIT_DIFFERENT


def cmd_bench(args: argparse.Namespace, home: Path) -> int:
    from ..data import DatasetError, IdxError
    from ..bench.engine import BenchDiverged
    from ..experiment.spec.parse import SpecError

    try:
        return cmd_bench_kind(args, home)
    except BenchDiverged as diverged:
        print(f"diverged: {diverged}; nothing to time", file=sys.stderr)
        return EXIT_DIVERGED
    except (SpecError, DatasetError, IdxError) as error:  # data or a spec that `run` would refuse too
        raise InvalidInput(str(error)) from None


def cmd_bench_kind(args: argparse.Namespace, home: Path) -> int:
    from ..bench.engine import bench_engine

    # The epoch count is checked as `run` checks it (training.epochs).
    preset, spec = load_spec(args.preset, home, args.overrides, args.epochs)
    if args.app:
        return cmd_bench_app(args, replace(preset, spec=spec), home)
    if args.model_screens:
        return cmd_bench_model_screens(args, replace(preset, spec=spec), home)
    references = [name for name, asked in (("torch", args.compare_torch), ("numpy", args.compare_numpy),
                                           ("fused", args.compare_fused), ("naive", args.compare_naive)) if asked]
    if references:
        return cmd_bench_compare(args, spec, references, home)
    if args.profile:
        return cmd_bench_profile(args, spec, home)
    result, _ = bench_engine(spec, args.epochs, str(home))
    result["preset"] = args.preset
    if args.json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    print(f"preset {args.preset}: {result['architecture']} batch {result['batch_size']} {result['dtype']}, "
          f"{result['train_samples']} samples, {result['optimizer']['name']}")
    print(f"BLAS: {blas_text(result['blas'])}")
    print(f"engine: {result['seconds_per_epoch']:.3f} s/epoch (median after the first of {result['epochs']}), "
          f"{result['samples_per_second']:,.0f} samples/s, peak RSS {result['peak_rss_mb']:.0f} MB")
    return EXIT_OK


def blas_text(blas: dict[str, Any]) -> str:
    parts = [f"{blas.get('library', '?')} {blas.get('version', '')}".strip(),
             f"{blas.get('architecture', '?')} kernels", f"{blas.get('threads', '?')} thread(s)"]
    if blas.get("conv_part_threads", 1) > 1:
        parts.append(f"conv layers in {blas['conv_part_threads']} parts at once")
    parts += [f"{key}={blas[key]}" for key in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                "MKL_NUM_THREADS") if key in blas]
    return ", ".join(parts)


def cmd_bench_profile(args: argparse.Namespace, spec, home: Path) -> int:
    from ..bench.profile import profile_epoch

    result = profile_epoch(spec, str(home))
    if args.json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    total, steps = result["epoch_seconds"], result["batches"]
    print(f"preset {args.preset}: {result['architecture']}, batch {result['batch_size']}, "
          f"{result['train_samples']} samples, {steps} steps; threads {result['threads']}")
    print(f"one epoch: {total:.3f} s, {total / steps * 1e6:.0f} us per step")
    if result["products_seconds"] is not None:
        products = result["products_seconds"]
        print(f"  the matrix products alone take {products:.3f} s ({products / total:.0%}): "
              f"the floor under any NumPy step of this network")
    for name, seconds in result["phases"].items():
        print(f"  {name:<16} {seconds:7.3f} s  {seconds / total:6.1%}  {seconds / steps * 1e6:7.0f} us/step")
    print("by layer (inside forward and backward):")
    for name, seconds in result["layers"].items():
        print(f"  {name:<44} {seconds:7.3f} s  {seconds / total:6.1%}")
    return EXIT_OK


def cmd_bench_compare(args: argparse.Namespace, spec, references: list[str], home: Path) -> int:
    from ..bench.compare import compare

    if "torch" in references:
        from ..bench.torch_reference import torch_available

        if not torch_available():
            raise InvalidInput("--compare-torch: torch is not installed (pip install \"tui-nn[torchvision]\")")
    if not 1 <= args.rounds <= 100:
        raise InvalidInput(f"--rounds {args.rounds}: must be an integer from 1 to 100")
    result = compare(spec, references, args.rounds, str(home))
    result["preset"] = args.preset
    if args.json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    engine = result["sides"]["tui_nn"]
    print(f"preset {args.preset}: {engine['architecture']}, batch {result['batch_size']}, {result['dtype']}, "
          f"{result['train_samples']} training samples per epoch on every side")
    print(f"BLAS: {blas_text(result['blas'])}; {result['cores']} core(s); {result['rounds']} interleaved rounds "
          f"after a warm-up")
    print(f"{'side':<11} {'threads':>7}  seconds per epoch, by round        median")
    for name, side in result["sides"].items():
        digits = 3 if side["seconds_per_epoch"] < 1 else 2  # 0.13 against 0.14 would hide a 7% difference
        for threads, seconds in side["seconds_by_threads"].items():
            best = " <- best" if int(threads) == side["best_threads"] else ""
            rounds = " ".join(f"{value:6.{digits}f}" for value in seconds)
            print(f"{name:<11} {threads:>7}  {rounds:<33} {side['median_by_threads'][threads]:6.{digits}f}{best}")
    for name, ratio in result["ratios"].items():
        rounds = " ".join(f"{value:.2f}" for value in ratio["per_round"])
        print(f"tui_nn / {name}: {ratio['median']:.2f}x the time (per round {rounds})")
    torch_missing = result["sides"].get("torch", {}).get("not_reproduced")
    if torch_missing:
        print(f"note: the torch side leaves out {', '.join(torch_missing)}")
    for name, why in result["skipped"].items():
        print(f"{name}: not timed: {why}")
    return EXIT_OK


def cmd_bench_app(args: argparse.Namespace, preset, home: Path) -> int:
    from ..bench.app import bench_app

    result = bench_app(preset, args.epochs, home)
    if args.json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    print(f"preset {preset.key}, {args.epochs} epochs each; BLAS: {blas_text(result['blas'])}")
    print(f"training: headless {result['headless_seconds_per_epoch']:.3f} s/epoch, with the app open "
          f"{result['app_seconds_per_epoch']:.3f} s/epoch: the app trains at {result['app_speed_fraction']:.0%} "
          f"of headless speed ({result['app_with_keys_speed_fraction']:.0%} while a screen is opened or closed "
          f"every {result['key_interval_seconds']:g} s)")
    if result["key_presses"]:
        print(f"key presses while training: {result['key_presses']}, latency median "
              f"{result['key_latency_ms_median']:.1f} ms, p95 {result['key_latency_ms_p95']:.1f} ms, "
              f"max {result['key_latency_ms_max']:.1f} ms")
    return EXIT_OK


def cmd_bench_model_screens(args: argparse.Namespace, preset, home: Path) -> int:
    from ..bench.app import bench_model_screens

    result = bench_model_screens(preset, home)
    if args.json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    print(f"preset {preset.key}: {result['architecture']}, {result['parameters']:,} parameters; "
          f"BLAS: {blas_text(result['blas'])}")
    print(f"opening: confusion matrix {result['confusion_open_seconds']:.2f} s, weights "
          f"{result['weights_open_seconds']:.2f} s, draw {result['draw_open_seconds']:.2f} s (80x24, headless)")
    print(f"draw: {result['strokes']} strokes, key to new probabilities on screen: median "
          f"{result['stroke_ms_median']:.1f} ms, p95 {result['stroke_ms_p95']:.1f} ms, max {result['stroke_ms_max']:.1f} ms "
          f"(the prediction itself: median {result['prediction_ms_median']:.2f} ms)")
    return EXIT_OK


def terminal_ready() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_app(args: argparse.Namespace, home: Path) -> int:
    if not terminal_ready():
        print("tui-nn: the app needs a terminal (stdin and stdout are not one here); "
              "headless, use `tui-nn run PRESET` (see `tui-nn --help`)", file=sys.stderr)
        return EXIT_INVALID
    try:
        from ..tui.app import make_app
    except ImportError as error:
        print(f"the app is not available: {error}", file=sys.stderr)
        return EXIT_OK
    app = make_app(home=home, ascii_art=args.ascii)
    # SIGTERM closes the app as quitting does: a running training stops and its record says so.
    signal.signal(signal.SIGTERM, lambda signum, frame: app.exit())
    app.run(mouse=not args.no_mouse)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
