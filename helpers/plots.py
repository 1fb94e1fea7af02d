"""The course's plot style and the plotting helpers every notebook shares (plumbing).

One style for every figure, set by :func:`use_style` (called by ``helpers.setup``); one general line-plot
helper, :func:`plot`, in the manner of d2l's ``plot``; and :func:`plot_decision_boundary`, which notebooks
01, 02, 04 and 07 use to show what a classifier has learned; :func:`draw_neuron` draws one neuron with its
inputs, weights, bias and activation, and :func:`draw_network` the layers of a dense network (notebook 01).
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_bool, check_callable, check_int, check_real

__all__ = ["use_style", "plot", "plot_decision_boundary", "decision_key_handles", "draw_neuron", "draw_network",
           "log_scale", "COLORS", "SHADE_ALPHA"]

# A colour-blind-safe palette (Okabe & Ito), in the order lines are drawn.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_style() -> None:
    """Apply the course's matplotlib style: readable sizes, light grid, colour-blind-safe colours."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "figure.figsize": (6.0, 3.8),
            "figure.dpi": 90,
            "savefig.dpi": 90,
            "figure.autolayout": True,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=COLORS),
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "lines.linewidth": 2.0,
            "image.cmap": "viridis",
        }
    )


def plot(
    x,
    ys,
    *,
    labels=None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    logy: bool = False,
    styles=None,
    ax=None,
):
    """Draw one or several curves against the same ``x`` on one axes and return the axes.

    Args:
        x: 1-D array of n points.
        ys: one 1-D array of n values, or a list of them (one curve each), or a 2-D array (one curve a row).
        labels: a legend label per curve (``None`` for no legend).
        xlabel, ylabel, title: axis labels and title.
        logy: logarithmic y axis.
        styles: a matplotlib format string per curve (``"--"``, ``"o-"`` ...).
        ax: the axes to draw on; a new figure when ``None``.
    """
    import matplotlib.pyplot as plt

    x = as_float_array(x, "x", ndim=1, min_size=1)
    if isinstance(ys, np.ndarray) and ys.ndim == 2:
        curves = [as_float_array(row, "ys", ndim=1) for row in ys]
    elif isinstance(ys, (list, tuple)) and len(ys) and np.ndim(ys[0]) == 1:
        curves = [as_float_array(y, f"ys[{i}]", ndim=1, finite=False) for i, y in enumerate(ys)]
    else:
        curves = [as_float_array(ys, "ys", ndim=1, finite=False)]
    for i, y in enumerate(curves):
        if y.shape != x.shape:
            raise ValueError(f"ys[{i}] must have the same length as x ({x.size}), got {y.size}")
    if labels is not None and len(labels) != len(curves):
        raise ValueError(f"labels must have one entry per curve ({len(curves)}), got {len(labels)}")
    if styles is not None and len(styles) != len(curves):
        raise ValueError(f"styles must have one entry per curve ({len(curves)}), got {len(styles)}")
    if ax is None:
        _, ax = plt.subplots()
    for i, y in enumerate(curves):
        fmt = styles[i] if styles is not None else "-"
        ax.plot(x, y, fmt, label=None if labels is None else labels[i])
    if logy:
        ax.set_yscale("log")
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if labels is not None:
        ax.legend()
    return ax


def plot_decision_boundary(predict, X, y, *, ax=None, title: str | None = None, resolution: int = 200,
                           padding: float = 0.5, threshold: float = 0.5, key: bool = False,
                           target_label: str = "target", prediction_label: str = "predicted"):
    """Shade where a 2-D classifier predicts each class, and draw the data on top; return the axes.

    The markers are the data's targets (circles for 0, triangles for 1); the shading is the prediction:
    blue where the score is below ``threshold`` (predicted 0), orange where it is above (predicted 1), and
    no shading where it equals ``threshold`` exactly (no decision: a network that outputs 0.5 everywhere
    is not drawn as predicting class 1). A black line marks the boundary where the score crosses
    ``threshold``.

    Args:
        predict: a function from an ``(m, 2)`` array of points to ``m`` scores or probabilities of class 1
            (any shape that flattens to ``m`` values).
        X: ``(n, 2)`` array of inputs.
        y: ``n`` labels, 0 or 1.
        ax: the axes to draw on; a new figure when ``None``.
        title: the axes title.
        resolution: grid points along each axis.
        padding: margin around the data, in the units of ``X``.
        threshold: the score at which the boundary is drawn.
        key: draw a key under the axes that says what the markers and the shading are.
        target_label: how the key names the markers (``"target"`` gives "target 0", "target 1"; for
            example ``"OR target"`` when the markers are the targets of an OR unit).
        prediction_label: how the key names the shading (``"predicted"`` gives "predicted 0", ...).
    """
    import matplotlib.pyplot as plt

    check_callable(predict, "predict")
    X = as_float_array(X, "X", shape=(None, 2), min_size=2)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only the labels 0 and 1, got values {sorted(set(np.unique(y).tolist()))}")
    resolution = check_int(resolution, "resolution", minimum=2, maximum=2000)
    padding = check_real(padding, "padding", low=0)
    threshold = check_real(threshold, "threshold")
    key = check_bool(key, "key")
    for name, value in (("target_label", target_label), ("prediction_label", prediction_label)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r} (type {type(value).__name__})")

    (x0, y0), (x1, y1) = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    scores = np.asarray(predict(grid), dtype=float).reshape(-1)
    if scores.size != grid.shape[0]:
        raise ValueError(
            f"predict must return one value per input row ({grid.shape[0]}), got {scores.size} values"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 4.6 if key else 3.8))
    zz = scores.reshape(gx.shape)
    region = np.where(zz > threshold, 2.0, np.where(zz < threshold, 0.0, 1.0))  # 1: exactly the threshold
    region[np.isnan(zz)] = np.nan
    ax.contourf(gx, gy, region, levels=[-0.5, 0.5, 1.5, 2.5], colors=[COLORS[0], (1, 1, 1, 0), COLORS[1]],
                alpha=SHADE_ALPHA)
    boundary = bool(np.nanmin(zz) < threshold < np.nanmax(zz))
    if boundary:
        ax.contour(gx, gy, zz, levels=[threshold], colors="k", linewidths=1.2)
    for label, marker, color in [(0, "o", COLORS[0]), (1, "^", COLORS[1])]:
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], marker=marker, c=color, edgecolors="k", s=36,
                   label=f"{target_label} {label}")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    if key:
        # a class or the undecided region enters the key when it covers more than three grid lines' worth of
        # points, so that the points that fall exactly on a boundary line (about one grid line) do not
        shown = {v: np.sum(region == v) > 3 * resolution for v in (0.0, 1.0, 2.0)}
        ax.legend(handles=decision_key_handles(target_label=target_label, prediction_label=prediction_label,
                                               threshold=threshold, boundary=boundary,
                                               predicted=tuple(c for c, v in ((0, 0.0), (1, 2.0)) if shown[v]),
                                               undecided=bool(shown[1.0])),
                  loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, handlelength=1.5,
                  columnspacing=1.0)
    return ax


SHADE_ALPHA = 0.18
"""The opacity of the prediction shading in :func:`plot_decision_boundary` (and of its key)."""


def decision_key_handles(*, target_label: str = "target", prediction_label: str = "predicted",
                         threshold: float = 0.5, boundary: bool = True, predicted=(0, 1), undecided: bool = False):
    """The legend entries that explain a :func:`plot_decision_boundary` figure, for a key of one's own
    (for example one key for a row of panels: ``fig.legend(handles=decision_key_handles(), ncol=2)``).

    Markers are targets (circle 0, triangle 1), shading is the prediction (``predicted`` lists the classes
    whose shading to explain); ``boundary`` adds the black line, ``undecided`` the unshaded region where the
    score equals ``threshold`` exactly. The entries are ordered for a legend of two columns: targets on the
    first row, predictions on the second.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    threshold = check_real(threshold, "threshold")
    boundary = check_bool(boundary, "boundary")
    undecided = check_bool(undecided, "undecided")
    if not isinstance(predicted, (tuple, list)) or not set(predicted) <= {0, 1}:
        raise ValueError(f"predicted must list the classes 0 and/or 1, got {predicted!r}")
    marks = [Line2D([], [], ls="", marker=marker, color=color, markeredgecolor="k", markersize=6,
                    label=f"{target_label} {label}") for label, marker, color in [(0, "o", COLORS[0]),
                                                                                   (1, "^", COLORS[1])]]
    shades = [Patch(facecolor=COLORS[label], alpha=SHADE_ALPHA + 0.12, edgecolor="none",
                    label=f"{prediction_label} {label}") for label in (0, 1) if label in predicted]
    if undecided:
        shades.append(Patch(facecolor="white", edgecolor="0.5", label=f"unshaded: output exactly {threshold:g}"))
    if boundary:
        shades.append(Line2D([], [], color="k", lw=1.2, label=f"boundary (output {threshold:g})"))
    rows = [marks] + [shades[i:i + 2] for i in range(0, len(shades), 2)]
    blank = Line2D([], [], ls="", label=" ")
    rows = [row + [blank] * (2 - len(row)) for row in rows]
    handles = [row[0] for row in rows] + [row[1] for row in rows]  # matplotlib fills a legend column by column
    return handles


def draw_neuron(w, b, *, x=None, activation: str = "f", ax=None, title: str | None = None):
    """Draw one neuron: inputs, a weight on each edge, the sum plus bias, the activation and the output.

    With ``x`` given, the inputs show their values, the sum node shows ``z = w . x + b``, and, when
    ``activation`` is a name from ``helpers.activations.ACTIVATIONS``, the output shows ``a = f(z)``.

    Args:
        w: the n weights, 1 to 8 of them.
        b: the bias, a number.
        x: the n input values, or ``None`` to label the inputs x1 ... xn.
        activation: the activation's name, written in its box (e.g. ``"sigmoid"``).
        ax: the axes to draw on; a new figure when ``None``.
        title: the axes title.
    """
    import matplotlib.pyplot as plt

    from .activations import ACTIVATIONS

    w = as_float_array(w, "w", ndim=1, min_size=1)
    if w.size > 8:
        raise ValueError(f"w must hold at most 8 weights to be drawn, got {w.size}")
    b = check_real(b, "b")
    if x is not None:
        x = as_float_array(x, "x", ndim=1)
        if x.shape != w.shape:
            raise ValueError(f"x must have one value per weight: w has shape {w.shape}, x has shape {x.shape}")
    if not isinstance(activation, str) or not activation:
        raise TypeError(f"activation must be a non-empty string (a name for its box), got {activation!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.7 * max(w.size, 3) + 1.0))

    n = w.size
    ys = [(n - 1) / 2 - i for i in range(n)]
    sum_xy, act_xy, out_x = (4.0, 0.0), (6.0, 0.0), 7.9
    box = {"boxstyle": "round,pad=0.35", "fc": "white", "ec": "k"}
    for i, (w_i, y_i) in enumerate(zip(w, ys)):
        ax.annotate("", xy=sum_xy, xytext=(0.35, y_i), arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2,
                                                                   "shrinkA": 0, "shrinkB": 18})
        label = f"$x_{{{i + 1}}}$" if x is None else f"$x_{{{i + 1}}} = {x[i]:g}$"
        ax.text(0.0, y_i, label, ha="right", va="center", fontsize=10,
                bbox={"boxstyle": "circle,pad=0.25" if x is None else "round,pad=0.3", "fc": COLORS[5], "ec": "k"})
        t = 0.42  # where along the edge the weight is written
        ax.text(0.35 + t * (sum_xy[0] - 0.35), y_i + t * (sum_xy[1] - y_i) + 0.12, f"$w_{{{i + 1}}} = {w_i:g}$",
                ha="center", va="bottom", fontsize=9, color=COLORS[3])
    ax.annotate("", xy=sum_xy, xytext=(sum_xy[0], ys[0] + 0.6 if n > 1 else 1.0),
                arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2, "shrinkB": 18})
    ax.text(sum_xy[0], (ys[0] + 0.6 if n > 1 else 1.0) + 0.05, f"bias $b = {b:g}$", ha="center", va="bottom",
            fontsize=9, color=COLORS[3])
    ax.text(*sum_xy, r"$\Sigma$", ha="center", va="center", fontsize=16,
            bbox={"boxstyle": "circle,pad=0.3", "fc": COLORS[2], "ec": "k", "alpha": 0.9})
    z = None if x is None else float(np.dot(w, x) + b)
    under = r"$z = \sum_i w_i x_i + b$" if z is None else f"$z = {z:g}$"
    ax.text(sum_xy[0], sum_xy[1] - 0.55, under, ha="center", va="top", fontsize=9)
    ax.annotate("", xy=(act_xy[0] - 0.55, 0), xytext=(sum_xy[0] + 0.35, 0),
                arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2})
    ax.text(*act_xy, activation, ha="center", va="center", fontsize=10, bbox=dict(box, fc=COLORS[1]))
    ax.annotate("", xy=(out_x - 0.05, 0), xytext=(act_xy[0] + 0.6, 0),
                arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2})
    if z is not None and activation in ACTIVATIONS:
        out = f"$a = {float(ACTIVATIONS[activation][0](z)):.4f}$"
    else:
        out = "$a = f(z)$"
    ax.text(out_x, 0, out, ha="left", va="center", fontsize=10)
    ax.text(0.0, ys[-1] - 0.8, "inputs", ha="right", va="top", fontsize=9, color="0.3")
    ax.text(act_xy[0], -0.55, "activation", ha="center", va="top", fontsize=9, color="0.3")
    ax.set_xlim(-1.6, 9.4)
    ax.set_ylim(ys[-1] - 1.2, (ys[0] + 0.6 if n > 1 else 1.0) + 0.5)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_network(layer_sizes, *, ax=None, title: str | None = None, layer_names=None, counts: bool = False):
    """Draw a dense network as circles (units) joined by lines (weights); return the axes.

    Biases are not drawn: each line is one weight, and nothing shows the one bias of each unit.

    Args:
        layer_sizes: units per layer, input layer first, e.g. ``[3, 4, 4, 1]`` (at most 12 per layer).
        ax: the axes to draw on; a new figure when ``None``.
        title: the axes title.
        layer_names: a label under each layer; by default "input", "hidden 1", ..., "output".
        counts: write under the drawing how many lines (weights) it shows and how many biases it leaves
            out, and the parameters in all.
    """
    import matplotlib.pyplot as plt

    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple)) else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must be a list of at least two layer sizes, got {layer_sizes!r}")
    sizes = [check_int(n, f"layer_sizes[{i}]", minimum=1, maximum=12) for i, n in enumerate(sizes)]
    counts = check_bool(counts, "counts")
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    if len(layer_names) != len(sizes):
        raise ValueError(f"layer_names must have one name per layer ({len(sizes)}), got {len(layer_names)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 * len(sizes) + 0.5, 0.55 * max(sizes) + 1.6 + 0.7 * counts))
    top = max(sizes)
    positions = [[(2.0 * i, (n - 1) / 2 - j) for j in range(n)] for i, n in enumerate(sizes)]
    for left, right in zip(positions[:-1], positions[1:]):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0, x1], [y0, y1], color="0.6", lw=0.8, zorder=1)
    for i, layer in enumerate(positions):
        color = COLORS[0] if i == 0 else COLORS[3] if i == len(positions) - 1 else COLORS[2]
        for x, y in layer:
            ax.scatter([x], [y], s=420, c=color, edgecolors="k", zorder=2)
        ax.text(2.0 * i, -top / 2 - 0.3, f"{layer_names[i]}\n({sizes[i]})", ha="center", va="top", fontsize=9)
    bottom = -top / 2 - 1.2
    if counts:
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        biases = sum(sizes[1:])
        ax.text(float(len(sizes) - 1), bottom - 0.1,
                f"{weights} lines, one per weight; the {biases} biases (one per unit after the input)\n"
                f"are not drawn: {weights + biases} parameters in all", ha="center", va="top", fontsize=9)
        bottom -= 1.3
    ax.set_xlim(-0.8, 2.0 * (len(sizes) - 1) + 0.8)
    ax.set_ylim(bottom, top / 2 + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def log_scale(ax, *, x: bool = False, y: bool = True):
    """Put the x and/or y axis of ``ax`` on a log scale, with plain labels (``1e-05``) at the powers of ten and
    no minor ticks: easier to read, and it draws in about a third of the time of matplotlib's default log axis
    (notebook 04 draws several). Returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    if not hasattr(ax, "set_yscale"):
        raise TypeError(f"ax must be a matplotlib axes, got {type(ax).__name__}")
    check_bool(x, "x")
    check_bool(y, "y")
    for on, axis, set_scale in ((x, ax.xaxis, ax.set_xscale), (y, ax.yaxis, ax.set_yscale)):
        if on:
            set_scale("log")
            axis.set_minor_locator(plt.NullLocator())
            axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}" if value > 0 else ""))
    return ax
