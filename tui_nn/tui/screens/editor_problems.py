"""Where the editor shows a problem: at its field, at its layer, or above the layer list; and the summary line."""

from __future__ import annotations

from rich.markup import escape
from textual.widget import Widget

from ...experiment.spec.parse import Problem
from ...experiment.sweep_plan import is_sweep_path
from ..widgets.form_fields import ErrorLine, FieldRow
from ..widgets.layer_row import LayerList


def path_parts(path: str) -> list[str]:
    """``model.layers[2].units`` -> ``["model", "layers", "2", "units"]``."""
    return path.replace("[", ".").replace("]", "").split(".")


def _sweep_or(path: str) -> str:
    """Every problem of the sweep (``sweep.grid.KEY``, ``sweep point lr=0.1``) is shown at its text."""
    return "sweep" if is_sweep_path(path) else path


def at_line(problem: Problem) -> str:
    """What a field's error line says: the problem, and which part of the sweep when it is the
    sweep's (its one box holds them all)."""
    if _sweep_or(problem.path) != "sweep" or problem.path == "sweep":
        return problem.at_field()
    if problem.path.startswith("sweep point"):
        return f"{problem.path}: {problem.at_field()}"
    return str(problem)


class ProblemMarks:
    """Puts each problem under its field, drawing only the error lines that change."""

    def __init__(self, fields: dict[str, FieldRow], layers: LayerList, layers_error: ErrorLine):
        self.fields = fields
        self.layers = layers
        self.layers_error = layers_error
        self.shown: dict[int, ErrorLine] = {}

    def line_for(self, path: str) -> ErrorLine | None:
        """The error line of the problem's field, else of the nearest table around it that has one."""
        parts = path_parts(_sweep_or(path))
        if parts[:2] == ["model", "layers"]:
            if len(parts) > 2 and parts[2].isdigit() and int(parts[2]) < len(self.layers.rows):
                return self.layers.rows[int(parts[2])].error
            return self.layers_error
        while parts:
            row = self.fields.get(".".join(parts))
            if row is not None:
                return row.error
            parts.pop()
        return None

    def input_for(self, path: str) -> Widget | None:
        """The input of a problem's field, or of its layer."""
        parts = path_parts(path)
        if parts[:2] == ["model", "layers"]:
            if len(parts) < 3 or not parts[2].isdigit() or int(parts[2]) >= len(self.layers.rows):
                return None
            inputs = self.layers.rows[int(parts[2])].inputs
            return inputs.get(parts[3] if len(parts) > 3 else "type", inputs["type"])
        row = self.fields.get(_sweep_or(path))
        return row.input if row is not None else None

    def show(self, problems: list[Problem]) -> None:
        # The first problem of a field is the one to fix; later ones often follow from it.
        wanted: dict[int, tuple[ErrorLine, str]] = {}
        for problem in problems:
            line = self.line_for(problem.path)
            if line is not None and id(line) not in wanted:
                wanted[id(line)] = (line, at_line(problem))
        for key, line in self.shown.items():
            if key not in wanted:
                line.show("")
        for line, text in wanted.values():
            line.show(text)
        self.shown = {key: line for key, (line, _) in wanted.items()}


def summary_text(problems: list[Problem], key: str, warnings: list[str] | None = None, sweep_runs: int = 0) -> str:
    if not problems:
        if warnings:
            return f"[b $success]valid[/], [b $warning]note[/]: {escape(warnings[0])}"
        if sweep_runs:
            runs = "1 run" if sweep_runs == 1 else f"{sweep_runs} runs"
            return f"[b $success]valid[/]  {key}: ctrl+r runs its sweep ({runs}), ctrl+s saves"
        return f"[b $success]valid[/]  {key}: ctrl+r runs, ctrl+s saves"
    first = problems[0]
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"[b $error]{len(problems)} problem(s)[/]: {escape(first.path)}: {escape(first.allowed)}{more}"


def refusal_text(what: str, problems: list[Problem]) -> str:
    first = problems[0]
    return f"[b $error]cannot {what}[/]: {len(problems)} problem(s); first: {escape(first.path)}: {escape(first.allowed)}"
