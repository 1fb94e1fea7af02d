"""Instructors' tool: write the student edition of the course, every notebook without its exercise solutions.

Usage (from the repository root, inside the course's virtual environment):

    python tools/student_edition.py                      # writes build/student/01_neuron.ipynb ... 08_...
    python tools/student_edition.py --out handout/      # another folder
    python tools/student_edition.py 05 06                # only notebooks 05 and 06

Each notebook's nbgrader metadata is first checked against nbgrader's own schema (version 3), with every
``grade_id`` unique. (nbgrader's ``CheckCellMetadata`` would also demand that a Markdown solution cell be a
manually graded one, ``grade: true`` with points; the course's solution cells are not graded, so that one rule
is not applied.) Then it goes through nbgrader's own preprocessors, run by nbconvert (no nbgrader course or
database needed), in the order nbgrader's "generate assignment" step runs them:

- ``LockCells``: the check cells (``locked: true``) can be neither edited nor deleted;
- ``ClearSolutions``: every solution cell (``solution: true``; in this course one collapsed Markdown
  ``<details>`` block per exercise) is replaced by the line in :data:`TEXT_STUB`; a code solution between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` would become ``raise NotImplementedError()``;
- ``ClearOutput``: no stored output and no execution count is left (a learner runs every cell).

Everything else is kept as it is: the exercise tasks, their hints, the stubs the learner fills in and the check
cells. The code cells are exactly those of the instructor's notebook, so the suite's nbval run of the committed
notebooks runs the student edition's code too. The edition holds only the notebooks: they import ``helpers``,
which the learner installs (the first cell does it in Colab; ``pip install -r requirements.txt`` locally), and
notebook 08 regenerates its data in memory when ``data/`` is absent. The output folder is not committed (build/
is git-ignored); hand out its ``.ipynb`` files (in a zip, a learning platform, or nbgrader's own exchange).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "student"
TEXT_STUB = "*The solution is in the instructor's edition.*"
NOTEBOOK_NAME = re.compile(r"^\d\d_\w+\.ipynb$")
SOLUTION_BLOCK = re.compile(r"<summary>\s*(?:\*\*)?Solution", re.IGNORECASE)


def find_notebooks(prefixes=()) -> list[Path]:
    every = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))
    if not prefixes:
        return every
    missing = [p for p in prefixes if not any(nb.name.startswith(p) for nb in every)]
    if missing:
        raise SystemExit(f"no notebook matches {missing}; notebooks are: {[nb.name for nb in every]}")
    return [nb for nb in every if any(nb.name.startswith(p) for p in prefixes)]


def exporter():
    """An nbconvert notebook exporter that runs nbgrader's preprocessors, and nothing else."""
    from nbconvert.exporters import NotebookExporter
    from nbgrader.preprocessors import ClearOutput, ClearSolutions, LockCells
    from traitlets.config import Config

    config = Config()
    config.ClearSolutions.text_stub = TEXT_STUB
    config.ClearSolutions.enforce_metadata = True  # a solution region outside a solution cell is an error
    config.LockCells.lock_solution_cells = True
    config.LockCells.lock_grade_cells = True
    config.LockCells.lock_readonly_cells = True  # our check cells: locked, not graded
    config.LockCells.lock_all_cells = False
    result = NotebookExporter(config=config)
    for preprocessor in (LockCells, ClearSolutions, ClearOutput):
        result.register_preprocessor(preprocessor(config=config), enabled=True)
    return result


def student_notebook(path: Path, export=None) -> str:
    """The student edition of one notebook, as the text of an ``.ipynb`` file."""
    import nbformat

    export = export or exporter()
    nb = nbformat.read(path, as_version=4)
    validate_metadata(nb, path.name)
    body, _ = export.from_notebook_node(nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
    check(nb_source=nb, nb_student=nbformat.reads(body, as_version=4), name=path.name)
    return body


def validate_metadata(nb, name: str) -> None:
    """Every cell's ``metadata.nbgrader`` against nbgrader's JSON schema (version 3); ``grade_id`` unique."""
    import jsonschema
    from nbgrader.nbgraderformat import MetadataValidator

    schema, seen = MetadataValidator().schema, {}
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        try:
            jsonschema.validate(meta, schema)
        except jsonschema.ValidationError as exc:
            raise RuntimeError(f"{name} cell {i}: invalid nbgrader metadata {dict(meta)}: {exc.message}") from None
        if meta.get("schema_version") != 3:
            raise RuntimeError(f"{name} cell {i}: nbgrader schema_version must be 3, got {meta.get('schema_version')}")
        if meta.get("grade") or meta.get("solution") or meta.get("locked"):
            grade_id = meta.get("grade_id", "")
            if not grade_id:
                raise RuntimeError(f"{name} cell {i}: an nbgrader cell needs a grade_id")
            if grade_id in seen:
                raise RuntimeError(f"{name}: grade_id {grade_id!r} is used by cells {seen[grade_id]} and {i}")
            seen[grade_id] = i


def check(nb_source, nb_student, name: str) -> None:
    """Refuse to write an edition that kept a solution or an output (a last guard; the tests prove more)."""
    problems = []
    for i, cell in enumerate(nb_student.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown" and cell.source != TEXT_STUB:
            problems.append(f"cell {i} ({meta.get('grade_id')}) still holds its solution")
        if cell.cell_type == "markdown" and not meta.get("solution") and SOLUTION_BLOCK.search(cell.source):
            problems.append(f"cell {i} is a <details> Solution block without nbgrader metadata solution=true")
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            problems.append(f"cell {i} still has a stored output or execution count")
    if len(nb_student.cells) != len(nb_source.cells):
        problems.append(f"{len(nb_source.cells)} cells became {len(nb_student.cells)}")
    if problems:
        raise RuntimeError(f"{name}: the student edition is not clean: " + "; ".join(problems))


def build(out: Path = DEFAULT_OUT, prefixes=()) -> list[Path]:
    """Write the student edition of the chosen notebooks (default: all) into ``out``; return the files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    export = exporter()
    written = []
    for path in find_notebooks(prefixes):
        target = out / path.name
        target.write_text(student_notebook(path, export), encoding="utf-8")
        written.append(target)
    if not prefixes:  # a whole edition: drop notebooks of an older one that no longer exist
        for stale in out.glob("*.ipynb"):
            if NOTEBOOK_NAME.match(stale.name) and stale not in written:
                stale.unlink()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="name prefixes such as 05 or 06_optimizers (default all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder to write into (default {DEFAULT_OUT.relative_to(ROOT)}/)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out, args.notebooks)
    except RuntimeError as exc:  # a notebook that would hand out a solution, or invalid nbgrader metadata
        print(f"student_edition: nothing more written: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} student notebook(s) in {args.out}: solutions and outputs removed, check cells locked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
