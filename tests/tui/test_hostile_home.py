"""A home holding hostile files beside good ones: the app starts, lists the good ones and names the bad."""

import json

from textual.widgets import DataTable

from tui_nn.tui.app import make_app
from tui_nn.tui.screens.presets import PresetsScreen

from .helpers import screen_text

SIZE = (80, 24)
DEEP = "[" * 5000 + "]" * 5000


def malformed_records(runs, good: dict) -> list[str]:
    """Records each wrong in one field, written beside ``good``; their names."""
    def variant(name, change):
        record = json.loads(json.dumps(good))
        record.pop("model", None)
        change(record)
        (runs / f"{name}.json").write_text(json.dumps(record))
        return name

    names = [variant("final-a-string", lambda r: r.__setitem__("final", "x")),
             variant("accuracy-high", lambda r: r["final"].__setitem__("test_accuracy", "high")),
             variant("training-a-list", lambda r: r["spec"].__setitem__("training", [1]))]
    (runs / "deep.json").write_text('{"a": ' + DEEP + "}")
    return [*names, "deep"]


async def test_a_deep_user_preset_leaves_the_home_screen_listing_the_good_ones(home, mnist):
    (home / "presets" / "deep.toml").write_text(f"a = {DEEP}\n")
    app = make_app(home=home, dataset=mnist)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)
        table = app.screen.query_one("#presets", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert {"* tiny", "* tiny-conv", "first-look"} <= set(names) and "* deep" not in names
        notices = [n.message for n in app._notifications]
        assert any("deep.toml" in m and "nested" in m for m in notices), notices


async def test_the_runs_screen_lists_good_runs_beside_malformed_ones(home, mnist):
    from tui_nn.cli.main import main
    from tui_nn.tui.screens.runs import RunsScreen

    assert main(["--home", str(home), "run", "tiny", "--quiet", "--record", str(home / "runs" / "good.json")]) == 0
    bad = malformed_records(home / "runs", json.loads((home / "runs" / "good.json").read_text()))
    stray = json.loads((home / "runs" / "good.json").read_text())
    stray["model"] = "../../../../etc/passwd"  # a model outside the record's folder: never opened
    (home / "runs" / "stray-model.json").write_text(json.dumps(stray))
    bad.append("stray-model")
    app = make_app(home=home, dataset=mnist)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        runs = app.screen
        assert isinstance(runs, RunsScreen)
        assert [r.id for r in runs.shown] == ["good"]
        assert f"{len(bad)} unreadable file(s): u" in screen_text(app)
        await pilot.press("u")  # each one named, with why
        await pilot.pause()
        listed = screen_text(app)
        assert all(f"{name}.json" in listed for name in bad), listed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is runs
        await pilot.press("v")  # the good run's model still opens
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfusionScreen"
