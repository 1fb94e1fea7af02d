"""Every exercise of every notebook, held to the course's rules (DESIGN.md, "The arc of a notebook", item 5).

For each exercise registered in ``helpers.exercises.nbNN`` this runs, in a fresh namespace that holds only what the
notebook's set-up and import cells define (the cells before its first ``## `` section):

- the notebook's untouched stub cell, then its check cell: the verdict must be "not attempted";
- the code of the solution shown in the notebook's ``<details>`` block, then the check cell: "correct".

Each notebook's own ``tests/test_exercises_NN.py`` adds at least one typical wrong answer per exercise, which
must be rejected ("no check may pass everything"). The structure tests below check the layout that the
student edition (``tools/student_edition.py``) relies on: nbgrader metadata on solution and check cells, a
check call that passes the learner's answer and nothing else, at least four exercises per notebook and at least
two that ask for code.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from helpers import exercises

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"exercises\.check\(\s*\"(\d\d\.\d+)\"\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")
ANY_CHECK = re.compile(r"exercises\.check\(")
TASK = re.compile(r"^\*\*Exercise (\d+)\.\*\*", re.MULTILINE)
PY_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def setup_cells(nb) -> list[str]:
    """The code cells before the first ``## `` section heading: set-up and imports."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and re.search(r"^## ", source(cell), flags=re.MULTILINE):
            break
        if cell["cell_type"] == "code":
            cells.append(source(cell))
    return cells


def python_of(cell_source: str) -> str:
    """IPython cell source (``%pip`` and friends) as plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def exercise_cells(nb) -> dict[str, dict]:
    """``{key: {"stub": src, "check": src, "answer": name, "solution": src or None}}`` in notebook order."""
    cells = nb["cells"]
    found = {}
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        lines = [ln for ln in source(cell).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        if not any(ANY_CHECK.search(ln) for ln in lines):
            continue
        match = CHECK_CALL.search(lines[-1]) if lines else None
        assert match and len(lines) == 1, (
            f"cell {i}: a check cell holds one line, exercises.check(\"NN.k\", answer), and nothing else "
            f"(no expected value, no other code): {source(cell)!r}")
        key, answer = match.groups()
        stub = next((j for j in range(i - 1, -1, -1) if cells[j]["cell_type"] == "code"), None)
        assert stub is not None and stub >= i - 2, f"cell {i}: the stub cell of {key} must come just before its check"
        grade_id = "ex" + key.replace(".", "_") + "_solution"
        solution = next((c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id),
                        None)
        found[key] = {"stub": source(cells[stub]), "check": source(cell), "answer": answer,
                      "solution": source(solution) if solution else None, "check_cell": cell}
    return found


def run_cells(namespace: dict, *sources: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        for src in sources:
            exec(compile(python_of(src), "<cell>", "exec"), namespace)  # noqa: S102 - the notebook's own code
    return buffer.getvalue()


CASES = []
for _path in NOTEBOOKS:
    _nb = load(_path)
    for _key, _cells in exercise_cells(_nb).items():
        CASES.append(pytest.param(_path, _key, id=f"{_path.name[:2]}-{_key}"))


@pytest.fixture(scope="module")
def namespaces():
    """One set-up namespace per notebook (its set-up and import cells run once)."""
    cache = {}

    def get(path: Path) -> dict:
        if path not in cache:
            namespace: dict = {"__name__": "__main__"}
            run_cells(namespace, *setup_cells(load(path)))
            cache[path] = namespace
        return dict(cache[path])

    return get


@pytest.mark.parametrize("path, key", CASES)
def test_untouched_stub_is_not_attempted_and_the_shown_solution_is_correct(path, key, namespaces):
    cells = exercise_cells(load(path))[key]
    namespace = namespaces(path)
    printed = run_cells(namespace, cells["stub"], cells["check"])
    result = exercises.last_result(key)
    assert result is not None and result.status == "not attempted", f"untouched stub of {key}: {printed}"
    assert cells["solution"] is not None, f"{key}: no solution cell with nbgrader grade_id ex..._solution"
    code = "\n".join(PY_BLOCK.findall(cells["solution"]))
    assert code.strip(), f"{key}: the solution holds no ```python block to run"
    printed = run_cells(namespaces(path), cells["stub"], code, cells["check"])
    result = exercises.last_result(key)
    assert result.status == "correct", f"the solution shown for {key} fails its own check: {printed}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_four_exercises_two_of_them_code(path):
    nb = load(path)
    number = path.name[:2]
    tasks = [int(m) for c in nb["cells"] if c["cell_type"] == "markdown" for m in TASK.findall(source(c))]
    assert len(tasks) >= 4, f"{path.name}: {len(tasks)} exercises (**Exercise k.**), at least 4 are needed"
    assert tasks == list(range(1, len(tasks) + 1)), f"{path.name}: exercises are numbered {tasks}"
    found = exercise_cells(nb)
    code = [k for k, c in found.items() if re.search(r"^def \w+\(", c["stub"], flags=re.MULTILINE)]
    assert len(code) >= 2, f"{path.name}: {len(code)} exercises ask for a function (def ... in the stub), need 2"
    assert all(k.startswith(number + ".") for k in found), f"{path.name}: keys {sorted(found)} name another notebook"
    assert sorted(found) == exercises.keys(number), (
        f"{path.name}: the notebook checks {sorted(found)}, helpers.exercises.nb{number} registers "
        f"{exercises.keys(number)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_and_check_cells_carry_nbgrader_metadata(path):
    nb = load(path)
    for key, cells in exercise_cells(nb).items():
        meta = cells["check_cell"].get("metadata", {}).get("nbgrader", {})
        assert meta.get("locked") is True and meta.get("solution") is False, (
            f"{path.name} {key}: the check cell needs nbgrader metadata locked=true, solution=false")
    solutions = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    for cell in solutions:
        meta = cell["metadata"]["nbgrader"]
        assert set(meta) <= {"schema_version", "grade", "locked", "solution", "grade_id", "points", "task"}, meta
        assert meta.get("schema_version") == 3 and meta.get("grade") is False and meta.get("locked") is False, meta
        assert re.fullmatch(r"[A-Za-z0-9_-]+", meta.get("grade_id", "")), meta
        text = source(cell).strip()
        assert cell["cell_type"] == "markdown" and text.startswith("<details>") and text.endswith("</details>"), (
            f"{path.name} {meta['grade_id']}: a solution is one collapsed <details> Markdown cell")
    assert not any("checks.check_exercise" in source(c) for c in nb["cells"]), (
        f"{path.name}: checks.check_exercise shows the expected value; use exercises.check")


@pytest.mark.parametrize("number", sorted({p.name[:2] for p in NOTEBOOKS}))
def test_each_exercise_has_a_wrong_answer_test(number):
    path = ROOT / "tests" / f"test_exercises_{number}.py"
    assert path.exists(), f"{path.name} must test a typical wrong answer for each exercise of notebook {number}"
    text = path.read_text(encoding="utf-8")
    missing = [k for k in exercises.keys(number) if f'"{k}"' not in text]
    assert not missing, f"{path.name} never names {missing}"
