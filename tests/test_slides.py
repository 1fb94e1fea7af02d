"""Slides (issue 12): every notebook carries valid slide metadata and exports to a reveal.js deck that opens offline.

The decks are built once per test session (a module-scoped fixture exporting every notebook into a temporary
folder with ``tools/slides.py``), then read as HTML: nothing runs in a browser here (docs/INSTRUCTORS.md says how
the decks were checked in one). ``SLIDES_NOTEBOOKS=/some/folder`` points the tests at another copy of the
notebooks (for example one just filled by ``tools/slides.py fill --dir``).
"""

from __future__ import annotations

import copy
import difflib
import importlib.util
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("course_slides", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slides)

NOTEBOOK_DIR = Path(os.environ.get("SLIDES_NOTEBOOKS", ROOT / "notebooks"))
NOTEBOOKS = slides.find_notebooks([], NOTEBOOK_DIR)
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, ftp://, //host/...
LOADING_ATTRIBUTES = {"src", "href", "data", "poster", "srcset", "background", "xlink:href"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- slide metadata on the notebooks -------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestSlideMetadata:
    def test_every_cell_has_a_valid_slide_type(self, path):
        missing, invalid = [], []
        for index, cell in enumerate(load(path)["cells"]):
            kind = slides.slide_type(cell)
            if kind is None:
                missing.append(index)
            elif kind not in slides.VALID_SLIDE_TYPES:
                invalid.append((index, kind))
        assert not missing, (
            f"cells {missing} have no metadata.slideshow.slide_type: set one (docs/INSTRUCTORS.md, 'Slide types') or "
            f"run `python tools/slides.py fill {path.name[:2]}`"
        )
        assert not invalid, f"invalid slide types {invalid}; valid are {slides.VALID_SLIDE_TYPES}"

    def test_title_and_every_section_heading_start_a_slide(self, path):
        cells = load(path)["cells"]
        assert slides.is_title(cells[0]) and slides.slide_type(cells[0]) == "slide", (
            "the first cell must be the '# NN · Title' cell with slide type 'slide'"
        )
        wrong = [(i, slides.first_line(c), slides.slide_type(c)) for i, c in enumerate(cells)
                 if slides.is_section_heading(c) and slides.slide_type(c) != "slide"]
        assert not wrong, f"section headings (cell, heading, type) that do not start a slide: {wrong}"

    def test_no_section_heading_is_buried_inside_a_cell(self, path):
        buried = [(i, heading) for i, c in enumerate(load(path)["cells"]) for heading in slides.buried_headings(c)]
        assert not buried, (
            f"these `## ` headings are not the first line of their Markdown cell, so they start no slide: {buried}; "
            f"split the cell before each (`python tools/slides.py fill --split {path.name[:2]}` does)"
        )


# --- the decks --------------------------------------------------------------------------------------------
class Deck(HTMLParser):
    """One pass over a deck's HTML (no tree: the decks are large): its slides, tags, inline scripts and styles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.styles = [], [], []
        self.horizontal, self.leaves, self.notes = 0, [], 0
        self._sections, self._raw, self._in_notes = [], None, 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attrs))
        if tag == "section":
            if self._sections:
                self._sections[-1]["children"] += 1
            else:
                self.horizontal += 1
            self._sections.append({"children": 0, "text": False, "media": False})
        elif tag in ("img", "svg", "table") and self._sections:
            self._sections[-1]["media"] = True
        elif tag == "aside" and "notes" in attrs.get("class", "").split():
            self.notes += 1
            self._in_notes += 1
        elif tag in ("script", "style") and "src" not in attrs:
            self._raw = (tag, [])

    def handle_endtag(self, tag):
        if tag == "section" and self._sections:
            node = self._sections.pop()
            if not node["children"]:
                self.leaves.append(node)
        elif tag == "aside" and self._in_notes:
            self._in_notes -= 1
        elif tag in ("script", "style") and self._raw and self._raw[0] == tag:
            (self.scripts if tag == "script" else self.styles).append("".join(self._raw[1]))
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self._raw[1].append(data)
        elif self._sections and not self._in_notes and data.strip():
            self._sections[-1]["text"] = True


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Every notebook exported once into one folder; {notebook name: (deck path, scanned deck)}."""
    out = tmp_path_factory.mktemp("slides")
    try:
        written = slides.export(NOTEBOOKS, out, quiet=True)
    except SystemExit as error:  # a missing package: say which
        pytest.fail(str(error))
    return {nb.name: (deck, Deck(deck.read_text(encoding="utf-8"))) for nb, deck in zip(NOTEBOOKS, written)}


def local_target(deck: Path, url: str) -> Path:
    return deck.parent / unquote(urlsplit(url).path)


def css_urls(text: str) -> list[str]:
    found = re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", text)
    found += re.findall(r"""@import\s+['"]([^'"]+)['"]""", text)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestDeck:
    def test_export_writes_a_deck_whose_local_files_exist(self, decks, path):
        deck, html = decks[path.name]
        assert deck.name == f"{path.stem}.slides.html" and deck.stat().st_size > 10_000
        missing = []
        for tag, attrs in html.tags:
            url = (attrs.get("src") or attrs.get("href") or "") if tag in ("script", "link", "img", "a") else ""
            if not url or url.startswith(("data:", "#", "mailto:")) or REMOTE.match(url):
                continue
            if not local_target(deck, url).is_file():
                missing.append(url)
        assert not missing, f"the deck refers to files that are not next to it: {missing}"
        loaded = [attrs["src"] for tag, attrs in html.tags if tag == "script" and attrs.get("src")]
        assert any(u.endswith("/dist/reveal.js") for u in loaded), f"reveal.js is not loaded: {loaded}"
        assert any("MathJax.js" in u for u in loaded), f"MathJax is not loaded: {loaded}"

    def test_number_of_slides_follows_the_sections(self, decks, path):
        _, html = decks[path.name]
        cells = load(path)["cells"]
        sections = sum(slides.is_section_heading(c) for c in cells)
        shown = sum(slides.slide_type(c) not in ("skip", "notes") for c in cells)
        notes = sum(slides.slide_type(c) == "notes" for c in cells)
        assert sections + 1 <= html.horizontal, (
            f"{html.horizontal} slides for {sections} `## ` sections: the title and every section need their own"
        )
        assert html.horizontal <= len(html.leaves) <= shown, (
            f"{len(html.leaves)} slides and sub-slides for {shown} shown cells: at most one slide per shown cell"
        )
        assert html.notes == notes, "every `notes` cell must become a speaker note"

    def test_no_slide_is_empty(self, decks, path):
        _, html = decks[path.name]
        empty = [number for number, leaf in enumerate(html.leaves, start=1) if not (leaf["text"] or leaf["media"])]
        assert not empty, f"slides {empty} (counting sub-slides, from 1, in order) show nothing"

    def test_nothing_is_loaded_from_the_network(self, decks, path):
        deck, html = decks[path.name]
        remote = []
        for tag, attrs in html.tags:
            if tag == "a":
                continue  # a link the viewer may follow, not something the page loads
            for attribute, value in attrs.items():
                if attribute.lower() in LOADING_ATTRIBUTES and REMOTE.match(value):
                    remote.append(f"<{tag} {attribute}={value[:80]}>")
        for script in html.scripts:
            for url in re.findall(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'"]*""", script):
                remote.append(f"inline script: {url[:80]}")
        for text in html.styles:
            remote += [f"inline style: {url[:80]}" for url in css_urls(text) if REMOTE.match(url)]
        pending = [local_target(deck, attrs["href"]) for tag, attrs in html.tags
                   if tag == "link" and attrs.get("href") and not REMOTE.match(attrs["href"])]
        seen = set()
        while pending:  # linked style sheets and what they @import, followed through the local files
            css = pending.pop()
            if css in seen or not css.is_file():
                continue
            seen.add(css)
            for url in css_urls(css.read_text(encoding="utf-8", errors="replace")):
                if REMOTE.match(url):
                    remote.append(f"{css.name}: {url[:80]}")
                elif urlsplit(url).path.endswith(".css"):
                    pending.append(css.parent / unquote(urlsplit(url).path))
        assert not remote, f"the deck would load from the network: {remote}"


# --- the fill rules on a made-up notebook ------------------------------------------------------------------
def _md(text, **slideshow):
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    if slideshow:
        cell["metadata"]["slideshow"] = slideshow
    return cell


def _code(text, lines_out=0, **slideshow):
    outputs = [{"output_type": "stream", "name": "stdout", "text": "x\n" * lines_out}] if lines_out else []
    cell = {"cell_type": "code", "metadata": {}, "source": text, "outputs": outputs, "execution_count": 1}
    if slideshow:
        cell["metadata"]["slideshow"] = slideshow
    return cell


def test_fill_rules():
    cells = [
        _md("# 09 · Title\nWhat it is about."),
        _code("import sys"),
        _code("from helpers import plots"),
        _md("## 1. First section\nText.", slide_type="-"),  # a section heading is always a slide
        _code("print(1)", lines_out=3),
        _code("print(2)", lines_out=40),  # too tall to share the slide
        _md("A paragraph set by hand.", slide_type="fragment"),
        _md("### A sub-heading"),
        _md("Speaker cue.", slide_type="notes"),
        _md("## Exercises"),
        _md("**Exercise 1.** Write `f`."),
        _code("def f(x):\n    ..."),
        _code("# NBVAL_CHECK_OUTPUT\nexercises.check('09.1', f)", lines_out=1),
        _md("<details><summary>Solution</summary>\n\nIt is this.\n</details>"),
        _md("## Appendix: verified"),
        _code("checks.table()", lines_out=5),
    ]
    nb = {"cells": copy.deepcopy(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    report = slides.fill_notebook(nb)
    got = [slides.slide_type(c) for c in nb["cells"]]
    assert got == ["slide", "skip", "skip", "slide", "-", "subslide", "fragment", "subslide", "notes",
                   "slide", "subslide", "-", "-", "skip", "slide", "skip"]
    assert report["fixed"] == 1 and report["set"] == len(cells) - 3
    for before, after in zip(cells, nb["cells"]):  # only metadata.slideshow changed
        after = copy.deepcopy(after)
        if "slideshow" not in before["metadata"]:
            after["metadata"].pop("slideshow")
        else:
            after["metadata"]["slideshow"]["slide_type"] = before["metadata"]["slideshow"]["slide_type"]
        assert after == before


def test_fill_changes_nothing_but_slide_metadata_in_the_file(tmp_path):
    import nbformat

    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("slideshow", None)
    original, path = tmp_path / "before.ipynb", tmp_path / NOTEBOOKS[0].name
    nbformat.write(nb, original)
    path.write_bytes(original.read_bytes())
    slides.fill([path])
    before, after = load(original), load(path)
    for cell in after["cells"]:
        assert slides.slide_type(cell) in slides.VALID_SLIDE_TYPES
        cell["metadata"].pop("slideshow")
    assert before == after
    # the file keeps nbformat's layout (one-space indent), so that `git diff` shows only the metadata lines
    diff = difflib.unified_diff(original.read_text(encoding="utf-8").splitlines(),
                                path.read_text(encoding="utf-8").splitlines(), lineterm="", n=0)
    changed = [line[1:] for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    metadata_line = re.compile(r'\s*("metadata": \{\},?|"metadata": \{|"slideshow": \{|"slide_type": "[^"]*"|\},?)')
    assert changed and all(metadata_line.fullmatch(line) for line in changed), changed[:10]


def test_split_cuts_before_buried_headings_only():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Closing words.\n\n## 2. Next\nIts text.\n\n## 3. Then\nMore."),
                nbformat.v4.new_markdown_cell("## 4. Fine\nText.")]
    assert slides.split_buried_headings(nb) == 2
    assert [c.source for c in nb.cells] == ["Closing words.", "## 2. Next\nIts text.", "## 3. Then\nMore.",
                                            "## 4. Fine\nText."]
    assert len({c.id for c in nb.cells}) == 4


def test_heights_follow_the_calibration():
    # one slide holds a 10-line code cell with a usual figure (315 px) under it, not two of them
    figure = {"output_type": "display_data", "data": {"image/png": ""}, "metadata": {"image/png": {"width": 640,
                                                                                                   "height": 315}}}
    cell = _code("\n".join(["x = 1"] * 10))
    cell["outputs"] = [figure]
    assert 20 < slides.cell_lines(cell) < slides.SLIDE_LINES < 2 * slides.cell_lines(cell)
