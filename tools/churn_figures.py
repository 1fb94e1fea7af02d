"""Maintainers' tool: the figures of data/README.md, taken from what notebook 08 printed.

Usage (from the repository root, inside the course's virtual environment):

    python tools/churn_figures.py                  # the figures as the committed notebook 08 printed them
    python tools/churn_figures.py --run            # run notebook 08 afresh (in memory) and print its figures
    CHURN_DATA=/path/to/Churn_Modelling.csv python tools/churn_figures.py --run   # the same on a real copy
    python tools/churn_figures.py --readme         # write the figures into data/README.md (between its markers)

Every model figure that data/README.md quotes comes from here, and so from the notebook's own printed output:
``tests/test_churn.py`` checks that the README's section equals what this tool makes of the committed notebook.
``--run`` executes a copy of the notebook in a fresh kernel (the file is not touched); without ``CHURN_DATA`` it
uses the replica, as ``tools/notebooks.py`` does.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_churn_model.ipynb"
README = ROOT / "data" / "README.md"
START, END = "<!-- churn-figures:start -->", "<!-- churn-figures:end -->"


def _text(nb) -> list[str]:
    """The printed text of every code cell, in order (streams and text/plain results)."""
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
            elif "text/plain" in out.get("data", {}) and "image/png" not in out["data"]:
                value = out["data"]["text/plain"]
                parts.append("".join(value) if isinstance(value, list) else value)
        texts.append("\n".join(parts))
    return texts


def _find(texts, pattern: str, what: str) -> re.Match:
    for text in texts:
        match = re.search(pattern, text, flags=re.MULTILINE)
        if match:
            return match
    raise SystemExit(f"notebook 08 printed no line for {what} (pattern {pattern!r}): refresh it, or update this tool")


def figures(nb) -> str:
    """The Markdown section of data/README.md, built from notebook 08's printed output."""
    t = _text(nb)
    source = _find(t, r"^Data: (.+?);", "the data source").group(1)
    churn = _find(t, r"^churn rate: (\S+)", "the churn rate").group(1)
    lr12 = _find(t, r"logistic regression, 12 columns: ROC AUC (\S+ \+- \S+)", "logistic regression, 12 columns")
    lr18 = _find(t, r"^\s+logistic regression: ROC AUC (\S+ \+- \S+)", "logistic regression, 18 columns")
    gb = _find(t, r"^gradient boosting \((\d+ leaves, \d+ trees)\): ROC AUC (\S+ \+- \S+) over", "gradient boosting")
    nets = [m.group(1, 2) for text in t for m in re.finditer(
        r"stopped after \d+ epochs; kept epoch (\d+); ROC AUC (\S+ \+- \S+) over 5 folds", text)]
    if len(nets) < 2:
        raise SystemExit("notebook 08 printed fewer than two network cross-validation lines")
    board = _find(t, r"CV ROC AUC.*test ROC AUC", "the test scoreboard").string
    test = {}
    for name in ["logistic regression", "gradient boosting", "classic network", "our network",
                 "ceiling (generator)"]:
        pattern = rf"^{re.escape(name)}\s+(?:\S+ \+- \S+\s+)?(\S+)\s+(\[\S+, \S+\])\s*$"
        row = re.search(pattern, board, flags=re.MULTILINE)
        if row:
            test[name] = f"{row.group(1)} {row.group(2)}"
    printed = _find(t, r"^our network - logistic regression\s*: \S+, 95 % interval", "the verdicts").string
    verdicts = re.findall(r"^our network - (.+?)\s*: (\S+), 95 % interval (\[\S+, \S+\]): (.+)$", printed,
                          flags=re.MULTILINE)
    lines = [
        f"Printed by notebook 08 on {source} (`python tools/churn_figures.py`; ROC AUC, cross-validated as mean +- "
        f"sd over folds, on the test rows with a 95 % paired-bootstrap interval):",
        "",
        f"- churn rate {churn}",
        f"- logistic regression, cross-validated over 10 folds: {lr12.group(1)} on the 12 plain columns, "
        f"{lr18.group(1)} with the 6 engineered ones",
        f"- gradient boosting ({gb.group(1)}, chosen by cross-validation): {gb.group(2)} over 10 folds",
        f"- the classic 6-6-1 network (Adamax, batches of 10, epoch {nets[0][0]} kept): {nets[0][1]} over 5 folds; "
        f"our network (epoch {nets[1][0]} kept): {nets[1][1]} over 5 folds",
        "- test rows: " + "; ".join(f"{name} {value}" for name, value in test.items()),
        "- our network minus each baseline on the test rows: "
        + "; ".join(f"{base} {diff} {interval} ({verdict})" for base, diff, interval, verdict in verdicts),
    ]
    return "\n".join(lines) + "\n"


def run_notebook():
    """Execute a copy of notebook 08 in a fresh kernel (CHURN_DATA as the caller set it, else the replica)."""
    import nbclient
    import nbformat

    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONHASHSEED": "0"}
    os.environ.update(env)
    os.environ.setdefault("CHURN_DATA", "replica")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"data/README.md lacks the markers {START} and {END}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{section}{END}{tail}", encoding="utf-8")
    print("data/README.md: figures written")


def readme_section() -> str:
    """The section between the markers of data/README.md, as it stands."""
    text = README.read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].lstrip("\n")


def main(argv=None) -> int:
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", action="store_true", help="execute notebook 08 afresh instead of reading it")
    parser.add_argument("--readme", action="store_true", help="write the figures into data/README.md")
    args = parser.parse_args(argv)
    nb = run_notebook() if args.run else json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    section = figures(nb)
    print(section, end="")
    if args.readme:
        if args.run and os.environ.get("CHURN_DATA", "replica") != "replica":
            raise SystemExit("--readme writes the replica's figures only: run it without CHURN_DATA")
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
