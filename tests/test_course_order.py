"""The course teaches in order, and its links between notebooks work where learners open them.

(a) Order of ideas (issue 15, item 1): a key term is not used in a notebook's Markdown prose before the notebook
    that introduces it, except on a line that previews where it is taught: the line names that notebook (or a
    later one), as "notebook 05", "notebooks 03-06" or a link to ``05_...ipynb``. Words count whole,
    case-insensitive, plurals included; code spans, fenced code, link targets, HTML tags and URLs are not prose.
(b) Links between notebooks (issue 13, item 8): a relative link such as ``(06_optimizers.ipynb)`` leads nowhere
    in Colab, so every Markdown link to another notebook has, in the same cell, that notebook's Colab address
    (built from pyproject.toml's ``[project.urls] Repository``).
(c) Each notebook's "**Before this:**" line names only earlier notebooks.

Run as a script (``python tests/test_course_order.py``) it prints every violation of every notebook.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# term: (the notebook that introduces it, the pattern of the word and its plural)
TERMS = {
    "gradient": (2, r"gradients?"),
    "loss": (3, r"loss(?:es)?"),
    "cross-entropy": (3, r"cross[- ]entrop(?:y|ies)"),
    "backpropagation": (4, r"back[- ]?propagation|backprop"),
    "initialisation": (4, r"initiali[sz]ations?|Glorot|Xavier"),
    "learning rate": (5, r"learning[- ]rates?"),
    "gradient descent": (5, r"gradient[- ]descent"),
    "epoch": (5, r"epochs?"),
    "optimizer": (6, r"optimi[sz]ers?"),
    "Adam": (6, r"Adam(?:W|ax)?"),
    "dropout": (7, r"drop-?outs?"),
}
TERM_PATTERNS = {term: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for term, (_, pattern) in TERMS.items()}

FENCED = re.compile(r"^\s*(```|~~~).*?^\s*\1[^\n]*$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"https?://\S+")
NOTEBOOK_FILE = re.compile(r"(?<![\w/])(\d\d)_\w+\.ipynb")
NAMED = re.compile(r"\bnotebooks?\s+(\d\d(?:\s*(?:-|–|—|to|and|or|,|&)\s*\d\d)*)", re.IGNORECASE)
RELATIVE_LINK = re.compile(r"\]\(\s*(?:\./)?(\d\d_\w+\.ipynb)(?:#[^)\s]*)?\s*\)|href=[\"'](?:\./)?(\d\d_\w+\.ipynb)")
BEFORE = re.compile(r"\*\*Before this:?\*\*:?(.*)")


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def markdown_cells(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, source(c)) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown"]


def number(path: Path) -> int:
    return int(path.name[:2])


def named_notebooks(line: str) -> set[int]:
    """The notebooks a line names: "notebook 05", "notebooks 03-06", "notebooks 03 and 04", ``05_x.ipynb``."""
    found = {int(n) for n in NOTEBOOK_FILE.findall(line)}
    for group in NAMED.findall(line):
        numbers = [int(n) for n in re.findall(r"\d\d", group)]
        found.update(numbers)
        for a, _sep, b in re.findall(r"(\d\d)\s*(-|–|—|to)\s*(\d\d)", group):
            found.update(range(int(a), int(b) + 1))
    return found


def prose(line: str) -> str:
    """A Markdown line without what is not prose: code spans, link targets, HTML tags, URLs."""
    for pattern in (CODE_SPAN, LINK_TARGET, HTML_TAG, URL):
        line = pattern.sub(" ", line)
    return line


def order_violations(path: Path) -> list[str]:
    here, found = number(path), []
    for i, text in markdown_cells(path):
        for line in FENCED.sub("\n", text).splitlines():
            words = prose(line)
            for term, (intro, _) in TERMS.items():
                if intro <= here:
                    continue
                match = TERM_PATTERNS[term].search(words)
                if match is None:
                    continue
                if any(n >= intro for n in named_notebooks(line)):  # previews where the term is taught
                    continue
                start = max(match.start() - 50, 0)
                found.append(f"cell {i}: {term!r} (introduced in {intro:02d}) in "
                             f"\"...{words[start:match.end() + 50].strip()}...\"")
    return found


def repository_url() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, flags=re.MULTILINE)
    assert match, "pyproject.toml must name the repository once, as [project.urls] Repository"
    return match.group(1).rstrip("/")


def colab_url(name: str) -> str:
    repo = repository_url().removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{name}"


def link_violations(path: Path) -> list[str]:
    found = []
    for i, text in markdown_cells(path):
        targets = {a or b for a, b in RELATIVE_LINK.findall(FENCED.sub("\n", text))}
        for name in sorted(targets - {path.name}):
            if colab_url(name) not in text:
                found.append(f"cell {i}: a link to {name} without its Colab link ({colab_url(name)})")
    return found


def before_violations(path: Path) -> list[str]:
    here = number(path)
    lines = [(i, m.group(1)) for i, text in markdown_cells(path) for m in map(BEFORE.search, text.splitlines()) if m]
    if not lines:
        return ['no "**Before this:**" line (what a learner needs first)']
    found = []
    for i, rest in lines:
        field = re.split(r"\s·\s\*\*", rest)[0]  # up to the next field ("· **Time:**")
        later = sorted(n for n in named_notebooks(field) if n >= here)
        if later:
            found.append(f"cell {i}: \"**Before this:**\" names notebook(s) {[f'{n:02d}' for n in later]}, "
                         f"not earlier than {here:02d}: {field.strip()[:120]!r}")
    return found


def fail_with(violations: list[str], path: Path, what: str) -> None:
    if violations:
        pytest.fail(f"{path.name}: {len(violations)} {what}:\n  " + "\n  ".join(violations), pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_key_terms_are_not_used_before_the_notebook_that_introduces_them(path):
    fail_with(order_violations(path), path, "term(s) used before their notebook, on a line that does not preview it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_link_to_another_notebook_comes_with_its_colab_link(path):
    fail_with(link_violations(path), path, "relative notebook link(s) that lead nowhere in Colab")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_before_this_names_only_earlier_notebooks(path):
    fail_with(before_violations(path), path, "problem(s) with the prerequisites line")


# ---------------------------------------------------------------------------------------------------------
# The rules themselves, on made-up lines
# ---------------------------------------------------------------------------------------------------------
def test_the_rules_on_examples(tmp_path):
    def notebook(name, *cells):
        path = tmp_path / name
        path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": c} for c in cells],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        return path

    nb = notebook(
        "02_x.ipynb",
        "**Before this:** [01 · A](01_a.ipynb) · **Time:** 5 minutes",
        "The gradient of a loss.\nThe losses shrink (notebook 03 shows how).\n"
        "`learning_rate` is code, and so is\n```python\nepochs = 3\n```\n[Adam](06_optimizers.ipynb) is later.\n"
        "Dropout comes in notebooks 03-06, which is too early.\nGradient descent, notebooks 05 and 06.\n"
        "We initialise the weights; Glorot initialisation waits.",
    )
    found = order_violations(nb)
    assert [re.search(r"'([^']+)' \(introduced", v).group(1) for v in found] == ["loss", "dropout", "initialisation"]
    assert "Dropout comes in notebooks 03-06" in found[1] and "Glorot initialisation" in found[2]
    assert named_notebooks("see notebooks 03-06 and [x](08_y.ipynb)") == {3, 4, 5, 6, 8}

    repo_colab = colab_url("03_c.ipynb")
    nb = notebook("02_x.ipynb", "[03](03_c.ipynb) and [04](./04_d.ipynb#top)",
                  f"[03](03_c.ipynb) ([open in Colab]({repo_colab}))", "[02](02_x.ipynb) itself")
    assert [v.split(":")[0] for v in link_violations(nb)] == ["cell 0", "cell 0"]

    nb = notebook("04_x.ipynb", "**Before this:** notebooks 02-04 · **Time:** notebook 07")
    assert "['04']" in before_violations(nb)[0]
    assert before_violations(notebook("04_x.ipynb", "**Before this:** [03](03_c.ipynb), notebook 02")) == []
    assert before_violations(notebook("04_x.ipynb", "no such line")) == [
        'no "**Before this:**" line (what a learner needs first)']


if __name__ == "__main__":
    for path in NOTEBOOKS:
        for title, check in (("order of ideas", order_violations), ("links", link_violations),
                             ("before this", before_violations)):
            for violation in check(path):
                print(f"{path.name} [{title}] {violation}")
    sys.exit(0)
