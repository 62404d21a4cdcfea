"""`tui-nn sweep`: a preset trained over a grid of settings and seeds, in parallel processes or on a
Dask cluster. ``--set`` and ``--epochs`` change the preset's spec before the grid is laid over it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..experiment.sweep_plan import Point, SweepPlan, parse_plan, points
from ..runs.dask import DaskUnavailable, dask_submit
from ..runs.sweep import SweepProgress, run_sweep, sweep_folder
from ..runs.sweep_results import diverged_note, edge_warnings, heat_map, iter_finished, results, results_table, score, write_summary
from ..runs.sweep_results import point_score_text
from . import exits
from .exits import InvalidInput
from .output import check_folder_writable, table_text, terminal_columns
from .overrides import add_set_option, load_spec, parse_override
from .signals import stop_code, stopped_by, terminated_as_interrupt


def add_sweep(sub) -> None:
    sweep = sub.add_parser("sweep", help="train a preset over a grid of settings and seeds, in parallel processes")
    sweep.add_argument("preset", help="a preset with a [sweep] table, or any preset with --grid")
    sweep.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                       help="vary a spec field over these values (repeatable; replaces the preset's grid)")
    sweep.add_argument("--seeds", type=int, help="runs per point with seeds s, s+1, ... (default: the preset's, or 1)")
    add_set_option(sweep, "override a spec field of every point, as for run (applied before the grid)")
    sweep.add_argument("--epochs", type=int, help="train every point this many epochs instead of the preset's")
    sweep.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                       help="worker processes, one BLAS thread each (default: the cores)")
    sweep.add_argument("--executor", choices=("processes", "dask"), default="processes",
                       help="processes on this machine (default) or a Dask cluster")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    sweep.set_defaults(func=cmd_sweep)


def parse_grid(items: list[str]) -> dict[str, list]:
    grid = {}
    for item in items:
        key, _, values = item.partition("=")
        if not key or not values:
            raise InvalidInput(f"--grid {item!r}: expected KEY=V1,V2,..., e.g. optimizer.learning_rate=0.1,1")
        grid[key.strip()] = [parse_override(f"{key}={value}", "--grid")[1]
                             for value in values.split(",") if value.strip()]
    return grid


def sweep_plan(args: argparse.Namespace, preset_key: str, table: dict[str, Any] | None) -> tuple[SweepPlan, list]:
    """The preset's ``[sweep]`` table with the command line's ``--grid`` and ``--seeds`` over it, and
    the table's problems (reported with the points' own)."""
    plan, problems = parse_plan(table or {})
    if args.grid:
        plan = SweepPlan(parse_grid(args.grid), plan.alternatives, plan.seeds)
    if args.seeds is not None:
        if not 1 <= args.seeds <= 100:
            raise InvalidInput(f"--seeds {args.seeds}: from 1 to 100")
        plan = SweepPlan(plan.grid, plan.alternatives, args.seeds)
    if not plan.grid and not plan.alternatives and plan.seeds == 1:
        raise InvalidInput(f"{preset_key} has no [sweep] table: give --grid KEY=V1,V2,... or --seeds N")
    return plan, problems


def cmd_sweep(args: argparse.Namespace, home: Path) -> int:
    preset, spec = load_spec(args.preset, home, args.overrides, args.epochs)
    plan, problems = sweep_plan(args, preset.key, preset.sweep)
    if args.workers < 1:
        raise InvalidInput(f"--workers {args.workers}: at least 1")
    all_points, point_problems = points(spec, plan)
    problems += point_problems
    if problems:
        raise InvalidInput("; ".join(str(p) for p in problems))
    folder = sweep_folder(home, preset.key)
    check_folder_writable(folder, "the sweep folder")  # before training: every point's record lands here
    records = {point.id: record for point, record in iter_finished(folder, all_points)}
    todo = [p for p in all_points if p.id not in records]
    progress = SweepProgress(len(all_points), done=len(records), reused=len(records))
    submit = completed = None
    if args.executor == "dask":
        try:
            submit, completed = dask_submit(args.scheduler, preset.key, progress)
        except DaskUnavailable as error:
            raise InvalidInput(str(error)) from None
    print(f"sweep {preset.key}: {len(all_points)} run(s) ({len(records)} already recorded), "
          f"{len(todo)} to train on {args.workers if args.executor == 'processes' else 'the Dask cluster'}"
          f"{' worker(s)' if args.executor == 'processes' else ''}; records in {folder}", flush=True)

    def on_point(point: Point, record: dict[str, Any], progress: SweepProgress) -> None:
        records[point.id] = record
        value = score(record)
        settings = ", ".join(f"{k}={v}" for k, v in point.settings.items()) or "the preset"
        print(f"[{progress.done}/{progress.total}] {settings} seed {point.seed}: "
              f"{point_score_text(record, value)} ({record.get('status')}, "
              f"{record.get('wall_seconds') or 0:.1f}s)", flush=True)  # the point's own time

    stop: KeyboardInterrupt | None = None  # what interrupted the sweep
    failed_write: OSError | None = None  # a point's record or model, or the summary, could not be stored
    try:
        with terminated_as_interrupt():
            if todo:
                run_sweep(preset.key, todo, folder, home, args.workers, on_point, progress, submit, completed)
    except KeyboardInterrupt as interruption:
        stop = interruption
    except OSError as error:  # a full disk, a folder gone: the points stored so far are kept
        if error.errno is None:  # not a file's error (a cluster's lost connection says no errno)
            raise
        failed_write = error
    try:
        summary = write_summary(folder, preset.key, plan, all_points, records, progress, args.executor)
    except OSError as error:
        summary, failed_write = None, failed_write or error
    groups = results(all_points, records)
    print(table_text(*results_table(groups), terminal_columns()))
    grid = heat_map(plan, groups)
    if grid:
        print(f"\nmean ± sd of the test {'R^2' if groups and groups[0].kind == 'r2' else 'accuracy'} over seeds:")
        print(table_text(*grid, terminal_columns()))
    for warning in filter(None, [*edge_warnings(plan, groups), diverged_note(all_points, records)]):
        print(f"warning: {warning}")
    for failure in progress.failures:
        print(f"failed: {failure}", file=sys.stderr)
    if progress.reruns:
        print(f"{progress.reruns} point(s) were re-run after their worker died")
    if summary is not None:
        print(f"summary: {summary}")
    if failed_write is not None:
        where = f"{failed_write.filename}: " if failed_write.filename else ""
        print(f"error: {where}could not be written ({failed_write.strerror or failed_write}); the sweep stopped "
              f"with {len(records)} of {len(all_points)} run(s) recorded"
              f"{'' if summary else ' and no summary written'}; the same command trains the rest",
              file=sys.stderr)
        return exits.WRITE_FAILED
    if stop is not None:
        missing = len(all_points) - len(records)
        print(f"interrupted by {stopped_by(stop)}: {len(records)} of {len(all_points)} run(s) recorded; the same "
              f"command trains the other {missing}", file=sys.stderr)
        return stop_code(stop)
    return exits.OK if not progress.failures else exits.INVALID
