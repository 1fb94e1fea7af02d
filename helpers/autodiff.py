"""A gradient tape in a few lines, and a drawing of the graph it records (taught in notebook 04).

Automatic differentiation as ``tf.GradientTape`` does it, stripped to its idea (the idea Karpathy's micrograd is
built on): during the forward pass, :func:`record` writes down every operation, its output value and, for each of
its inputs, the *local* derivative d(output)/d(input) at the current values. :func:`backward` then walks the
record from the last operation to the first and applies the chain rule at each step,
``dL/d(input) += dL/d(output) * local derivative``. The ``+=`` adds up the paths: an input read by several
operations collects a contribution from each. That is all of backpropagation, for any graph of simple
operations; a framework only knows many more operations and their local derivatives.

A tape is a plain list of ``(name, value, {input name: local derivative})`` entries. :func:`draw_graph` draws it
as a computational graph with each node's forward value and gradient.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["record", "backward", "draw_graph"]


def record(tape, name, value, local_grads):
    """Append one operation to ``tape`` and return its ``value``.

    Args:
        tape: the list that records the forward pass.
        name: the name of the operation's output (a string, new on this tape).
        value: the output's value (a number).
        local_grads: ``{input name: d(output)/d(input)}``, the local derivatives at the current values.
    """
    if not isinstance(tape, list):
        raise TypeError(f"tape must be a list (start with tape = []), got {type(tape).__name__}")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    if any(entry[0] == name for entry in tape):
        raise ValueError(f"name {name!r} is already on the tape; every operation needs its own name")
    if not isinstance(local_grads, dict) or not local_grads:
        raise TypeError(f"local_grads must be a non-empty dict {{input name: local derivative}}, got {local_grads!r}")
    for key, local in {"value": value, **{f"local_grads[{k!r}]": v for k, v in local_grads.items()}}.items():
        if isinstance(local, bool) or not isinstance(local, numbers.Real) or not np.isfinite(local):
            raise ValueError(f"{key} must be a finite number, got {local!r}")
    if name in local_grads:
        raise ValueError(f"operation {name!r} cannot be its own input")
    tape.append((name, float(value), {str(k): float(v) for k, v in local_grads.items()}))
    return value


def backward(tape, output):
    """Walk the tape backwards from ``output``; return ``{name: d output / d name}`` for every name on it."""
    if not isinstance(tape, list) or not tape:
        raise ValueError("tape must be a non-empty list filled by record()")
    names = [entry[0] for entry in tape]
    if output not in names:
        raise ValueError(f"output {output!r} is not an operation on the tape; it holds {names}")
    return _walk_back(tape[: names.index(output) + 1], output)


def _walk_back(tape, output):
    """The chain rule, one recorded operation at a time, from the last back to the first."""
    grads = {output: 1.0}  # d output / d output
    for name, _, local_grads in reversed(tape):
        for input_name, local in local_grads.items():  # one arrow of the graph: input -> name
            grads[input_name] = grads.get(input_name, 0.0) + grads.get(name, 0.0) * local  # += : sum over paths
    return grads


def draw_graph(tape, inputs, grads, columns, *, ax=None, title=None):
    """Draw the graph that ``tape`` recorded: one box per value (name, forward value, gradient), arrows from
    each operation's inputs to its output, and each edge labelled with its local derivative.

    Args:
        tape: the list filled by :func:`record`.
        inputs: ``{name: value}`` of the inputs that are not operations (data and weights).
        grads: ``{name: gradient}``, as :func:`backward` returns it.
        columns: a list of columns, left to right, each a list of node names top to bottom; every node on the
            tape and every input must appear once.
        ax: a matplotlib axes to draw on (a new figure when ``None``).
        title: the figure's title.

    Returns the axes.
    """
    import matplotlib.pyplot as plt

    from .plots import COLORS

    if not isinstance(tape, list) or not tape:
        raise ValueError("tape must be a non-empty list filled by record()")
    if not isinstance(inputs, dict) or not isinstance(grads, dict):
        raise TypeError("inputs and grads must be dicts {name: value}")
    values = {**{str(k): float(v) for k, v in inputs.items()}, **{name: value for name, value, _ in tape}}
    if not isinstance(columns, (list, tuple)) or not all(isinstance(c, (list, tuple)) for c in columns):
        raise TypeError(f"columns must be a list of lists of node names, got {columns!r}")
    placed = [name for column in columns for name in column]
    needed = set(values) | {k for _, _, local in tape for k in local}
    if sorted(placed) != sorted(set(placed)) or set(placed) != needed:
        raise ValueError(f"columns must hold every node once: missing {sorted(needed - set(placed))}, "
                         f"unknown {sorted(set(placed) - needed)}, repeated "
                         f"{sorted({n for n in placed if placed.count(n) > 1})}")
    if ax is None:
        height = max(len(column) for column in columns)
        _, ax = plt.subplots(figsize=(1.55 * len(columns) + 0.6, 0.6 * height + 1.4))
    position = {}
    for x, column in enumerate(columns):
        for row, name in enumerate(column):
            position[name] = (x, (len(column) - 1) / 2 - row)
    operations = {name for name, _, _ in tape}
    for name, _, local_grads in tape:
        for input_name, local in local_grads.items():
            (x0, y0), (x1, y1) = position[input_name], position[name]
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops={"arrowstyle": "->", "color": "0.6", "lw": 0.9, "shrinkA": 24, "shrinkB": 26})
            t = 0.6  # the label sits on the arrow, a little past its middle
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{local:.3g}", fontsize=6.5, color=COLORS[2],
                    ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.9})
    for name, (x, y) in position.items():
        gradient = grads.get(name)
        lines = [name, f"{values[name]:.4f}", "" if gradient is None else f"{gradient:.4f}"]
        style = {"ha": "center", "va": "center", "fontsize": 7.5, "linespacing": 1.2}
        ax.text(x, y, "\n".join(lines), color="none", **style,  # an invisible copy sizes the box
                bbox={"boxstyle": "round,pad=0.3", "ec": COLORS[0] if name in operations else "0.4",
                      "fc": "#e8f0fb" if name in operations else "white", "lw": 1.0})
        ax.text(x, y, "\n".join(lines[:2] + [" "]), **style)
        ax.text(x, y, "\n\n" + lines[2], color=COLORS[3], fontweight="bold", **style)
    rows = max(len(column) for column in columns)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(-rows / 2 - 0.05, rows / 2 + 0.05)
    ax.axis("off")
    ax.text(0.5, -0.01, "Each box: name, value in the forward pass (black), gradient of the output with respect to it "
            "from the backward pass (orange).\nBlue boxes: operations; white boxes: inputs and weights. "
            "Green number on an arrow: the local derivative d(arrow's end) / d(arrow's start).",
            transform=ax.transAxes, ha="center", va="top", fontsize=7.5)
    if title:
        ax.set_title(title)
    return ax
