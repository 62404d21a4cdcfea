"""A preset's [sweep] table as the editor's text: written to read at 80 columns, read back to the same table,
checked as the preset loader checks it."""

import math
import tomllib

import pytest

from tui_nn.experiment.draft import Draft
from tui_nn.experiment.presets import builtin_presets, find_preset
from tui_nn.experiment.sweep_text import read_sweep_text, sweep_text, toml_value

SWEEPS = [preset for preset in builtin_presets() if preset.sweep]


@pytest.mark.parametrize("preset", SWEEPS, ids=lambda p: p.key)
def test_every_built_in_sweep_reads_back_as_the_same_table(preset):
    text = sweep_text(preset.sweep)
    assert read_sweep_text(text) == (preset.sweep, [])
    assert tomllib.loads(text) == preset.sweep
    if preset.sweep.get("alternatives"):  # one alternative a line
        assert text.count("\n  {") == len(preset.sweep["alternatives"])


def test_values_of_every_kind_and_keys_that_need_quotes_survive_the_round_trip():
    table = {"seeds": 3, "grid": {"optimizer.learning_rate": [1e-05, 0.5, 10.0], "model.layers[0].units": [30, 100],
                                  "training.monitor": [True, False], "data.normalization": ["unit", "zscore"]},
             "alternatives": [{"label": 'quote " and \\ back', "optimizer": {"name": "adam"}},
                              {"label": "é", "data": {"augment": {}}}]}
    assert tomllib.loads(sweep_text(table)) == table
    assert toml_value(math.inf) == "inf" and toml_value(-math.inf) == "-inf" and toml_value(math.nan) == "nan"
    assert sweep_text(None) == "" and sweep_text({}) == ""


def test_empty_text_or_only_comments_is_no_sweep_and_bad_toml_names_its_line():
    assert read_sweep_text("  \n") == (None, []) and read_sweep_text("# later\n") == (None, [])
    table, problems = read_sweep_text('seeds = 2\n[grid]\n"optimizer.learning_rate" = [0.1, \n')
    assert table is None and len(problems) == 1
    problem = problems[0]
    assert problem.path == "sweep" and problem.allowed.startswith("not valid TOML: ")
    assert problem.at_field() == problem.allowed  # where the reader gave up may be past the mistake: no line quoted
    table, problems = read_sweep_text("seeds = 2\ngrid x\n")
    assert "(at line 2, column 6)" in problems[0].allowed


def test_a_drafts_sweep_is_checked_as_a_presets_is(tmp_path):
    preset = find_preset("nielsen-ch3-learning-rates", tmp_path)
    draft = Draft(preset.spec, preset.description, sweep=preset.sweep)
    check = draft.check()
    assert not check.problems and check.sweep == preset.sweep and check.sweep_runs == 9 and check.sweep_seeds == 3
    check = draft.check(whole=True)
    assert not check.problems and len(check.sweep_points) == 9
    assert {point.seed for point in check.sweep_points} == {preset.spec.seed + i for i in range(3)}

    draft.set("sweep", 'seeds = 2\n[grid]\n"optimizer.lr" = [0.1, 1.0]\n')
    for whole in (False, True):  # a key's quick check and the whole one find it alike, once
        problems = draft.check(whole).problems
        assert [p.path for p in problems] == ["sweep point optimizer.lr=0.1"], problems
        assert "optimizer.lr" in problems[0].allowed and draft.check(whole).sweep_runs == 0

    draft.set("sweep", "seeds = 0\n")
    assert [(p.path, p.value) for p in draft.check().problems] == [("sweep.seeds", 0)]

    draft.set("sweep", 'grid = { "optimizer.learning_rate" = [0.1, 0.1] }\n')  # one run twice
    assert "listed twice" in draft.check().problems[0].allowed

    draft.set("sweep", "")
    check = draft.check()
    assert not check.problems and check.sweep is None and not check.sweep_points
    assert draft.state()[2] == ""


def test_a_base_spec_problem_is_not_repeated_for_every_point(tmp_path):
    preset = find_preset("nielsen-ch3-learning-rates", tmp_path)
    draft = Draft(preset.spec, sweep=preset.sweep)
    draft.set("training.epochs", 0)
    assert [problem.path for problem in draft.check().problems] == ["training.epochs"]


def test_what_only_a_combination_breaks_is_found_by_the_whole_check(tmp_path):
    preset = find_preset("first-look", tmp_path)
    draft = Draft(preset.spec)
    draft.set("data.train_size", 1000)
    draft.set("data.validation_size", 1000)
    # each size alone fits MNIST's 60,000 training images beside the other's base value; together they do not
    draft.set("sweep", '[grid]\n"data.train_size" = [1000, 48000]\n"data.validation_size" = [1000, 14000]\n')
    assert not draft.check().problems and draft.check().sweep_runs == 4
    problems = draft.check(whole=True).problems
    assert problems and problems[0].path == "sweep point data.train_size=48000, data.validation_size=14000"


def test_two_alternatives_that_make_one_run_are_refused_as_typed(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", 'alternatives = [{label = "a", seed = 5}, {label = "b", seed = 5}]\n')
    problems = draft.check().problems
    assert [p.path for p in problems] == ["sweep"] and "same run as alternative a" in problems[0].allowed
