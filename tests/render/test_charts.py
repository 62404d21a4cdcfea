"""The comparison chart as text: one marker per run, the legend below the plot, not over the curves."""

from tui_nn.render.charts import chart_text


def test_the_legend_is_below_the_plot_and_names_each_runs_marker():
    series = [("adam lr=0.001", [1, 2, 3], [0.90, 0.95, 0.97]), ("sgd lr=0.1", [1, 2, 3], [0.80, 0.85, 0.86]),
              ("empty", [], [])]
    text = chart_text(series, "test accuracy", width=60, height=14, colour=False)
    lines = text.rstrip("\n").splitlines()
    assert lines[-3:] == ["  + adam lr=0.001", "  x sgd lr=0.1", "  o empty  (no values)"]
    plot = "\n".join(lines[:-3])
    assert "adam" not in plot and "sgd" not in plot  # no legend box inside the plot
    assert "+" in plot and "x" in plot
