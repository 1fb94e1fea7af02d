"""Maintainers' tool: refresh the notebooks' stored outputs, measure them, and write the README's table.

Usage (from the repository root, inside the course's virtual environment):

    python tools/notebooks.py refresh                 # re-execute every notebook in place, fresh kernel each
    python tools/notebooks.py refresh 03 04           # only the notebooks whose names start with 03 or 04
    python tools/notebooks.py bench                   # run each notebook, report wall time and peak memory
    python tools/notebooks.py bench --readme          # ... and write the measurements into README.md
    python tools/notebooks.py readme                  # rewrite README.md's learning-path table only

``refresh`` runs a notebook top to bottom in a new kernel with its folder as working directory, exactly as
"Restart kernel and run all" would, and writes it back with clean metadata (no widget state, no timings).
``bench`` runs an in-memory copy (the file is not touched), times it from kernel start to the last cell and
reads the kernel's peak resident memory; the numbers go to ``tools/benchmarks.json``, from which
``readme`` builds the learning-path table between the ``<!-- learning-path:start/end -->`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
BENCHMARKS = ROOT / "tools" / "benchmarks.json"
TIMEOUT = 600  # seconds per cell

KERNEL_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONHASHSEED": "0",
    "CHURN_DATA": "replica",  # stored outputs come from the synthetic replica, never from a user's real copy
}

PEAK_MEMORY_CELL = """\
import sys as _sys
try:
    import resource as _resource
    _peak = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    print("PEAK_MIB", _peak / (1024 * 1024 if _sys.platform == "darwin" else 1024))
except ImportError:
    import psutil as _psutil
    print("PEAK_MIB", _psutil.Process().memory_info().peak_wset / 2**20)
"""


def repository_url() -> str:
    """The repository address, read from the one place it is written: pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, flags=re.MULTILINE)
    if not match:
        raise SystemExit("pyproject.toml has no [project.urls] Repository entry")
    return match.group(1).rstrip("/")


def colab_url(notebook: Path) -> str:
    repo = repository_url().removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{notebook.name}"


def find_notebooks(prefixes) -> list[Path]:
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not prefixes:
        return every
    chosen = [nb for nb in every if any(nb.name.startswith(p) or nb.stem == p for p in prefixes)]
    missing = [p for p in prefixes if not any(nb.name.startswith(p) or nb.stem == p for nb in every)]
    if missing:
        raise SystemExit(f"no notebook matches {missing}; notebooks are: {[nb.name for nb in every]}")
    return chosen


def _execute(nb, cwd: Path):
    import nbclient

    os.environ.update(KERNEL_ENV)
    client = nbclient.NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        record_timing=False,
        store_widget_state=False,  # no widget state: GitHub cannot render it
    )
    client.execute()
    return nb


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _clean(nb) -> None:
    """Strip what a reader without a kernel cannot use: widget state and widget views (a stored view whose
    model is gone renders as an error; its text/plain fallback names the control instead), timings."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)
            for output in cell.outputs:
                output.get("data", {}).pop(WIDGET_VIEW, None)


def refresh(paths: list[Path]) -> None:
    import nbformat

    for path in paths:
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        _execute(nb, path.parent)
        _clean(nb)
        nbformat.write(nb, path)
        print(f"refreshed {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")


def bench(paths: list[Path]) -> dict:
    import nbformat

    results = json.loads(BENCHMARKS.read_text()) if BENCHMARKS.exists() else {}
    results.setdefault("notebooks", {})
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY_CELL))
        start = time.perf_counter()
        _execute(nb, path.parent)
        seconds = time.perf_counter() - start
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
        match = re.search(r"PEAK_MIB ([0-9.]+)", text)
        peak = round(float(match.group(1))) if match else None
        results["notebooks"][path.name] = {"seconds": round(seconds, 1), "peak_mib": peak}
        print(f"{path.name:<32} {seconds:6.1f} s   peak {peak} MiB", flush=True)
    results["machine"] = f"{os.cpu_count()} CPU cores, {platform.machine()}, no GPU, Python {platform.python_version()}"
    results["measured"] = time.strftime("%Y-%m-%d")
    BENCHMARKS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return results


def _title_and_purpose(path: Path) -> tuple[str, str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    lines = [] if first is None else [line.strip() for line in first.source.splitlines()]
    title = next((line.lstrip("# ").strip() for line in lines if line.startswith("# ")), path.stem)
    title = re.sub(r"^\d+\s*[·:.-]\s*", "", title)
    after = lines[lines.index(next(line for line in lines if line.startswith("# "))) + 1:] if title != path.stem else []
    purpose = next((line for line in after if line and not line.startswith(("[", "!", "<", "**", "|"))), "")
    return title, purpose


def readme_table() -> str:
    results = json.loads(BENCHMARKS.read_text()) if BENCHMARKS.exists() else {"notebooks": {}}
    rows = [
        "| # | Notebook | What you learn | Open | Run time | Peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for path in find_notebooks([]):
        title, purpose = _title_and_purpose(path)
        badge = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(path)})"
        measured = results["notebooks"].get(path.name)
        secs = f"{measured['seconds']:.0f} s" if measured else "not measured"
        peak = f"{measured['peak_mib']} MiB" if measured and measured.get("peak_mib") else "-"
        rows.append(f"| {path.name[:2]} | [{title}](notebooks/{path.name}) | {purpose} | {badge} | {secs} | {peak} |")
    note = (
        f"\nRun times are wall-clock seconds for \"Restart kernel and run all\", kernel start included, and peak "
        f"memory is the kernel's peak resident size, both measured by `python tools/notebooks.py bench --readme` "
        f"on {results.get('machine', 'this machine')} ({results.get('measured', 'date unknown')})."
    )
    return "\n".join(rows) + "\n" + note + "\n"


def write_readme() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- learning-path:start -->", "<!-- learning-path:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"README.md lacks the markers {start} and {end}")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{readme_table()}{end}{tail}", encoding="utf-8")
    print("README.md learning-path table written")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_refresh = sub.add_parser("refresh", help="re-execute notebooks in place, each in a fresh kernel")
    p_refresh.add_argument("notebooks", nargs="*", help="name prefixes such as 01 or 02_activations (default all)")
    p_bench = sub.add_parser("bench", help="measure each notebook's wall time and peak memory")
    p_bench.add_argument("notebooks", nargs="*", help="name prefixes (default all)")
    p_bench.add_argument("--readme", action="store_true", help="write the results into README.md")
    sub.add_parser("readme", help="rewrite README.md's learning-path table from tools/benchmarks.json")
    args = parser.parse_args(argv)

    if args.command == "refresh":
        refresh(find_notebooks(args.notebooks))
    elif args.command == "bench":
        bench(find_notebooks(args.notebooks))
        if args.readme:
            write_readme()
    else:
        write_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
