"""Instructors' tool: give every notebook cell a slide type, and export the notebooks as offline slide decks.

Usage (from the repository root, inside the course's virtual environment):

    python tools/slides.py fill                    # give every cell without a slide type one (all notebooks)
    python tools/slides.py fill 03 04              # only the notebooks whose names start with 03 or 04
    python tools/slides.py fill --split            # ... after splitting Markdown cells before a buried `## `
    python tools/slides.py export                  # every notebook -> build/slides/NN_name.slides.html
    python tools/slides.py export 05 --out /tmp/d  # one notebook, another folder

Slide types live in each cell's metadata, ``"slideshow": {"slide_type": ...}``; the same key serves RISE in
JupyterLab (live, running) and nbconvert's slides exporter (static). ``fill`` follows the course's rules
(docs/INSTRUCTORS.md, "Slide types"): the title cell ``slide``; the set-up and import code cells before the
first ``## `` heading ``skip``; every ``## `` section heading ``slide``; a ``### `` sub-heading ``subslide``;
an exercise's task ``subslide``, its stub and check ``-``, its solution ``skip``; the code after the
``## Appendix: verified`` heading ``skip``; a cell that would overflow the current slide (its estimated
height: source lines plus output lines, a figure by its displayed height) starts a ``subslide``; everything
else ``-``. It never overrides a type a person has set, except that a ``## `` heading is always ``slide``.
It rewrites only cell metadata: outputs, sources and the notebook's own metadata stay as they are. With
``--split`` it first cuts each Markdown cell before every ``## `` heading that is not the cell's first line
(such a heading cannot start a slide); the text itself is not changed.

``export`` writes one self-contained folder that opens offline, straight from the file, in a browser: the
decks (stored outputs and plots embedded, nothing re-executed) and, under ``_static/``, local copies of
reveal.js (from the installed ``sphinx-revealjs`` package) and MathJax 2 (from ``jupyter-server-mathjax``).
Nothing is loaded from a network address when a deck is viewed: no CDN, no web font, no remote image (the
Colab badge becomes a plain "Open in Colab" link). Links between notebooks point at the other decks.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import math
import posixpath
import re
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "slides"

VALID_SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-", "")
CONTINUE = "-"

# --- heights, in lines of 24 px on a 1280 x 720 slide -----------------------------------------------------------
# Measured in headless Chromium on the exported decks (the rendered height of each of the 406 shown cells against
# its source and outputs): code 22.8 px a line + 22 px of box; printed output 24.7 px a line + 21 px; a figure its
# PNG's height (scaled to the slide's width) + 15 px; Markdown about 26 px a line of 120 characters plus its
# headings, formulas, tables and paragraph gaps. The estimates below are off by about 1.3 lines a cell (sd).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720  # reveal.js's logical slide size (16:9); the browser scales it to the screen
LINE_PX = 24
SLIDE_LINES = 27  # what one slide holds below its top margin (648 px of 720)
TEXT_CHARS = 120  # characters of Markdown prose in one line across the slide
FIGURE_LINES = 14  # a figure whose size cannot be read (the course's usual figure is 315 px high)
CONTENT_WIDTH_PX = SLIDE_WIDTH - 60  # the width an output image gets before it is scaled down

# ------------------------------------------------------------------------------------------------- selection
def find_notebooks(prefixes, folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks ``NN_name.ipynb`` in ``folder`` whose names start with one of ``prefixes`` (all if none)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"folder={str(folder)!r} is not a directory of notebooks")
    every = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not prefixes:
        return every
    chosen = [nb for nb in every if any(nb.name.startswith(p) or nb.stem == p for p in prefixes)]
    missing = [p for p in prefixes if not any(nb.name.startswith(p) or nb.stem == p for nb in every)]
    if missing:
        raise SystemExit(f"no notebook matches {missing}; notebooks are: {[nb.name for nb in every]}")
    return chosen


# ------------------------------------------------------------------------------------------- reading cells
def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def first_line(cell) -> str:
    lines = source(cell).lstrip("\n").splitlines()
    return lines[0] if lines else ""


def slide_type(cell):
    """The cell's slide type as stored, or None when it has none (no ``slideshow.slide_type`` key)."""
    slideshow = cell.get("metadata", {}).get("slideshow")
    if not isinstance(slideshow, dict) or "slide_type" not in slideshow:
        return None
    return slideshow["slide_type"]


def is_section_heading(cell) -> bool:
    """A section heading: a Markdown cell whose first line is a ``## `` heading."""
    return cell.get("cell_type") == "markdown" and first_line(cell).startswith("## ")


def is_subsection_heading(cell) -> bool:
    return cell.get("cell_type") == "markdown" and first_line(cell).startswith("### ")


def is_title(cell) -> bool:
    return cell.get("cell_type") == "markdown" and first_line(cell).startswith("# ")


def is_exercise_task(cell) -> bool:
    return cell.get("cell_type") == "markdown" and re.match(r"\*\*Exercise\s+\d+", source(cell).lstrip()) is not None


def is_solution(cell) -> bool:
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    if cell.get("cell_type") == "markdown" and nbgrader.get("solution"):
        return True
    return cell.get("cell_type") == "markdown" and source(cell).lstrip().startswith("<details><summary>Solution")


def buried_headings(cell) -> list[str]:
    """``## `` headings that are not the first line of their Markdown cell: they cannot start a slide."""
    if cell.get("cell_type") != "markdown":
        return []
    lines = source(cell).lstrip("\n").splitlines()
    return [line for line in lines[1:] if line.startswith("## ")]


# ------------------------------------------------------------------------------------------- heights
def _png_size(data: str):
    try:
        raw = base64.b64decode(data[:64] + "=" * (-len(data[:64]) % 4))
    except (ValueError, TypeError):
        return None
    if raw[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", raw[16:24])


def _text_lines(text: str) -> float:
    """Printed text (stream, text/plain, a code box): 1.03 lines a line, plus the box."""
    lines = text.rstrip("\n").splitlines()
    return 1.03 * len(lines) + 0.9 if lines else 0.0


def _image_lines(width: float, height: float) -> float:
    scale = min(1.0, CONTENT_WIDTH_PX / width) if width else 1.0
    return (height * scale + 15) / LINE_PX


_INLINE_MATH = re.compile(r"\$[^$]+\$")


def markdown_lines(text: str) -> float:
    """Estimated height of a rendered Markdown cell, in slide lines."""
    text = text.strip("\n")
    if not text:
        return 0.0
    total = 1.5 + 0.5 * len(re.split(r"\n\s*\n", text))  # the cell's margins, the gaps between paragraphs
    if text.lstrip().startswith(">"):
        total += 3.0  # a "Common misconception" box: padding and border
    in_math = in_code = False
    for line in text.splitlines():
        stripped = line.strip().lstrip("> ").strip()
        if stripped.startswith("```"):
            in_code = not in_code
            total += 0.5
        elif in_code:
            total += 0.95
        elif stripped.startswith("$$"):
            if not in_math:
                total += 2.4  # one displayed formula
            in_math = not in_math and stripped.count("$$") == 1
        elif in_math:
            continue
        elif stripped.startswith("# "):
            total += 2.0
        elif stripped.startswith("## "):
            total += 1.5
        elif stripped.startswith("### "):
            total += 0.6
        elif stripped.startswith("|"):
            total += 1.3
        elif stripped.startswith("<") and stripped.endswith(">") and "summary" not in stripped:
            continue  # a bare HTML tag such as </details>
        elif stripped:
            width = len(_INLINE_MATH.sub("xxxx", stripped))
            total += 1.1 * max(1, math.ceil(width / TEXT_CHARS))
            if re.match(r"([-*+]|\d+\.)\s", stripped):
                total += 0.55
    return total


def output_lines(output) -> float:
    """Estimated height of one stored output, in slide lines."""
    kind = output.get("output_type")
    if kind == "stream":
        return _text_lines(source({"source": output.get("text", "")}))
    if kind == "error":
        return 4.0
    data = output.get("data", {})
    if "image/png" in data:
        size = _png_size(data["image/png"])
        meta = output.get("metadata", {}).get("image/png", {})
        if meta.get("width") and meta.get("height"):
            size = (meta["width"], meta["height"])
        return _image_lines(*size) if size else float(FIGURE_LINES)
    if "image/svg+xml" in data or "image/jpeg" in data:
        return float(FIGURE_LINES)
    if "text/html" in data:
        html = source({"source": data["text/html"]})
        rows = html.count("<tr")
        if rows:
            return 1.3 * rows + 1.0
        return markdown_lines(re.sub(r"<[^>]+>", "", html))
    if "text/markdown" in data:
        return markdown_lines(source({"source": data["text/markdown"]}))
    if "text/plain" in data:
        return _text_lines(source({"source": data["text/plain"]}))
    return 0.0


def cell_lines(cell) -> float:
    """Estimated height of a cell on a slide, in slide lines: its source plus its outputs."""
    if cell.get("cell_type") == "markdown":
        return markdown_lines(source(cell))
    if cell.get("cell_type") != "code":
        return 0.0
    text = source(cell)
    height = (0.95 * len(text.rstrip("\n").splitlines()) + 0.9) if text.strip() else 0.0
    return height + sum(output_lines(o) for o in cell.get("outputs", []))


# ------------------------------------------------------------------------------------------- fill
def planned_types(cells) -> list[str]:
    """The slide type the course's rules give each cell; a type already set is kept (a ``## `` heading is
    always ``slide``). Returns one type per cell."""
    first_section = next((i for i, c in enumerate(cells) if is_section_heading(c)), len(cells))
    types, height, section = [], 0.0, ""
    for index, cell in enumerate(cells):
        current = slide_type(cell)
        if is_section_heading(cell):
            section = first_line(cell)[3:].strip().lower()
        rule = None
        if is_section_heading(cell):
            rule = "slide"
        elif current is not None:
            rule = current
        elif index == 0 and is_title(cell):
            rule = "slide"
        elif cell.get("cell_type") == "code" and index < first_section:
            rule = "skip"  # the set-up and import cells
        elif cell.get("cell_type") == "code" and section.startswith("appendix"):
            rule = "skip"  # the maintainers' closing "verified" cell
        elif is_solution(cell):
            rule = "skip"
        elif is_exercise_task(cell) or is_subsection_heading(cell):
            rule = "subslide"
        elif cell.get("cell_type") == "code" and section.startswith("exercises"):
            rule = CONTINUE  # an exercise's stub and check stay under their task
        elif cell.get("cell_type") == "raw":
            rule = "skip"
        lines = cell_lines(cell)
        if rule is None:
            rule = "subslide" if height > 0 and height + lines > SLIDE_LINES else CONTINUE
        if rule in ("slide", "subslide"):
            height = lines
        elif rule not in ("skip", "notes"):
            height += lines
        types.append(rule)
    return types


def fill_notebook(nb) -> dict:
    """Set the planned slide type on every cell that has none (and ``slide`` on every section heading).
    Changes only cell metadata. Returns {"set": n, "fixed": n, "warnings": [...]}."""
    cells = nb["cells"]
    planned = planned_types(cells)
    report = {"set": 0, "fixed": 0, "warnings": []}
    for index, (cell, kind) in enumerate(zip(cells, planned)):
        current = slide_type(cell)
        if current != kind:
            report["set" if current is None else "fixed"] += 1
            cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind
        for heading in buried_headings(cell):
            report["warnings"].append(
                f"cell {index}: heading {heading!r} is not the first line of its Markdown cell, so it starts no "
                f"slide: split the cell before it (fill --split does)"
            )
    tall = [index for index, (cell, kind) in enumerate(zip(cells, planned))
            if kind not in ("skip", "notes") and cell_lines(cell) > SLIDE_LINES * 1.25]
    if tall:
        report["warnings"].append(f"cells {tall} are taller than one slide on their own: they will scroll")
    return report


def split_buried_headings(nb) -> int:
    """Split every Markdown cell before each ``## `` heading that is not its first line, so that every section
    heading starts a cell (and so a slide). The first part keeps the cell's id and metadata; the text is not
    changed, only cut (trailing blank lines of a part dropped). Returns the number of cells added."""
    import nbformat

    cells, added = [], 0
    for cell in nb.cells:
        if not buried_headings(cell) or cell.get("attachments"):
            cells.append(cell)
            continue
        parts, current = [], []
        for line in source(cell).lstrip("\n").splitlines():
            if line.startswith("## ") and current:
                parts.append(current)
                current = []
            current.append(line)
        parts.append(current)
        texts = ["\n".join(part).rstrip() for part in parts]
        cell.source = texts[0]
        cells.append(cell)
        for text in texts[1:]:
            cells.append(nbformat.v4.new_markdown_cell(text))
            added += 1
    nb.cells = cells
    return added


def fill(paths: list[Path], split: bool = False) -> None:
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        added = split_buried_headings(nb) if split else 0
        report = fill_notebook(nb)
        if report["set"] or report["fixed"] or added:
            nbformat.write(nb, path)
        print(f"{path.name}: {report['set']} slide types set, {report['fixed']} section headings made `slide`"
              + (f", {added} Markdown cells split before their `## ` heading" if split else ""))
        for warning in report["warnings"]:
            print(f"  warning: {warning}")


# ------------------------------------------------------------------------------------------- export
def _package_dir(module: str, inner: str, what: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{what} not found: the package {module!r} is not installed. Install the pinned stack: "
                         f"python -m pip install -r requirements.txt")
    path = Path(next(iter(spec.submodule_search_locations))) / inner
    if not path.is_dir():
        raise SystemExit(f"{what} not found at {path}: the installed {module!r} has another layout than expected")
    return path


def reveal_dir() -> Path:
    """reveal.js (5.x, the ``dist/`` and ``plugin/`` layout nbconvert's template expects) from sphinx-revealjs."""
    path = _package_dir("sphinx_revealjs", "_static/revealjs", "reveal.js")
    for needed in ("dist/reveal.js", "dist/reveal.css", f"dist/theme/{THEME}.css", "plugin/notes/notes.js"):
        if not (path / needed).is_file():
            raise SystemExit(f"reveal.js at {path} lacks {needed}")
    return path


def mathjax_dir() -> Path:
    """MathJax 2 (the API nbconvert's template speaks) from jupyter-server-mathjax."""
    path = _package_dir("jupyter_server_mathjax", "static", "MathJax 2")
    if not (path / "MathJax.js").is_file():
        raise SystemExit(f"MathJax at {path} lacks MathJax.js")
    return path


THEME = "white"  # a reveal.js theme whose fonts are local files (several themes import web fonts)
STATIC = "_static"
REVEAL_PREFIX = f"{STATIC}/reveal.js"
MATHJAX_URL = f"{STATIC}/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_PARTS = ["MathJax.js", "config", "extensions", "jax/input/TeX", "jax/element", "jax/output/HTML-CSS",
                 "fonts/HTML-CSS/STIX-Web/woff", "localization/en", "LICENSE"]


def copy_assets(out: Path) -> None:
    """Copy reveal.js and MathJax next to the decks (only what a deck loads), under ``out/_static``."""
    reveal, mathjax = reveal_dir(), mathjax_dir()
    target = out / STATIC
    if target.exists():
        shutil.rmtree(target)
    for part in ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/reset.css", f"dist/theme/{THEME}.css",
                 "dist/theme/fonts/source-sans-pro", "plugin/notes"):
        _copy(reveal / part, target / "reveal.js" / part)
    for part in MATHJAX_PARTS:
        if (mathjax / part).exists():
            _copy(mathjax / part, target / "mathjax" / part)


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy2(src, dst)


# The deck's page: nbconvert's reveal template, with everything it would fetch from a CDN replaced by the local
# copies (no jQuery, require.js or mermaid needed: reveal.js and its notes plugin load as plain scripts), and
# code cells highlighted without the HTML sanitizer's second pass (our own code, escaped by Pygments; the pass
# took half the export time).
TEMPLATE_NAME = "ann_crux_slides.html.j2"
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
    TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}},
    tex2jax: {
        inlineMath: [['$', '$'], ["\\(", "\\)"]],
        displayMath: [['$$', '$$'], ["\\[", "\\]"]],
        processEscapes: true,
        processEnvironments: true
    },
    displayAlign: "center",
    messageStyle: "none",
    menuSettings: {zoom: "None"},
    "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
                 linebreaks: {automatic: true}}
});
</script>
<script src="{{ resources.mathjax_url }}"></script>
<style type="text/css">
/* course additions: room for wide figures, readable code, tall slides that scroll */
.reveal .slides { text-align: left; }
.reveal .slides section { height: 100%; overflow-y: auto; overflow-x: hidden; }
.reveal .slides section > section { padding: 0 0.5em; }
.reveal .jp-RenderedImage img { max-width: 100%; height: auto; }
.reveal .jp-InputArea pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .jp-OutputArea-output table { font-size: 15px; }
.reveal .jp-OutputArea-output { overflow-x: auto; }
.reveal h1 { font-size: 1.9em; }
.reveal h2 { font-size: 1.45em; }
.reveal h3 { font-size: 1.15em; }
.reveal h1, .reveal h2, .reveal h3 { text-transform: none !important; margin-top: 0.4em; }
.reveal .jp-RenderedMarkdown { font-size: 20px; line-height: 1.45; }
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li { margin-bottom: 0.45em; }
.reveal blockquote { width: auto; margin: 0.5em 0; padding: 0.3em 0.8em; font-style: normal; }
.reveal section img { margin: 0; }
</style>
{%- endblock html_head_js_mathjax -%}
{% block input %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
<div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</div>
</div>
{%- endblock input %}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
    controls: true,
    progress: true,
    history: true,
    hash: true,
    center: false,
    transition: "{{ resources.reveal.transition }}",
    slideNumber: "{{ resources.reveal.number }}",
    plugins: [RevealNotes],
    width: {{ resources.reveal.width }},
    height: {{ resources.reveal.height }},
    margin: 0.03
});
Reveal.on("slidechanged", function () {
    if (window.MathJax && MathJax.Hub && MathJax.Hub.getAllJax(Reveal.getCurrentSlide()).length) {
        MathJax.Hub.Rerender(Reveal.getCurrentSlide());
    }
});
</script>
{% endblock footer_js %}
"""

_REMOTE_IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(\s*(?:https?:)?//[^)]*\)")
_REMOTE_IMAGE_HTML = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["'](?:https?:)?//[^>]*>""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[A-Za-z0-9_]+)\.ipynb(#[^)]*)?\)")
_RELATIVE_LINK = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s]+)\)")


def repository_url() -> str:
    """The repository address, read from the one place it is written: pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, flags=re.MULTILINE)
    return match.group(1).rstrip("/") if match else ""


def _repository_link(match) -> str:
    """A link to a file of the repository (``../README.md`` from a notebook): the deck has no checkout next to
    it, so point at the file on GitHub."""
    target = posixpath.normpath(posixpath.join("notebooks", match.group(1)))
    if target.startswith("..") or not repository_url():
        return match.group(0)
    return f"]({repository_url()}/blob/main/{target})"


def _offline_text(text: str) -> str:
    """Markdown/HTML with every remote image replaced by its alt text, links to notebooks pointed at their decks,
    links to other files of the repository pointed at GitHub."""
    text = _REMOTE_IMAGE_MD.sub(lambda m: m.group(1) or "image", text)
    text = _REMOTE_IMAGE_HTML.sub(lambda m: (_ALT.search(m.group(0)) or re.match("(.*)", "image")).group(1), text)
    text = _NOTEBOOK_LINK.sub(lambda m: f"]({m.group(1)}.slides.html{m.group(2) or ''})", text)
    return _RELATIVE_LINK.sub(lambda m: m.group(0) if ".slides.html" in m.group(1) else _repository_link(m), text)


def offline_copy(nb):
    """A copy of the notebook that loads nothing from the network when shown as a deck."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _offline_text(source(cell))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key in ("text/html", "text/markdown"):
                if key in data:
                    data[key] = _offline_text(source({"source": data[key]}))
    return nb


def exporter():
    """nbconvert's SlidesExporter, set up for offline decks with local reveal.js and MathJax."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class CourseSlidesExporter(SlidesExporter):
        """HTMLExporter.from_notebook_node without its closing BeautifulSoup pass over the whole page (which
        only adds a placeholder alt text to images and tab stops to cells, and took 40 % of the export)."""

        def from_notebook_node(self, nb, resources=None, **kw):
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    config = Config()
    config.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    config.SlidesExporter.reveal_theme = THEME
    config.SlidesExporter.reveal_transition = "slide"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = str(SLIDE_WIDTH)
    config.SlidesExporter.reveal_height = str(SLIDE_HEIGHT)
    config.SlidesExporter.mathjax_url = MATHJAX_URL
    config.SlidesExporter.require_js_url = ""
    config.SlidesExporter.jquery_url = ""
    config.SlidesExporter.embed_images = True
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.SlidesExporter.exclude_anchor_links = True
    return CourseSlidesExporter(config=config, extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
                                template_file=TEMPLATE_NAME)


def export(paths: list[Path], out: Path = DEFAULT_OUT, quiet: bool = False) -> list[Path]:
    """Export each notebook to ``out/NN_name.slides.html`` and copy the assets the decks need into ``out``."""
    import nbformat

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    slides = exporter()
    written = []
    for path in paths:
        nb = offline_copy(nbformat.read(path, as_version=4))
        resources = {"metadata": {"name": path.stem, "path": str(path.parent)}}
        body, _ = slides.from_notebook_node(nb, resources=resources)
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        if not quiet:
            print(f"wrote {target}")
    if not quiet and written:
        print(f"open {written[0].as_uri()} in a browser (works offline; arrow keys move, S opens speaker view)")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_fill = sub.add_parser("fill", help="give every cell without a slide type one, by the course's rules")
    p_fill.add_argument("notebooks", nargs="*", help="name prefixes such as 01 or 02_activations (default all)")
    p_fill.add_argument("--dir", type=Path, default=NOTEBOOKS, help="folder of the notebooks (default notebooks/)")
    p_fill.add_argument("--split", action="store_true",
                        help="first split each Markdown cell before a `## ` heading that is not its first line")
    p_export = sub.add_parser("export", help="export notebooks to offline reveal.js decks")
    p_export.add_argument("notebooks", nargs="*", help="name prefixes (default all)")
    p_export.add_argument("--dir", type=Path, default=NOTEBOOKS, help="folder of the notebooks (default notebooks/)")
    p_export.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default build/slides)")
    args = parser.parse_args(argv)

    paths = find_notebooks(args.notebooks, args.dir)
    if args.command == "fill":
        fill(paths, split=args.split)
    else:
        export(paths, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
