"""CSV tables: the task read from the target, the split, and one line naming the file, the line and
the column for every kind of bad table."""

import numpy as np
import pytest

from tui_nn.data import DatasetError
from tui_nn.data.table import read_table


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _error(path, **kw) -> str:
    with pytest.raises(DatasetError) as caught:
        read_table(path, **kw)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_text_targets_classify_with_sorted_class_names_and_rows_split_80_20(tmp_path):
    rows = "\n".join(f"{i},{i * 0.5},{'cat' if i % 3 else 'dog'}" for i in range(20))
    data = read_table(_write(tmp_path, "a,b,animal\n" + rows + "\n"))
    assert data.task == "classification" and data.class_names == ("cat", "dog") and data.classes == 2
    assert data.columns == ("a", "b") and data.is_table
    assert (len(data.train_labels), len(data.test_labels)) == (16, 4)
    features = np.concatenate([data.train_images, data.test_images])
    labels = np.concatenate([data.train_labels, data.test_labels])
    for (a, b), label in zip(features, labels):  # rows stay whole through the shuffle
        assert b == a * 0.5 and label == (0 if a % 3 else 1)


def test_booleans_and_few_integers_classify_other_numbers_regress(tmp_path):
    assert read_table(_write(tmp_path, "x,ok\n1,true\n2,False\n3,true\n")).class_names == ("False", "true")
    ints = read_table(_write(tmp_path, "x,grade\n" + "".join(f"{i},{i % 3 + 1}\n" for i in range(9))))
    assert ints.task == "classification" and ints.class_names == ("1", "2", "3")
    many = read_table(_write(tmp_path, "x,count\n" + "".join(f"{i},{i * 7}\n" for i in range(40))))
    assert many.task == "regression" and many.classes == 0 and many.train_labels.dtype.kind == "f"
    floats = read_table(_write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,1\n"))
    assert floats.task == "regression"
    told = read_table(_write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,0.5\n"), task="classification")
    assert told.class_names == ("0.5", "1.5")


def test_the_target_is_the_named_column_and_the_seed_shuffles(tmp_path):
    path = _write(tmp_path, "y,a,b\n" + "".join(f"{i % 2},{i},{-i}\n" for i in range(30)))
    data = read_table(path, target="y", seed=1)
    assert data.columns == ("a", "b")
    assert np.array_equal(data.train_labels, data.train_images[:, 0].astype(int) % 2)
    assert not np.array_equal(data.train_images, read_table(path, target="y", seed=2).train_images)
    assert len(read_table(path, target="y", train_fraction=0.5).train_labels) == 15


def test_a_ragged_row_names_its_line(tmp_path):
    path = _write(tmp_path, "a,b,y\n1,2,x\n3,4\n5,6,z\n")
    assert _error(path).endswith("line 3: 2 cells, the header has 3 columns")


def test_an_empty_or_non_numeric_feature_cell_names_the_line_and_column(tmp_path):
    assert "line 3, column 'b': empty cell" in _error(_write(tmp_path, "a,b,y\n1,2,x\n3,,y\n"))
    assert "line 2, column 'a': 'abc' is not a number" in _error(_write(tmp_path, "a,b,y\nabc,2,x\n3,1,y\n"))


def test_an_unknown_target_column_lists_the_columns(tmp_path):
    message = _error(_write(tmp_path, "a,b,y\n1,2,x\n3,4,y\n"), target="label")
    assert "line 1: no column 'label'" in message and "a, b, y" in message


def test_a_target_with_one_class_is_refused(tmp_path):
    message = _error(_write(tmp_path, "a,y\n1,yes\n2,yes\n3,yes\n"))
    assert "lines 2-4, column 'y'" in message and "one value ('yes')" in message


def test_no_header_empty_files_and_non_numeric_regression_targets(tmp_path):
    assert "line 1: no header" in _error(_write(tmp_path, "1,2,3\n4,5,6\n"))
    assert "empty" in _error(_write(tmp_path, ""))
    assert "line 3, column 'y': 'n/a' is not a number" in _error(_write(tmp_path, "a,y\n1,0.5\n2,n/a\n"),
                                                               task="regression")
    assert "1 data row" in _error(_write(tmp_path, "a,y\n1,2\n"))
    assert "header names column 'a' twice" in _error(_write(tmp_path, "a,a,y\n1,2,3\n4,5,6\n"))


def test_a_table_too_big_for_memory_is_refused_before_it_is_read(tmp_path):
    path = _write(tmp_path, "a,y\n" + "".join(f"{i},{i % 2}\n" for i in range(1000)))
    message = _error(path, memory=1000)
    assert "KB of text may need up to" in message and "1000 bytes of memory is available" in message
    assert len(read_table(path, memory=None).train_labels) == 800
