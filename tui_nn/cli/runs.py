"""`tui-nn runs`, `compare` and `sweep`: recorded runs side by side and grids of runs, headless."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from ..runs.dask import DaskUnavailable, dask_submit

EXIT_OK, EXIT_INVALID, EXIT_INTERRUPTED = 0, 2, 130


def add_parsers(sub) -> None:
    runs = sub.add_parser("runs", help="list the recorded runs (newest first)")
    runs.add_argument("--sort", default="started", help="started (default), test, val, preset, status or seconds")
    runs.add_argument("--filter", default="", metavar="TEXT", help="only runs whose row holds every word of TEXT")
    runs.add_argument("--sweep", metavar="PRESET", help="the runs of PRESET's sweep instead of the single runs")
    runs.add_argument("--json", action="store_true", help="print the rows as JSON")

    compare = sub.add_parser("compare", help="runs side by side: the settings that differ, the final metrics, "
                                             "and their curves in one chart")
    compare.add_argument("runs", nargs="+", metavar="RUN", help="a run id from `tui-nn runs` (or a unique start of "
                                                                "one), or a record file")
    compare.add_argument("--metric", default="test_accuracy",
                         help="the per-epoch metric to chart (default test_accuracy; val_accuracy, train_loss, ...)")
    compare.add_argument("--csv", metavar="FILE", help="also write every run's per-epoch metrics and settings as CSV")
    compare.add_argument("--json", metavar="FILE", dest="json_file",
                         help="also write the runs' specs and per-epoch metrics as JSON")

    sweep = sub.add_parser("sweep", help="train a preset over a grid of settings and seeds, in parallel processes")
    sweep.add_argument("preset", help="a preset with a [sweep] table, or any preset with --grid")
    sweep.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                       help="vary a spec field over these values (repeatable; replaces the preset's grid)")
    sweep.add_argument("--seeds", type=int, help="runs per point with seeds s, s+1, ... (default: the preset's, or 1)")
    sweep.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1),
                       help="worker processes, one BLAS thread each (default: the cores)")
    sweep.add_argument("--executor", choices=("processes", "dask"), default="processes",
                       help="processes on this machine (default) or a Dask cluster")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")


def add_baseline_parser(sub) -> None:
    baseline = sub.add_parser("baseline", help="where a network stands: average darkness or an SVM (row N19), "
                                               "recorded like a run")
    baseline.add_argument("method", choices=("darkness", "svm"),
                          help="darkness: the digit of nearest mean ink; svm: scikit-learn's SVC() (RBF defaults)")
    baseline.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                          help="a data field, e.g. data.dataset=fashion-mnist, data.path=DIR or data.train_size=10000")


def add_evaluate_parser(sub) -> None:
    evaluate = sub.add_parser("evaluate", help="a saved model on its test set: accuracy and confusion matrix")
    evaluate.add_argument("model", help="a model file (<record>.model.npz, saved beside every finished run)")
    evaluate.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                          help="other data, e.g. data.path=DIR or data.test_size=1000 (same image size only)")


def cmd_evaluate(args: argparse.Namespace, home: Path) -> int:
    from ..data import DatasetError, IdxError
    from ..experiment.architecture import input_shape_of
    from ..experiment.build import build_feed, load_spec_dataset
    from ..experiment.models import (
        ModelError,
        check_input,
        confusion_matrix,
        confusion_text,
        load_model,
        record_path_of,
    )
    from ..experiment.records import read_record
    from ..experiment.spec.dotted import set_dotted
    from ..experiment.spec.parse import SpecError, check_spec, parse_spec, spec_to_dict
    from ..render.formatting import accuracy_text
    from .main import InvalidInput, parse_override

    path = Path(args.model)
    try:
        network, spec, meta = load_model(path)
        raw = spec_to_dict(spec)
        for text in args.overrides:
            key, value = parse_override(text)
            if not key.startswith("data."):
                raise InvalidInput(f"--set {text!r}: evaluate takes data fields (data.*) only")
            set_dotted(raw, key, value)
        spec, problems = parse_spec(raw)
        if problems:
            raise SpecError(problems)
        dataset = load_spec_dataset(spec, str(home))
        check_input(path, network, input_shape_of(spec, dataset.image_shape))
        problems = [p for p in check_spec(spec, classes=dataset.classes, image_shape=dataset.image_shape,
                                          data_files=(len(dataset.train_labels), len(dataset.test_labels)))
                    if p.path.startswith("data")]
        if problems:
            raise SpecError(problems)
        feed = build_feed(spec, dataset, np.random.default_rng(spec.seed))
    except (ModelError, SpecError, DatasetError, IdxError) as error:
        raise InvalidInput(str(error)) from None
    batches = feed.eval_batches("test")
    if batches is None:
        raise InvalidInput(f"{path}: its data has no test split (data.test_size = 0); set data.test_size")
    matrix = confusion_matrix(network, batches, dataset.classes)
    accuracy = float(np.trace(matrix) / matrix.sum())
    print(f"{path.name}: test accuracy {accuracy_text(accuracy)} on {int(matrix.sum())} images ({dataset.source})")
    print(confusion_text(matrix, dataset.class_names))
    record_path = record_path_of(path)
    if record_path.is_file() and not args.overrides:
        try:
            recorded = (read_record(record_path).get("final") or {}).get("test_accuracy")
        except ValueError:
            recorded = None
        if recorded is not None:
            same = "the same as" if recorded == accuracy else "NOT the same as"
            print(f"{same} its record's final test accuracy ({accuracy_text(recorded)})")
    return EXIT_OK


def cmd_baseline(args: argparse.Namespace, home: Path) -> int:
    from ..common.atomic import atomic_write_text
    from ..data import DatasetError, IdxError, make_splits
    from ..experiment.baselines import BaselineError, baseline_record, run_baseline
    from ..experiment.build import load_spec_dataset
    from ..experiment.records import default_record_path
    from ..experiment.spec.dotted import set_dotted
    from ..experiment.spec.parse import SpecError, check_spec, parse_spec, spec_to_dict
    from ..experiment.spec.schema import Spec
    from ..render.formatting import accuracy_text
    from .main import InvalidInput, parse_override

    raw = spec_to_dict(Spec())
    for text in args.overrides:
        key, value = parse_override(text)
        if not key.startswith("data.") and key != "seed":
            raise InvalidInput(f"--set {text!r}: a baseline takes data fields (data.*) and seed only")
        try:
            set_dotted(raw, key, value)
        except (IndexError, ValueError, TypeError, AttributeError):
            raise InvalidInput(f"--set {text!r}: {key} does not name a field") from None
    spec, problems = parse_spec(raw)
    problems = [p for p in problems if p.path.startswith("data") or p.path == "seed"]
    try:
        if problems:
            raise SpecError(problems)
        dataset = load_spec_dataset(spec, str(home))
        size_problems = [p for p in check_spec(spec, data_files=(len(dataset.train_labels), len(dataset.test_labels)))
                         if p.path.startswith("data")]
        if size_problems:
            raise SpecError(size_problems)
        data = spec.data
        splits = make_splits(dataset, data.train_size, data.validation_size, data.test_size, data.subset,
                             np.random.default_rng(spec.seed))
        result = run_baseline(args.method, dataset, splits)
    except (SpecError, DatasetError, IdxError, BaselineError) as error:
        raise InvalidInput(str(error)) from None
    summary = {"dataset": dataset.name, "source": dataset.source, "image_shape": list(dataset.image_shape),
               "classes": dataset.classes, "train": result.train_images, "test": result.test_images}
    record = baseline_record(result, spec_to_dict(spec), spec.seed, summary)
    path = default_record_path(home, f"baseline-{args.method}")
    atomic_write_text(path, json.dumps(record, indent=1))
    print(f"{args.method}: test accuracy {accuracy_text(result.test_accuracy)} (trained on {result.train_images} "
          f"images, scored on {result.test_images}, {result.seconds:.1f} s)")
    print(f"record: {path}")
    return EXIT_OK


def table_text(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def cmd_runs(args: argparse.Namespace, home: Path) -> int:
    from ..render.formatting import accuracy_text
    from ..runs.folder import MODEL_ONLY, load_runs, sort_runs
    from ..runs.sweep import sweep_folder
    from .main import InvalidInput

    folder = sweep_folder(home, args.sweep) if args.sweep else None
    if folder is not None and not folder.is_dir():
        raise InvalidInput(f"--sweep {args.sweep}: no sweep of that preset has run (looked in {folder})")
    runs, problems = load_runs(home, folder)
    try:
        runs = sort_runs([r for r in runs if r.matches(args.filter)], args.sort)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if args.json:
        print(json.dumps([{"id": r.id, "preset": r.preset, "status": r.status, "started": r.started,
                           "seconds": None if r.status == MODEL_ONLY else r.seconds, "epochs": r.epochs, "test_accuracy": r.test_accuracy,
                           "best_val_accuracy": r.best_val_accuracy, "settings": r.settings, "path": str(r.path)}
                          for r in runs], indent=1))
    else:
        rows = [[r.id, r.preset, r.settings, accuracy_text(r.test_accuracy), accuracy_text(r.best_val_accuracy), r.status,
                 r.time_text] for r in runs]
        print(table_text(["run", "preset", "settings", "test acc", "best val", "status", "time"], rows))
        print(f"{len(runs)} run(s)" + (f" matching {args.filter!r}" if args.filter else ""))
    for problem in problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, home: Path) -> int:
    from ..common.atomic import atomic_write_text
    from ..experiment.records import read_record
    from ..render.charts import chart_text
    from ..runs.compare import (
        comparison_rows,
        curves,
        export_csv,
        export_json,
        series_labels,
    )
    from ..runs.folder import resolve_run
    from .main import InvalidInput, check_writable

    try:
        paths = [resolve_run(name, home) for name in args.runs]
        records = [read_record(path) for path in paths]
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    for option, target in (("--csv", args.csv), ("--json", args.json_file)):
        if target:
            check_writable(Path(target), option)  # before any output: a bad path is refused, not half done
    ids = [path.stem for path in paths]
    metrics = {key for record in records for epoch in record["epochs"] for key in epoch}
    if args.metric not in metrics:
        raise InvalidInput(f"--metric {args.metric}: allowed: {', '.join(sorted(metrics - {'epoch'}))}")
    header, rows = comparison_rows(ids, records)
    print(table_text(header, rows))
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
            except OSError as error:
                raise InvalidInput(f"{option} {target}: cannot be written ({error.strerror or error})") from None
            print(f"wrote {target}")
    return EXIT_OK


def parse_grid(items: list[str]) -> dict[str, list]:
    from .main import InvalidInput, parse_override

    grid = {}
    for item in items:
        key, _, values = item.partition("=")
        if not key or not values:
            raise InvalidInput(f"--grid {item!r}: expected KEY=V1,V2,..., e.g. optimizer.learning_rate=0.1,1")
        grid[key.strip()] = [parse_override(f"{key}={value}")[1] for value in values.split(",") if value.strip()]
    return grid


def cmd_sweep(args: argparse.Namespace, home: Path) -> int:
    from ..experiment.presets import find_preset
    from ..experiment.spec.parse import SpecError
    from ..experiment.sweep_plan import SweepPlan, parse_plan, points
    from ..runs.sweep import SweepProgress, run_sweep, sweep_folder
    from ..runs.sweep_results import (
        edge_warnings,
        heat_map,
        iter_finished,
        results,
        results_table,
        write_summary,
    )
    from .main import InvalidInput

    try:
        preset = find_preset(args.preset, home)
    except SpecError as error:
        raise InvalidInput(str(error)) from None
    plan, problems = parse_plan(preset.sweep or {})
    if args.grid:
        plan = SweepPlan(parse_grid(args.grid), plan.alternatives, plan.seeds)
    if args.seeds is not None:
        if not 1 <= args.seeds <= 100:
            raise InvalidInput(f"--seeds {args.seeds}: from 1 to 100")
        plan = SweepPlan(plan.grid, plan.alternatives, args.seeds)
    if not plan.grid and not plan.alternatives and plan.seeds == 1:
        raise InvalidInput(f"{preset.key} has no [sweep] table: give --grid KEY=V1,V2,... or --seeds N")
    if args.workers < 1:
        raise InvalidInput(f"--workers {args.workers}: at least 1")
    all_points, point_problems = points(preset.spec, plan)
    problems += point_problems
    if problems:
        raise InvalidInput("; ".join(str(p) for p in problems))
    folder = sweep_folder(home, preset.key)
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
    started = time.perf_counter()

    def on_point(point, record, progress) -> None:
        records[point.id] = record
        from ..runs.sweep_results import score

        value = score(record)
        settings = ", ".join(f"{k}={v}" for k, v in point.settings.items()) or "the preset"
        print(f"[{progress.done}/{progress.total}] {settings} seed {point.seed}: "
              f"{'-' if value is None else f'{value:.2%}'} ({record.get('status')}, "
              f"{time.perf_counter() - started:.0f}s)", flush=True)

    from .main import EXIT_TERMINATED, _Terminated, terminated_as_interrupt

    interrupted: str | None = None  # what interrupted the sweep
    try:
        with terminated_as_interrupt():
            if todo:
                run_sweep(preset.key, todo, folder, home, args.workers, on_point, progress, submit, completed)
    except (KeyboardInterrupt, _Terminated) as stop:
        interrupted = getattr(stop, "signal_name", None) or "Ctrl-C"
    summary = write_summary(folder, preset.key, plan, all_points, records, progress, args.executor)
    groups = results(all_points, records)
    print(table_text(*results_table(groups)))
    grid = heat_map(plan, groups)
    if grid:
        print("\nmean ± sd of the test accuracy over seeds:")
        print(table_text(*grid))
    for warning in edge_warnings(plan, groups):
        print(f"warning: {warning}")
    for failure in progress.failures:
        print(f"failed: {failure}", file=sys.stderr)
    if progress.reruns:
        print(f"{progress.reruns} point(s) were re-run after their worker died")
    print(f"summary: {summary}")
    if interrupted:
        missing = len(all_points) - len(records)
        print(f"interrupted by {interrupted}: {len(records)} of {len(all_points)} run(s) recorded; the same "
              f"command trains the other {missing}", file=sys.stderr)
        return EXIT_INTERRUPTED if interrupted == "Ctrl-C" else EXIT_TERMINATED
    return EXIT_OK if not progress.failures else EXIT_INVALID
