"""The playground bench runs the real screen and reports what it measured (no timing is asserted)."""

import json
from dataclasses import replace
from pathlib import Path

from tui_nn.bench.playground import bench_playground, playground_bench_lines
from tui_nn.cli.main import main
from tui_nn.experiment.presets import read_preset_file, save_user_preset

PRESETS = Path(__file__).resolve().parents[2] / "presets"


def short_circle(epochs: int):
    preset = read_preset_file(PRESETS / "playground-circle.toml", builtin=True)
    spec = replace(preset.spec, training=replace(preset.spec.training, epochs=epochs))
    return replace(preset, key="short-circle", name="short circle", spec=spec, builtin=False, path=None)


def test_the_playground_bench_counts_redraws_and_times_keys_and_says_so(tmp_path):
    result = bench_playground(short_circle(40), tmp_path, rounds=2, interval=0.01)
    assert result["epochs"] == 40 and result["architecture"] == "[4,2,1]"
    assert result["redraws"] >= 1 and result["redraws_per_second"] > 0
    assert result["key_presses"] == 4  # two layer picks, two new specs
    assert 0 < result["key_ms_median"] <= result["key_ms_p95"] <= result["key_ms_max"]
    assert 0 < result["picture_ms_median"] and 0 < result["draw_ms_median"] <= result["draw_ms_max"]
    assert not list((tmp_path / "runs").glob("*.json")), "the bench's records go to a temporary folder"
    lines = playground_bench_lines(result)
    assert lines[0].startswith("preset short-circle: [4,2,1]") and "map redraws" in lines[1]
    assert "keys while it trains (4)" in lines[2]


def test_bench_playground_from_the_cli_trains_the_presets_own_epochs(tmp_path, capsys):
    save_user_preset(short_circle(30), tmp_path)
    code = main(["--home", str(tmp_path), "bench", "short-circle", "--playground", "--rounds", "1", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["epochs"] == 30 and result["key_presses"] == 2


def test_bench_playground_refuses_a_preset_of_images(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "bench", "first-look", "--playground"]) == 2
    assert "--playground needs a table of one or two inputs" in capsys.readouterr().err
