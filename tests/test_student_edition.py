"""The student edition (``python tools/student_edition.py``, issue 10): built here into a temporary folder.

What is proved, for every notebook:

- no solution survives: every line of every ```` ```python ```` block and every distinctive sentence of each
  solution cell of the instructor's notebook is absent from the student notebook (a line or sentence that the
  instructor's notebook also holds outside its solutions, such as the stub's ``def`` line, is not solution
  text), each solution cell holds only the stub line, and no ``<summary>Solution`` block is left anywhere;
- no stored output and no execution count is left;
- the exercise stubs and their check cells are there, unchanged, and the check cells are locked (neither
  editable nor deletable), as nbgrader's LockCells makes them;
- the code cells are exactly the instructor's notebook's code cells, in order, and every other cell is kept;
- the student notebook runs top to bottom.

Running: executing all eight student notebooks would double the suite's notebook time (the suite must stay
under 120 s on a 2-core machine). It is also redundant: the student edition differs from the committed
notebook only in Markdown cells and metadata, its code cells are the committed notebook's code cells, cell for
cell (proved below for every notebook), and nbval executes every committed notebook top to bottom, in an empty
folder with ``helpers`` installed as a package (``conftest.py``), which is how a student runs it. So the suite
runs the student edition's code of all eight; this file executes, as an end-to-end check of the edition itself
(the file the tool wrote, opened by a fresh kernel), only the notebook that ``tools/benchmarks.json`` measures
fastest, and requires each of its untouched stubs to be reported "not attempted".

A small notebook in the exercises' layout (DESIGN.md; BRIEF "Exercises") is built too, so that the stripping
itself is proved even while a notebook has no exercises.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FENCE = re.compile(r"```[a-zA-Z]*\n(.*?)```", re.DOTALL)
PY_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
SOLUTION_SUMMARY = re.compile(r"<summary>\s*(?:\*\*)?Solution", re.IGNORECASE)


def _tool():
    spec = importlib.util.spec_from_file_location("student_edition", ROOT / "tools" / "student_edition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The documented command, run into a temporary folder. It refuses to write an edition in which a notebook
    would keep a solution; then each notebook is built on its own, so that each test names its notebook."""
    out = tmp_path_factory.mktemp("student")
    errors, said = {}, io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
        status = tool.main(["--out", str(out)])
    if status != 0:
        errors["the command"] = said.getvalue()
        export = tool.exporter()
        for path in NOTEBOOKS:
            try:
                (out / path.name).write_text(tool.student_notebook(path, export), encoding="utf-8")
            except RuntimeError as exc:
                errors[path.name] = str(exc)
    return {"out": out, "errors": errors}


def student_of(edition, path: Path):
    if path.name in edition["errors"]:
        pytest.fail(edition["errors"][path.name], pytrace=False)
    return nbformat.read(edition["out"] / path.name, as_version=4)


def is_solution(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def is_check(cell) -> bool:
    return cell.cell_type == "code" and "exercises.check(" in cell.source


def lines_of(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sentences(markdown: str) -> list[str]:
    """The prose sentences of a solution cell: fences and HTML tags removed, split at . ! ? : and line ends;
    only those of at least five words (shorter ones, "Yes." or "The answer:", are not distinctive)."""
    prose = FENCE.sub("\n", markdown)
    prose = re.sub(r"<[^>]+>", "\n", prose)
    parts = re.split(r"(?<=[.!?:])\s+|\n\s*\n|\n(?=\s*[-*\d])", prose)
    return [normalise(p) for p in parts if len(p.split()) >= 5]


def solution_text(nb) -> tuple[set[str], list[str]]:
    """The lines of code and the distinctive sentences that only the solution cells hold."""
    rest = "\n".join(c.source for c in nb.cells if not is_solution(c))
    rest_lines, rest_prose = lines_of(rest), normalise(rest)
    code, prose = set(), []
    for cell in filter(is_solution, nb.cells):
        for block in PY_BLOCK.findall(cell.source):
            code |= lines_of(block) - rest_lines
        prose += [s for s in sentences(cell.source) if s not in rest_prose]
    return code, prose


def assert_no_solution_survives(source, student, name: str) -> None:
    code, prose = solution_text(source)
    text = "\n".join(c.source for c in student.cells)
    leaked_lines = sorted(code & lines_of(text))
    assert not leaked_lines, f"{name}: solution code survives in the student edition: {leaked_lines[:5]}"
    flat = normalise(text)
    leaked = [s for s in prose if s in flat]
    assert not leaked, f"{name}: solution sentences survive in the student edition: {leaked[:3]}"
    assert not SOLUTION_SUMMARY.search(text), f"{name}: a <summary>Solution block survives"
    for i, (a, b) in enumerate(zip(source.cells, student.cells)):
        if is_solution(a):
            assert b.source == tool.TEXT_STUB, f"{name} cell {i}: the solution cell holds {b.source[:80]!r}"


def assert_clean_and_locked(source, student, name: str) -> None:
    assert len(student.cells) == len(source.cells), f"{name}: cells added or lost"
    for i, (a, b) in enumerate(zip(source.cells, student.cells)):
        assert a.cell_type == b.cell_type, f"{name} cell {i}: {a.cell_type} became {b.cell_type}"
        if b.cell_type == "code":
            assert b.outputs == [] and b.execution_count is None, f"{name} cell {i}: output or count left"
        assert "execution" not in b.metadata, f"{name} cell {i}: timing metadata left"
        if not is_solution(a):
            assert b.source == a.source, f"{name} cell {i}: changed although it holds no solution"
        if is_check(a):
            assert b.metadata.get("nbgrader") == a.metadata.get("nbgrader"), f"{name} cell {i}: metadata changed"
            assert b.metadata.get("editable") is False and b.metadata.get("deletable") is False, (
                f"{name} cell {i}: the check cell is not locked: {dict(b.metadata)}")
            stub = next(j for j in range(i - 1, -1, -1) if source.cells[j].cell_type == "code")
            assert student.cells[stub].source == source.cells[stub].source, f"{name} cell {stub}: stub changed"
            assert student.cells[stub].metadata.get("editable", True), f"{name} cell {stub}: stub not editable"
    code_a = [c.source for c in source.cells if c.cell_type == "code"]
    code_b = [c.source for c in student.cells if c.cell_type == "code"]
    assert code_b == code_a, f"{name}: the student edition's code cells are not the instructor's"


def test_the_command_writes_every_notebook_and_nothing_else(edition):
    assert "the command" not in edition["errors"], edition["errors"]["the command"]
    assert sorted(p.name for p in edition["out"].iterdir()) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_no_solution_survives(edition, path):
    source = nbformat.read(path, as_version=4)
    student = student_of(edition, path)
    assert sum(map(is_solution, student.cells)) == sum(map(is_solution, source.cells))
    assert_no_solution_survives(source, student, path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_no_outputs_stubs_and_locked_checks_kept_code_identical(edition, path):
    source = nbformat.read(path, as_version=4)
    student = student_of(edition, path)
    nbformat.validate(student)
    assert_clean_and_locked(source, student, path.name)


# ---------------------------------------------------------------------------------------------------------
# The layout of one exercise (task, hint, stub, check, solution), stripped as the course's notebooks are
# ---------------------------------------------------------------------------------------------------------
def example_notebook():
    v4 = nbformat.v4
    check_meta = {"grade": False, "grade_id": "ex99_1_check", "locked": True, "schema_version": 3,
                  "solution": False, "task": False}
    solution_meta = {"grade": False, "grade_id": "ex99_1_solution", "locked": False, "schema_version": 3,
                     "solution": True, "task": False}
    solution = ("<details><summary>Solution</summary>\n\nSquare each entry and add them up, then take the mean over "
                "the batch rather than the sum.\n\n```python\ndef mean_square(x):\n"
                "    squares = [value * value for value in x]\n    return sum(squares) / len(squares)\n```\n"
                "\n</details>")
    cells = [
        v4.new_markdown_cell("# 99 · Example\n\nOne exercise in the course's layout."),
        v4.new_code_cell("from helpers import exercises", execution_count=1),
        v4.new_markdown_cell("## Exercises\n\n**Exercise 1.** Write `mean_square(x)`."),
        v4.new_markdown_cell("<details><summary>Hint</summary>\n\nSquare first, then average.\n\n</details>"),
        v4.new_code_cell('def mean_square(x):\n    """The mean of the squares of x."""\n    ...', execution_count=2),
        v4.new_code_cell('# NBVAL_CHECK_OUTPUT\nexercises.check("99.1", mean_square)', execution_count=3,
                         metadata={"nbgrader": check_meta},
                         outputs=[v4.new_output("stream", name="stdout", text="Exercise 99.1: correct\n")]),
        v4.new_markdown_cell(solution, metadata={"nbgrader": solution_meta}),
        v4.new_markdown_cell("## Summary\n\n- Done."),
    ]
    return v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                 "display_name": "Python 3"}})


def test_the_exercise_layout_is_stripped(tmp_path):
    source = example_notebook()
    path = tmp_path / "99_example.ipynb"
    nbformat.write(source, path)
    student = nbformat.reads(tool.student_notebook(path), as_version=4)
    code, prose = solution_text(source)
    assert "squares = [value * value for value in x]" in code and "def mean_square(x):" not in code
    assert any("take the mean over the batch" in s for s in prose)
    assert_no_solution_survives(source, student, path.name)
    assert_clean_and_locked(source, student, path.name)
    assert "Square first, then average." in student.cells[3].source  # the hint stays


def test_duplicate_grade_ids_are_refused(tmp_path):
    source = example_notebook()
    source.cells[6].metadata["nbgrader"]["grade_id"] = "ex99_1_check"
    path = tmp_path / "99_example.ipynb"
    nbformat.write(source, path)
    with pytest.raises(RuntimeError, match="grade_id 'ex99_1_check' is used by cells 5 and 6"):
        tool.student_notebook(path)


def test_a_solution_without_nbgrader_metadata_is_refused(tmp_path):
    source = example_notebook()
    del source.cells[6].metadata["nbgrader"]
    path = tmp_path / "99_example.ipynb"
    nbformat.write(source, path)
    with pytest.raises(RuntimeError, match="without nbgrader metadata"):
        tool.student_notebook(path)


# ---------------------------------------------------------------------------------------------------------
# The student edition runs (the fastest notebook; see the module docstring for the others)
# ---------------------------------------------------------------------------------------------------------
def fastest_notebook() -> Path:
    measured = json.loads((ROOT / "tools" / "benchmarks.json").read_text())["notebooks"]
    timed = [p for p in NOTEBOOKS if p.name in measured]
    return min(timed, key=lambda p: measured[p.name]["seconds"]) if timed else NOTEBOOKS[0]


def test_the_fastest_student_notebook_runs_top_to_bottom(edition, notebook_kernel):
    nbclient = pytest.importorskip("nbclient")
    path = fastest_notebook()
    nb = student_of(edition, path)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(notebook_kernel["folder"]())}})
    client.execute(env=notebook_kernel["env"])  # raises CellExecutionError on the first failing cell
    for i, cell in enumerate(nb.cells):
        if is_check(cell):
            printed = "".join(o.get("text", "") for o in cell.outputs)
            assert "not attempted" in printed, f"{path.name} cell {i}: an untouched stub printed {printed!r}"
