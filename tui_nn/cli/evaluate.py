"""`tui-nn evaluate` and `baseline`: a saved model scored on its test set, and the non-network
baselines that show where a network stands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from ..common.atomic import atomic_write_text
from ..data import DatasetError, IdxError, make_splits
from ..engine.train import measure
from ..experiment.architecture import input_shape_of
from ..experiment.baselines import BASELINES, BaselineError, baseline_record, run_baseline
from ..experiment.build import build_feed, load_spec_dataset
from ..experiment.models import ModelError, check_input, confusion_matrix, confusion_text, load_model, record_path_of
from ..experiment.records import default_record_path, read_record
from ..experiment.spec.parse import SpecError, check_spec, parse_spec, spec_to_dict
from ..experiment.spec.schema import Spec
from ..experiment.table_data import sample_shape
from ..render.formatting import accuracy_text, loss_text
from . import exits
from .exits import InvalidInput, unreadable
from .output import check_inputs, check_outputs, data_inputs, terminal_columns
from .overrides import add_set_option, apply_overrides


def add_baseline(sub) -> None:
    baseline = sub.add_parser("baseline", help="where a network stands: average darkness or an SVM (row N19), "
                                               "recorded like a run")
    baseline.add_argument("method", choices=BASELINES,
                          help="darkness: the digit of nearest mean ink; svm: scikit-learn's SVC() (RBF defaults)")
    add_set_option(baseline, "a data field, e.g. data.dataset=fashion-mnist, data.path=DIR or data.train_size=10000")
    baseline.add_argument("--record", help="where to write its run record (default: the runs folder)")
    baseline.set_defaults(func=cmd_baseline)


def add_evaluate(sub) -> None:
    evaluate = sub.add_parser("evaluate", help="a saved model on its test set: accuracy and confusion matrix")
    evaluate.add_argument("model", help="a model file (<record>.model.npz, saved beside every finished run)")
    add_set_option(evaluate, "other data, e.g. data.path=DIR or data.test_size=1000 (same image size only)")
    evaluate.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace, home: Path) -> int:
    path = Path(args.model)
    check_inputs({"the model": path})
    try:
        network, spec, _ = load_model(path)
        raw = spec_to_dict(spec)
        apply_overrides(raw, args.overrides, allowed=lambda key: key.startswith("data."),
                        refusal="evaluate takes data fields (data.*) only")
        spec, problems = parse_spec(raw)
        if problems:
            raise SpecError(problems)
        dataset = load_spec_dataset(spec, str(home))
        shape = sample_shape(spec, dataset)  # a table's row after its features; an image otherwise
        check_input(path, network, input_shape_of(spec, shape))
        problems = [p for p in check_spec(spec, classes=dataset.classes, image_shape=shape,
                                          data_files=(len(dataset.train_labels), len(dataset.test_labels)),
                                          **table_facts(dataset))
                    if p.path.startswith("data")]
        if problems:
            raise SpecError(problems)
        feed = build_feed(spec, dataset, np.random.default_rng(spec.seed))
    except (ModelError, SpecError, DatasetError, IdxError) as error:
        raise InvalidInput(str(error)) from None
    except OSError as error:  # a data file that cannot be read (its permissions, a folder in its place)
        raise unreadable(error) from None
    batches = feed.eval_batches("test")
    if batches is None:
        raise InvalidInput(f"{path}: its data has no test split (data.test_size = 0); set data.test_size")
    if dataset.is_table and dataset.task == "regression":
        return report_regression(path, network, feed, batches, dataset.source, args.overrides)
    matrix = confusion_matrix(network, batches, dataset.classes)
    accuracy = float(np.trace(matrix) / matrix.sum())
    samples = "rows" if dataset.is_table else "images"
    print(f"{path.name}: test accuracy {accuracy_text(accuracy)} on {int(matrix.sum())} {samples} ({dataset.source})")
    print(confusion_text(matrix, dataset.class_names, terminal_columns()))
    record_path = record_path_of(path)
    if record_path.is_file() and not args.overrides:
        try:
            recorded = (read_record(record_path).get("final") or {}).get("test_accuracy")
        except ValueError:
            recorded = None
        if recorded is not None:
            same = "the same as" if recorded == accuracy else "NOT the same as"
            print(f"{same} its record's final test accuracy ({accuracy_text(recorded)})")
    return exits.OK


def table_facts(dataset) -> dict:
    """What check_spec needs to know of a loaded table (its task and input columns); nothing for images."""
    return {"task": dataset.task, "inputs": len(dataset.columns)} if dataset.is_table else {}


def report_regression(path: Path, network, feed, batches, source: str, overridden: bool) -> int:
    """A regression model's test MSE, MAE and R^2 (in the target's units), beside its record's."""
    result = measure(network, batches, getattr(feed, "target_scale", 1.0))
    rows = len(feed.splits.test) if feed.splits.test is not None else 0
    print(f"{path.name}: test R^2 {loss_text(result['r2'])}, MSE {result['mse']:.6g}, MAE {result['mae']:.6g} "
          f"on {rows} rows ({source})")
    record_path = record_path_of(path)
    if record_path.is_file() and not overridden:
        try:
            final = read_record(record_path).get("final") or {}
        except ValueError:
            final = {}
        recorded = {name: final.get(f"test_{name}") for name in ("r2", "mse", "mae")}
        if all(isinstance(v, (int, float)) for v in recorded.values()):
            same = all(math.isclose(result[k], v, rel_tol=1e-9, abs_tol=1e-12) for k, v in recorded.items())
            print(f"{'the same as' if same else 'NOT the same as'} its record's final test R^2, MSE and MAE "
                  f"({loss_text(recorded['r2'])}, {recorded['mse']:.6g}, {recorded['mae']:.6g})")
    return exits.OK


def cmd_baseline(args: argparse.Namespace, home: Path) -> int:
    raw = spec_to_dict(Spec())
    apply_overrides(raw, args.overrides, allowed=lambda key: key.startswith("data.") or key == "seed",
                    refusal="a baseline takes data fields (data.*) and seed only")
    spec, problems = parse_spec(raw)
    problems = [p for p in problems if p.path.startswith("data") or p.path == "seed"]
    path = Path(args.record) if args.record else default_record_path(home, f"baseline-{args.method}")
    if not problems:  # checked before training: a baseline's work is not lost to a record it cannot write
        check_outputs({"--record" if args.record else "the runs folder": path}, data_inputs(spec.data.path))
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
    except OSError as error:
        raise unreadable(error) from None
    summary = {"dataset": dataset.name, "source": dataset.source, "image_shape": list(dataset.image_shape),
               "classes": dataset.classes, "train": result.train_images, "test": result.test_images}
    record = baseline_record(result, spec_to_dict(spec), spec.seed, summary)
    print(f"{args.method}: test accuracy {accuracy_text(result.test_accuracy)} (trained on {result.train_images} "
          f"images, scored on {result.test_images}, {result.seconds:.1f} s)", flush=True)
    try:
        atomic_write_text(path, json.dumps(record, indent=1))
    except OSError as error:  # checked writable before training: the disk filled up or the folder went away
        print(f"error: {error.filename or path}: the record could not be written ({error.strerror or error})",
              file=sys.stderr)
        return exits.WRITE_FAILED
    print(f"record: {path}")
    return exits.OK
