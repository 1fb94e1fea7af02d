"""Notebook hygiene: catches what nbval lets through.

nbval passes a notebook with no stored outputs silently (there is nothing to compare), so these tests fail
any notebook that was not run top to bottom in one fresh kernel, that stores an error, a TensorFlow start-up
banner or a progress bar, or whose Colab badge and install cell do not point at the repository. They read
the files only; nothing is executed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MIN_CHECKED_CELLS = 3

# Text that only TensorFlow's C++ start-up or a Keras progress bar would print.
NOISE = [
    ("TensorFlow start-up banner", re.compile(r"absl::InitializeLog|oneDNN custom operations|cuda_drivers|cudart_stub|"
                                             r"This TensorFlow binary is optimized|computation_placer")),
    ("Keras verbose=1 progress bar (use verbose=0 or 2)", re.compile("\u2501{5,}")),
]


def repository_url() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository\s*=\s*"(https://github\.com/[^"]+)"', text, flags=re.MULTILINE)
    assert match, "pyproject.toml must name the repository once, as [project.urls] Repository"
    return match.group(1).rstrip("/")


def colab_url(name: str) -> str:
    return (f"https://colab.research.google.com/github/{repository_url().removeprefix('https://github.com/')}"
            f"/blob/main/notebooks/{name}")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(source({"source": out["text"]}))
        for key, value in out.get("data", {}).items():
            if key.startswith("text/"):
                parts.append(source({"source": value}))
    return "\n".join(parts)


def test_there_are_notebooks_numbered_from_01_without_gaps():
    assert NOTEBOOKS, "notebooks/ holds no notebook"
    numbers = [int(p.name[:2]) for p in NOTEBOOKS if re.match(r"\d\d_[a-z0-9_]+\.ipynb$", p.name)]
    assert len(numbers) == len(NOTEBOOKS), f"names must look like 01_topic.ipynb: {[p.name for p in NOTEBOOKS]}"
    assert numbers == list(range(1, len(numbers) + 1)), f"numbering has gaps or repeats: {numbers}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebook:
    def test_kernel_is_python3_and_no_widget_state(self, path):
        nb = load(path)
        assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", "kernelspec must be python3"
        assert "widgets" not in nb["metadata"], (
            "notebook metadata stores widget state, which GitHub cannot render: refresh with tools/notebooks.py"
        )
        views = [i for i, cell in enumerate(code_cells(nb)) for output in cell.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
        assert not views, (
            f"code cells {views} store a widget view whose model is not saved (it renders as an error without a "
            "kernel): refresh with tools/notebooks.py, which keeps only the text fallback"
        )

    def test_run_top_to_bottom_in_one_fresh_kernel(self, path):
        counts = [c.get("execution_count") for c in code_cells(load(path))]
        assert counts == list(range(1, len(counts) + 1)), (
            f"execution counts are {counts}, not 1..{len(counts)}: re-run with `python tools/notebooks.py "
            f"refresh {path.name[:2]}`"
        )

    def test_no_stored_errors(self, path):
        for i, cell in enumerate(code_cells(load(path))):
            if "NBVAL_RAISES_EXCEPTION" in source(cell):
                continue
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            assert not errors, f"code cell {i} stores an error: {errors[0].get('ename')}: {errors[0].get('evalue')}"

    def test_checked_cells_have_outputs(self, path):
        checked = [c for c in code_cells(load(path)) if "NBVAL_CHECK_OUTPUT" in source(c)]
        assert len(checked) >= MIN_CHECKED_CELLS, (
            f"only {len(checked)} cells are marked NBVAL_CHECK_OUTPUT; at least {MIN_CHECKED_CELLS} are required"
        )
        for cell in checked:
            assert cell.get("outputs"), f"a NBVAL_CHECK_OUTPUT cell has no stored output:\n{source(cell)[:200]}"

    def test_no_banner_or_progress_bar_in_outputs(self, path):
        for cell in code_cells(load(path)):
            text = outputs_text(cell)
            for what, pattern in NOISE:
                assert not pattern.search(text), f"{what} in the output of:\n{source(cell)[:200]}"

    def test_colab_badge_and_guarded_install_use_the_repository(self, path):
        nb = load(path)
        first_md = next(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert colab_url(path.name) in first_md, f"the first markdown cell must hold the badge {colab_url(path.name)}"
        setup = code_cells(nb)[0]
        src = source(setup)
        assert '"google.colab" in sys.modules' in src, "the first code cell must guard the Colab install"
        assert f"git+{repository_url()}" in src, f"the Colab install must use git+{repository_url()}"
        assert "helpers.setup(" in src, "the first code cell must call helpers.setup()"
        for forbidden in ("tensorflow", "keras", "pandas"):
            install_lines = [line for line in src.splitlines() if "pip install" in line]
            assert all(forbidden not in line for line in install_lines), (
                f"the Colab install must not reinstall {forbidden}"
            )

    def test_ends_with_summary_and_link_to_the_next_notebook(self, path):
        nb = load(path)
        text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert re.search(r"^#+ .*Summary", text, flags=re.MULTILINE), "no Summary section"
        assert re.search(r"^#+ .*Exercises", text, flags=re.MULTILINE), "no Exercises section"
        assert "<details>" in text, "exercises need a hidden solution in a <details> block"
        index = NOTEBOOKS.index(path)
        if index + 1 < len(NOTEBOOKS):
            nxt = NOTEBOOKS[index + 1].name
            assert f"({nxt})" in text, f"no link to the next notebook, {nxt}"


def test_readme_lists_every_notebook_with_its_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme, f"README does not link {path.name}"
        assert colab_url(path.name) in readme, f"README lacks the Colab badge of {path.name}"


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, flags=re.DOTALL)
    assert match, "README must hold the test command in a code block right after <!-- test-command -->"
    command = match.group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci, f".ci/run must run the README's test command verbatim:\n{command}"
