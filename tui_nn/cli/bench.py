"""`tui-nn bench`: the engine's speed on this machine, against reference implementations, by phase,
and the app's responsiveness. One option picks what is timed (see ``bench_one``)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from ..bench.compare import compare
from ..bench.engine import BenchDiverged, bench_engine
from ..bench.profile import profile_epoch
from ..bench.torch_reference import torch_available
from ..common import paths
from ..data import DatasetError, IdxError
from ..experiment.spec.parse import SpecError
from ..experiment.spec.schema import Spec
from . import exits
from .exits import InvalidInput
from .output import blas_text, check_outputs
from .overrides import add_set_option, load_spec

# The options (by dest) whose bench drives the app; cli/bench_app.py runs each.
APP_BENCHES = ("app", "model_screens", "editor")


def add_bench(sub) -> None:
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
    bench.add_argument("--rounds", type=int, default=None,
                       help="comparison rounds, each one epoch of every side at 1 thread and at all cores (default 3); "
                            "with --editor, keystrokes and layers added (default 50)")
    bench.add_argument("--app", action="store_true",
                       help="time key presses in the app while it trains, and its training speed vs headless")
    bench.add_argument("--model-screens", action="store_true",
                       help="time the model screens for this preset's network: opening the confusion matrix, "
                            "the weights and the draw screen, and a stroke on the draw screen")
    bench.add_argument("--editor", action="store_true",
                       help="time the editor for this preset: one keystroke's validation and adding a layer "
                            "(targets 5 ms and 50 ms)")
    add_set_option(bench, "override a spec field, as for run")
    bench.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace, home: Path) -> int:
    try:
        return bench_one(args, home)
    except BenchDiverged as diverged:
        print(f"diverged: {diverged}; nothing to time", file=sys.stderr)
        return exits.DIVERGED
    except (SpecError, DatasetError, IdxError) as error:  # data or a spec that `run` would refuse too
        raise InvalidInput(str(error)) from None


def bench_one(args: argparse.Namespace, home: Path) -> int:
    """What the options ask for: one of the app's benches, the comparisons, the profile, or the engine alone."""
    # The epoch count is checked as `run` checks it (training.epochs).
    preset, spec = load_spec(args.preset, home, args.overrides, args.epochs)
    app_benches = [option for option in APP_BENCHES if getattr(args, option)]
    if app_benches:
        if "app" in app_benches:  # the app records its timed run there: checked before the timing starts
            check_outputs({"the runs folder": paths.runs_dir(home) / "app-bench.json"})
        # Imported here, not above: these benches drive the Textual app, whose import is most of the
        # start-up time of every other command (see cli/app.py).
        from .bench_app import run_app_bench

        return run_app_bench(app_benches[0], args, replace(preset, spec=spec), home)
    references = [name for name, asked in (("torch", args.compare_torch), ("numpy", args.compare_numpy),
                                           ("fused", args.compare_fused), ("naive", args.compare_naive)) if asked]
    if references:
        return bench_compare_text(args, spec, references, home)
    if args.profile:
        return bench_profile_text(args, spec, home)
    return bench_engine_text(args, spec, home)


def bench_engine_text(args: argparse.Namespace, spec: Spec, home: Path) -> int:
    result, _ = bench_engine(spec, args.epochs, str(home))
    result["preset"] = args.preset
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
    print(f"preset {args.preset}: {result['architecture']} batch {result['batch_size']} {result['dtype']}, "
          f"{result['train_samples']} samples, {result['optimizer']['name']}")
    print(f"BLAS: {blas_text(result['blas'])}")
    print(f"engine: {result['seconds_per_epoch']:.3f} s/epoch (median after the first of {result['epochs']}), "
          f"{result['samples_per_second']:,.0f} samples/s, peak RSS {result['peak_rss_mb']:.0f} MB")
    return exits.OK


def bench_profile_text(args: argparse.Namespace, spec: Spec, home: Path) -> int:
    result = profile_epoch(spec, str(home))
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
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
    return exits.OK


def bench_compare_text(args: argparse.Namespace, spec: Spec, references: list[str], home: Path) -> int:
    if "torch" in references and not torch_available():
        raise InvalidInput("--compare-torch: torch is not installed (pip install \"tui-nn[torchvision]\")")
    rounds = 3 if args.rounds is None else args.rounds
    if not 1 <= rounds <= 100:
        raise InvalidInput(f"--rounds {rounds}: must be an integer from 1 to 100")
    result = compare(spec, references, rounds, str(home))
    result["preset"] = args.preset
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
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
    return exits.OK
