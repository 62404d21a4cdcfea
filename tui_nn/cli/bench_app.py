"""`tui-nn bench --app`, `--model-screens`, `--editor` and `--playground`: benches that drive the Textual app. Imported only when
one is asked for (cli/bench.py), so the other commands start without Textual."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from ..bench.app import bench_app, bench_model_screens
from ..bench.editor import bench_editor, editor_bench_lines
from ..bench.playground import bench_playground, playground_bench_lines
from ..experiment.presets import Preset
from ..tui.playground_spec import playground_inputs
from . import exits
from .exits import InvalidInput
from .overrides import load_spec
from .output import blas_text


def run_app_bench(option: str, args: argparse.Namespace, preset: Preset, home: Path) -> int:
    """The bench of ``option`` (an option's dest, one of cli.bench.APP_BENCHES)."""
    return BENCHES[option](args, preset, home)


def bench_app_text(args: argparse.Namespace, preset: Preset, home: Path) -> int:
    result = bench_app(preset, args.epochs, home)
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
    print(f"preset {preset.key}, {args.epochs} epochs each; BLAS: {blas_text(result['blas'])}")
    print(f"training: headless {result['headless_seconds_per_epoch']:.3f} s/epoch, with the app open "
          f"{result['app_seconds_per_epoch']:.3f} s/epoch: the app trains at {result['app_speed_fraction']:.0%} "
          f"of headless speed ({result['app_with_keys_speed_fraction']:.0%} while a screen is opened or closed "
          f"every {result['key_interval_seconds']:g} s)")
    if result["key_presses"]:
        print(f"key presses while training: {result['key_presses']}, latency median "
              f"{result['key_latency_ms_median']:.1f} ms, p95 {result['key_latency_ms_p95']:.1f} ms, "
              f"max {result['key_latency_ms_max']:.1f} ms")
    return exits.OK


def bench_model_screens_text(args: argparse.Namespace, preset: Preset, home: Path) -> int:
    result = bench_model_screens(preset, home)
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
    print(f"preset {preset.key}: {result['architecture']}, {result['parameters']:,} parameters; "
          f"BLAS: {blas_text(result['blas'])}")
    print(f"opening: confusion matrix {result['confusion_open_seconds']:.2f} s, weights "
          f"{result['weights_open_seconds']:.2f} s, draw {result['draw_open_seconds']:.2f} s (80x24, headless)")
    print(f"draw: {result['strokes']} strokes, key to new probabilities on screen: median "
          f"{result['stroke_ms_median']:.1f} ms, p95 {result['stroke_ms_p95']:.1f} ms, max {result['stroke_ms_max']:.1f} ms "
          f"(the prediction itself: median {result['prediction_ms_median']:.2f} ms)")
    return exits.OK


def bench_editor_text(args: argparse.Namespace, preset: Preset, home: Path) -> int:
    rounds = 50 if args.rounds is None else args.rounds
    if not 1 <= rounds <= 1000:
        raise InvalidInput(f"--rounds {rounds}: must be an integer from 1 to 1000")
    result = bench_editor(preset, home, rounds)
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
    print("\n".join(editor_bench_lines(result)))
    return exits.OK


def bench_playground_text(args: argparse.Namespace, preset: Preset, home: Path) -> int:
    rounds = 20 if args.rounds is None else args.rounds
    if not 1 <= rounds <= 1000:
        raise InvalidInput(f"--rounds {rounds}: must be an integer from 1 to 1000")
    if playground_inputs(preset.spec) is None:
        raise InvalidInput(f"{preset.key}: --playground needs a table of one or two inputs (a generated dataset "
                           "such as spiral, or a CSV file of one or two feature columns)")
    # The preset's own epochs (bench's --epochs is the engine's count): the map is watched over a whole run.
    preset, spec = load_spec(args.preset, home, args.overrides, None)
    result = bench_playground(replace(preset, spec=spec), home, rounds)
    if args.json:
        print(json.dumps(result, indent=1))
        return exits.OK
    print("\n".join(playground_bench_lines(result)))
    return exits.OK


BENCHES = {"app": bench_app_text, "model_screens": bench_model_screens_text, "editor": bench_editor_text,
           "playground": bench_playground_text}
