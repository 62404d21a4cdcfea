"""A preset's [sweep] table as the editor's text: written to read at 80 columns, read back to the same table,
checked as the preset loader checks it."""

import datetime
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
    stamp = datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)
    odd = {"alternatives": [{"label": datetime.date(2020, 1, 1)}, {"label": "del\x7f", "x\U0001F600": [stamp]}],
           "grid": {"\u00e9.\U0001F600": [datetime.time(1, 2)]}}
    assert tomllib.loads(sweep_text(odd)) == odd and read_sweep_text(sweep_text(odd)) == (odd, [])
    for empty in ({"grid": {}}, {"seeds": 2, "grid": {}}, {"alternatives": []}):  # what was read is what is written
        assert read_sweep_text(sweep_text(empty)) == (empty, [])
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


def test_a_small_sweep_is_checked_whole_at_every_key_a_large_one_on_asking(tmp_path):
    preset = find_preset("first-look", tmp_path)
    draft = Draft(preset.spec)
    draft.set("data.train_size", 1000)
    draft.set("data.validation_size", 1000)
    # each size alone fits MNIST's 60,000 training images beside the other's base value; together they do not
    sizes = '[grid]\n"data.train_size" = [1000, 48000]\n"data.validation_size" = [1000, 14000]\n'
    draft.set("sweep", sizes)
    check = draft.check()
    assert check.sweep_whole and check.problems[0].path == "sweep point data.train_size=48000, data.validation_size=14000"

    rates = '"optimizer.learning_rate" = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007]\n'
    draft.set("sweep", sizes + rates)  # 28 runs: too many to check every point at each key
    check = draft.check()
    assert not check.sweep_whole and not check.problems and check.sweep_runs == 28
    problems = draft.check(whole=True).problems
    assert problems and problems[0].path.startswith("sweep point data.train_size=48000, data.validation_size=14000")
    assert draft.check().problems == problems  # a key's check after it keeps what it found, while nothing changed
    draft.set("training.epochs", 2)
    assert not draft.check().problems  # changed: checked anew, each setting on its own


def test_a_setting_is_checked_on_top_of_each_alternative_not_on_the_bare_spec(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)  # adam
    # beta_1 is adam's, not sgd's: fine on the alternative that keeps adam, a problem on the one that is sgd
    draft.set("sweep", 'alternatives = [{label = "adam", optimizer = {name = "adam"}},\n'
                       '  {label = "sgd", optimizer = {name = "sgd", learning_rate = 0.1}}]\n'
                       '[grid]\n"optimizer.beta_1" = [0.8, 0.9]\n')
    problems = draft.check().problems
    assert [p.path for p in problems] == ["sweep point alternative=sgd, optimizer.beta_1=0.8"], problems
    draft.set("sweep", 'alternatives = [{label = "adam", optimizer = {name = "adam"}},\n'
                       '  {label = "nadam", optimizer = {name = "nadam"}}]\n[grid]\n"optimizer.beta_1" = [0.8, 0.9]\n')
    assert not draft.check().problems and draft.check().sweep_runs == 4


def test_an_alternatives_optimizer_without_a_name_changes_the_base_optimizer(tmp_path):
    preset = find_preset("first-look", tmp_path)  # adam lr=0.001
    draft = Draft(preset.spec, sweep={"alternatives": [{"optimizer": {"learning_rate": 0.01}}]})
    [point] = draft.check(whole=True).sweep_points
    assert point.raw["optimizer"]["name"] == "adam" and point.raw["optimizer"]["learning_rate"] == 0.01


def test_a_seed_in_an_alternative_is_refused_it_would_be_replaced(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", 'alternatives = [{label = "a", seed = 5}, {label = "b", seed = 6}]\n')
    problems = draft.check().problems
    assert [p.path for p in problems] == ["sweep.alternatives[0].seed", "sweep.alternatives[1].seed"]


def test_two_alternatives_that_make_one_run_are_refused_as_typed(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", 'alternatives = [{label = "a", optimizer = {learning_rate = 0.5}},'
                       ' {label = "b", optimizer = {learning_rate = 0.5}}]\n')
    problems = draft.check().problems
    assert [p.path for p in problems] == ["sweep"] and "same run as" in problems[0].allowed


def test_text_pasted_with_its_sweep_header_or_unquoted_dotted_keys_reads_as_meant(tmp_path):
    table, problems = read_sweep_text('[sweep]\nseeds = 2\n\n[sweep.grid]\n"optimizer.learning_rate" = [0.1]\n')
    assert table == {"seeds": 2, "grid": {"optimizer.learning_rate": [0.1]}} and not problems
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", "[grid]\noptimizer.learning_rate = [0.1, 0.2]\n")  # a table of tables to TOML
    check = draft.check()
    assert not check.problems and check.plan.grid == {"optimizer.learning_rate": [0.1, 0.2]} and check.sweep_runs == 2


def test_two_alternatives_with_one_label_are_refused_their_rows_would_merge(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", 'alternatives = [{label = "a", optimizer = {learning_rate = 0.5}},'
                       ' {label = "a", optimizer = {learning_rate = 0.2}}]\n')
    problems = draft.check().problems
    assert [(p.path, p.value) for p in problems] == [("sweep.alternatives[1]", "a")]
    assert "is the label of alternatives[0] too" in problems[0].allowed


def test_seeds_or_alternatives_typed_below_the_grid_say_to_move_them_up(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", '[grid]\n"training.epochs" = [1, 2]\nseeds = 2\n')
    [problem] = draft.check().problems
    assert problem.path == "sweep.grid.seeds" and problem.allowed.startswith("is the sweep's own seeds: put it above [grid]")


def test_a_grid_key_given_quoted_and_as_a_table_is_refused_not_half_kept(tmp_path):
    draft = Draft(find_preset("first-look", tmp_path).spec)
    draft.set("sweep", '[grid]\n"optimizer.learning_rate" = [0.1]\noptimizer.learning_rate = [0.2, 0.3]\n')
    problems = draft.check().problems
    assert problems and problems[0].path == "sweep.grid.optimizer.learning_rate" and "twice" in problems[0].allowed
