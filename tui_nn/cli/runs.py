"""`tui-nn runs` and `compare`: the recorded runs listed, and runs side by side."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..common import paths
from ..common.atomic import atomic_write_text
from ..experiment.records import read_record
from ..render.charts import chart_text
from ..runs.compare import (
    comparison_rows,
    curves,
    export_csv,
    export_json,
    is_regression_record,
    series_labels,
)
from ..runs.folder import MODEL_ONLY, load_runs, point_names, resolve_run, sort_runs
from ..runs.labels import resolve_metric
from ..runs.sweep import sweep_folder
from . import exits
from .exits import InvalidInput
from .output import check_outputs, table_text, terminal_columns, unlistable


def add_runs(sub) -> None:
    runs = sub.add_parser("runs", help="list the recorded runs (newest first)")
    runs.add_argument("--sort", default="started", help="started (default), test, val, preset, status or seconds")
    runs.add_argument("--filter", default="", metavar="TEXT", help="only runs whose row holds every word of TEXT")
    runs.add_argument("--sweep", metavar="PRESET", help="the runs of PRESET's sweep instead of the single runs")
    runs.add_argument("--json", action="store_true", help="print the rows as JSON")
    runs.set_defaults(func=cmd_runs)


def add_compare(sub) -> None:
    compare = sub.add_parser("compare", help="runs side by side: the settings that differ, the final metrics, "
                                             "and their curves in one chart")
    compare.add_argument("runs", nargs="+", metavar="RUN", help="a run id from `tui-nn runs` (or a unique start of "
                                                                "one), or a record file")
    compare.add_argument("--metric", help="the per-epoch metric to chart (default test_accuracy, or test_r2 when "
                                          "every run is a regression; val_accuracy, train_loss, test_mse, ...)")
    compare.add_argument("--csv", metavar="FILE", help="also write every run's per-epoch metrics and settings as CSV")
    compare.add_argument("--json", metavar="FILE", dest="json_file",
                         help="also write the runs' specs and per-epoch metrics as JSON")
    compare.set_defaults(func=cmd_compare)


def cmd_runs(args: argparse.Namespace, home: Path) -> int:
    folder = sweep_folder(home, args.sweep) if args.sweep else None
    unlisted = unlistable(paths.runs_dir(home)) or (unlistable(folder) if folder is not None else None)
    if unlisted:  # a folder it may not read would look empty
        raise InvalidInput(unlisted)
    if folder is not None and not folder.is_dir():
        raise InvalidInput(f"--sweep {args.sweep}: no sweep of that preset has run (looked in {folder})")
    runs, problems = load_runs(home, folder)
    names = point_names(runs) if folder is not None else {}  # a sweep's points, as its leaderboard names them
    try:
        runs = sort_runs([r for r in runs if r.matches(args.filter or "", names.get(r.id, ""))], args.sort)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if args.json:
        print(json.dumps([{"id": r.id, "preset": r.preset, "status": r.status, "started": r.started,
                           "seconds": None if r.status == MODEL_ONLY else r.seconds, "epochs": r.epochs,
                           "test_accuracy": r.test_accuracy, "best_val_accuracy": r.best_val_accuracy,
                           "test_r2": r.test_r2, "best_val_r2": r.best_val_r2,
                           "settings": r.settings, "path": str(r.path)}
                          for r in runs], indent=1))
    else:
        rows = [[r.id, names.get(r.id, r.preset), r.settings, r.test_text, r.best_val_text, r.status, r.time_text]
                for r in runs]
        test = "test" if any(r.regression for r in runs) else "test acc"  # a regression's cells say R^2
        print(table_text(["run", "point" if names else "preset", "settings", test, "best val", "status", "time"], rows,
                         terminal_columns()))
        print(f"{len(runs)} run(s)" + (f" matching {args.filter!r}" if args.filter else ""))
    for problem in problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return exits.OK


def default_metric(records: list[dict]) -> str:
    """What `compare` charts unless told: the test accuracy, or R^2 when every run is a regression."""
    return "test_r2" if records and all(is_regression_record(r) for r in records) else "test_accuracy"


def cmd_compare(args: argparse.Namespace, home: Path) -> int:
    try:
        record_paths = [resolve_run(name, home) for name in args.runs]
        records = [read_record(path) for path in record_paths]
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    # before any output: a bad path is refused, not half done
    check_outputs({"--csv": args.csv, "--json": args.json_file},
                  {f"the run {name}": path for name, path in zip(args.runs, record_paths)})
    ids = [path.stem for path in record_paths]
    try:
        # ``loss`` is train_loss; a table per layer is refused; unless told, a regression charts R^2
        args.metric = resolve_metric(args.metric or default_metric(records), records)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    header, rows = comparison_rows(ids, records)
    print(table_text(header, rows, terminal_columns()))
    series = [(label, *curves(record, args.metric)) for label, record in zip(series_labels(ids, records), records)]
    tty = sys.stdout.isatty()
    ascii_only = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") not in ("utf8", "utf_8")
    print(chart_text(series, args.metric.replace("_", " "), colour=tty and not os.environ.get("NO_COLOR"),
                     ascii_only=ascii_only))
    for option, target, text in (("--csv", args.csv, export_csv(ids, records) if args.csv else ""),
                                 ("--json", args.json_file, export_json(ids, records) if args.json_file else "")):
        if target:
            try:
                atomic_write_text(Path(target), text)
            except OSError as error:  # checked writable above: the disk filled up or the folder went away
                print(f"error: {option} {target}: could not be written ({error.strerror or error})", file=sys.stderr)
                return exits.WRITE_FAILED
            print(f"wrote {target}")
    return exits.OK
