"""Test surfaces for optimizers, their contour plots, and a race between optimizers (notebook 06).

Each surface is a function of a point ``p = (x, y)`` and comes with its analytic gradient, in the manner of
``helpers.activations``: ``rosenbrock(p)`` and ``rosenbrock_grad(p)``. Both accept a single point of shape
``(2,)`` or a grid of shape ``(..., 2)`` (the value then has shape ``(...)``, the gradient ``(..., 2)``).
A value function also accepts a TensorFlow tensor, so ``tf.GradientTape`` can differentiate the very same
formula that the analytic gradient is checked against.

``SURFACES`` maps a name to ``(f, grad, minima, xlim, ylim)``: what the notebook's plots and the race
need to know. ``noisy(grad, sigma, seed)`` wraps a gradient in seeded Gaussian noise, the way a mini-batch
gradient scatters around the full-batch one; ``NOISY_SURFACES`` names noisy versions of surfaces (such as
``"noisy_ravine"``) that :func:`race` runs with a fresh, seeded noise wrapper per run. :func:`sweep` counts
the steps to a minimum for a whole range of learning rates at once.

The loss of a small network is a test surface too: :func:`net_loss` is the (optionally penalised)
cross-entropy of a one-hidden-layer tanh network with a sigmoid output, as a function of one flat parameter
vector, with its gradient (backpropagation, notebook 04), for full-batch optimizers such as scipy's L-BFGS;
:func:`net_init`, :func:`net_predict` and :func:`match_units` (which lines up the hidden units of two
networks before their weights are compared) go with it.
"""

from __future__ import annotations

import numpy as np

from .plots import COLORS
from .validation import as_float_array, check_callable, check_int, check_real

__all__ = [
    "saddle", "saddle_grad", "quartic_saddle", "quartic_saddle_grad", "two_minima", "two_minima_grad",
    "ravine", "ravine_grad", "rosenbrock", "rosenbrock_grad", "noisy", "SURFACES", "NOISY_SURFACES", "plot_paths",
    "steps_to_tolerance", "race", "sweep", "net_init", "net_loss", "net_predict", "minimize_net", "match_units",
]

RAVINE_CONDITION = 100.0  # the ratio of the ravine's two curvatures
TWO_MINIMA_TILT = 0.3


def _point(p):
    """Return ``(x, y)`` from ``p`` of shape (..., 2); a TensorFlow tensor passes through unchecked."""
    if type(p) is np.ndarray and p.dtype == np.float64 and p.shape[-1:] == (2,) and p.size and np.isfinite(p).all():
        return p[..., 0], p[..., 1]  # the fast path: an optimizer's loop calls this at every step
    if not type(p).__module__.startswith("tensorflow"):
        p = as_float_array(p, "p", min_size=2)
        if p.shape[-1] != 2:
            raise ValueError(f"p must have shape (2,) or (..., 2): a point (x, y); got shape {p.shape}")
    return p[..., 0], p[..., 1]


def _stack(gx, gy):
    if np.ndim(gx) == 0 and np.ndim(gy) == 0:
        return np.array([gx, gy], dtype=float)  # one point: much faster than np.stack
    return np.stack([gx, gy], axis=-1)


# --- saddles -----------------------------------------------------------------------------------------------
def saddle(p):
    """The classic saddle x**2 - y**2: a minimum along x, a maximum along y, unbounded below."""
    x, y = _point(p)
    return x**2 - y**2


def saddle_grad(p):
    """Gradient of :func:`saddle`: (2x, -2y), zero at the saddle point (0, 0)."""
    x, y = _point(p)
    return _stack(2 * x, -2 * y)


def quartic_saddle(p):
    """A saddle that is bounded below: x**2 + y**4/4 - y**2/2.

    The origin is a saddle (curvatures 2 and -1); rolling off it along y leads to one of two minima at
    (0, -1) and (0, 1), both with value -1/4.
    """
    x, y = _point(p)
    return x**2 + y**4 / 4 - y**2 / 2


def quartic_saddle_grad(p):
    """Gradient of :func:`quartic_saddle`: (2x, y**3 - y)."""
    x, y = _point(p)
    return _stack(2 * x, y**3 - y)


# --- a local and a global minimum ------------------------------------------------------------------------
def two_minima(p):
    """A tilted double well, (x**2 - 1)**2 + 0.3 x + y**2: a global minimum near x = -1.04 and a worse
    local minimum near x = 0.96, separated by a ridge near x = 0.08."""
    x, y = _point(p)
    return (x**2 - 1) ** 2 + TWO_MINIMA_TILT * x + y**2


def two_minima_grad(p):
    """Gradient of :func:`two_minima`: (4x(x**2 - 1) + 0.3, 2y)."""
    x, y = _point(p)
    return _stack(4 * x * (x**2 - 1) + TWO_MINIMA_TILT, 2 * y)


def _two_minima_points():
    roots = np.sort(np.roots([4.0, 0.0, -4.0, TWO_MINIMA_TILT]).real)  # 4x^3 - 4x + 0.3 = 0
    return [(float(roots[0]), 0.0), (float(roots[2]), 0.0)]  # global, local; roots[1] is the ridge


# --- an ill-conditioned ravine and Rosenbrock's banana -----------------------------------------------------
def ravine(p):
    """An ill-conditioned bowl (x**2 + 100 y**2) / 2: 100 times steeper across than along the valley."""
    x, y = _point(p)
    return (x**2 + RAVINE_CONDITION * y**2) / 2


def ravine_grad(p):
    """Gradient of :func:`ravine`: (x, 100 y)."""
    x, y = _point(p)
    return _stack(x, RAVINE_CONDITION * y)


def rosenbrock(p):
    """Rosenbrock's banana (1 - x)**2 + 100 (y - x**2)**2: a curved, flat-bottomed valley, minimum (1, 1)."""
    x, y = _point(p)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(p):
    """Gradient of :func:`rosenbrock`: (-2(1 - x) - 400 x (y - x**2), 200 (y - x**2))."""
    x, y = _point(p)
    return _stack(-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2))


# --- noise -------------------------------------------------------------------------------------------------
def noisy(grad, sigma: float, seed: int = 0):
    """Return a gradient function that adds Gaussian noise of standard deviation ``sigma`` to ``grad``.

    The noise comes from its own generator seeded with ``seed``, so a run with the same wrapper settings is
    reproducible; make a new wrapper for each run you want to compare on equal terms.
    """
    check_callable(grad, "grad")
    sigma = check_real(sigma, "sigma", low=0)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)

    def noisy_grad(p):
        g = np.asarray(grad(p), dtype=float)
        return g + sigma * rng.standard_normal(g.shape)

    return noisy_grad


# name: (f, grad, minima, xlim, ylim); minima lists the global minimum first ([] when there is none).
SURFACES = {
    "saddle": (saddle, saddle_grad, [], (-1.5, 1.5), (-1.5, 1.5)),
    "quartic_saddle": (quartic_saddle, quartic_saddle_grad, [(0.0, -1.0), (0.0, 1.0)], (-1.5, 1.5),
                       (-1.6, 1.6)),
    "two_minima": (two_minima, two_minima_grad, _two_minima_points(), (-1.8, 1.8), (-1.2, 1.2)),
    "ravine": (ravine, ravine_grad, [(0.0, 0.0)], (-2.2, 2.2), (-1.2, 1.2)),
    "rosenbrock": (rosenbrock, rosenbrock_grad, [(1.0, 1.0)], (-2.0, 2.0), (-1.0, 3.0)),
}


# name: (surface in SURFACES, sigma): that surface's gradient plus Gaussian noise of standard deviation sigma.
NOISY_SURFACES = {
    "noisy_ravine": ("ravine", 1.0),
}


def _surface(name):
    if not isinstance(name, str) or name not in SURFACES:
        raise ValueError(f"surface must be one of {sorted(SURFACES)}, got {name!r}")
    return SURFACES[name]


def _limits(lim, name):
    lim = as_float_array(lim, name, shape=(2,))
    if not lim[0] < lim[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got ({lim[0]}, {lim[1]})")
    return float(lim[0]), float(lim[1])


def plot_paths(surface: str, paths: dict, *, ax=None, title: str | None = None, levels: int = 30,
               resolution: int = 200, xlim=None, ylim=None, styles: dict | None = None):
    """Draw the contours of a surface from ``SURFACES`` and each optimizer's path on it; return the axes.

    Each path starts at a dot and ends at a cross of its own colour.

    Args:
        surface: a name in ``SURFACES`` (its limits and minima are drawn too).
        paths: ``{label: path}``, each path an array of shape (n, 2) as returned by ``optimizers.run``.
        ax: the axes to draw on; a new figure when ``None``.
        title: the axes title (the surface's name when ``None``).
        levels: the number of contour lines (spaced by quantiles of the values, so that flat valleys and
            steep walls both get lines).
        resolution: grid points along each axis.
        xlim, ylim: ``(low, high)`` to zoom in or out (the surface's own limits when ``None``).
        styles: ``{label: dict of matplotlib line settings}`` for some of the paths, e.g.
            ``{"stalled": dict(ls="--", lw=3)}`` to keep a path visible under another one.
    """
    import matplotlib.pyplot as plt

    f, _, minima, default_xlim, default_ylim = _surface(surface)
    x0, x1 = default_xlim if xlim is None else _limits(xlim, "xlim")
    y0, y1 = default_ylim if ylim is None else _limits(ylim, "ylim")
    if not isinstance(paths, dict):
        raise TypeError(f"paths must be a dict {{label: path}}, got {type(paths).__name__}")
    levels = check_int(levels, "levels", minimum=2, maximum=200)
    resolution = check_int(resolution, "resolution", minimum=10, maximum=1000)
    checked = {label: as_float_array(path, f"paths[{label!r}]", shape=(None, 2))
               for label, path in paths.items()}
    styles = {} if styles is None else styles
    if not isinstance(styles, dict):
        raise TypeError(f"styles must be a dict {{label: dict of line settings}} or None, got {type(styles).__name__}")
    for label, style in styles.items():
        if label not in checked:
            raise ValueError(f"styles has a label {label!r} that is not in paths {list(checked)}")
        if not isinstance(style, dict):
            raise TypeError(f"styles[{label!r}] must be a dict of line settings, got {type(style).__name__}")

    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    zz = f(np.stack([gx, gy], axis=-1))
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 4.0))
    ax.contour(gx, gy, zz, levels=np.unique(np.quantile(zz, np.linspace(0, 1, levels) ** 1.5)),
               colors="0.6", linewidths=0.6, linestyles="solid")
    for i, (label, path) in enumerate(checked.items()):
        color = COLORS[i % len(COLORS)]
        line = {"color": color, "lw": 1.4, "ls": "-", "alpha": 0.9, **styles.get(label, {})}
        ax.plot(path[:, 0], path[:, 1], label=label, **line)
        ax.plot(path[0, 0], path[0, 1], "o", color=line["color"], ms=5)
        ax.plot(path[-1, 0], path[-1, 1], "X", color=line["color"], ms=8, mec="white", mew=0.8)
    for mx, my in minima:
        ax.plot(mx, my, "*", color="k", ms=11)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(surface if title is None else title)
    if checked:
        ax.legend(loc="best", fontsize=8)
    return ax


def steps_to_tolerance(path, surface: str, tol: float = 1e-3):
    """The first step at which ``path`` is within ``tol`` (Euclidean distance) of a GLOBAL minimum of the
    surface, or ``None`` if it never gets there (stuck, too slow, in a local minimum, or diverged).

    ``path`` may also be the (steps + 1, runs, 2) paths of ``optimizers.run_many``; the answer is then a list
    with one entry per run."""
    f, _, minima, _, _ = _surface(surface)
    if not minima:
        raise ValueError(f"surface {surface!r} has no minimum to reach")
    path = as_float_array(path, "path", ndim=(2, 3), finite=False)
    if path.shape[-1] != 2:
        raise ValueError(f"path must have shape (steps, 2) or (steps, runs, 2), got {path.shape}")
    tol = check_real(tol, "tol", low=0, low_open=True)
    best = min(f(m) for m in minima)
    targets = np.array([m for m in minima if f(m) <= best + 1e-12])  # every minimum as low as the lowest
    with np.errstate(over="ignore", invalid="ignore"):
        distance = np.min(np.linalg.norm(path[..., None, :] - targets, axis=-1), axis=-1)
        near = distance <= tol  # NaN (a diverged run) is never near
    first = [int(np.argmax(column)) if column.any() else None for column in near.reshape(len(near), -1).T]
    return first[0] if path.ndim == 2 else first


def race(optimizers: dict, starts: dict, *, steps: int = 2000, tol=1e-3, seed: int = 0):
    """Run every optimizer on every surface and return a pandas DataFrame of steps to reach ``tol``.

    Args:
        optimizers: ``{label: {surface: step function}}``, so that each optimizer may use a learning rate
            suited to each surface (as one would tune it in practice). Every label needs every surface in
            ``starts``.
        starts: ``{surface: start point}``; a surface is a name in ``SURFACES`` or in ``NOISY_SURFACES``.
            A noisy surface gets a fresh ``noisy(grad, sigma, seed)`` wrapper for every run, so every
            optimizer meets the same noise, and counts as arrived within ``tol`` of the noise-free minimum.
        steps: the most steps each run may take.
        tol: distance to the global minimum that counts as arrived: one number, or ``{surface: number}``
            for every surface in ``starts`` (a noisy surface needs a looser one: the noise never lets a run
            settle exactly).
        seed: the seed of the noise on noisy surfaces.

    Returns:
        A DataFrame with one row per optimizer and one column per surface, holding the step count as a
        nullable integer (``<NA>`` where the run did not get there within ``steps``).
    """
    import pandas as pd

    from .optimizers import run

    if not isinstance(optimizers, dict) or not isinstance(starts, dict):
        raise TypeError(f"optimizers and starts must be dicts, got {type(optimizers).__name__} and "
                        f"{type(starts).__name__}")
    steps = check_int(steps, "steps", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    base = {}  # surface -> (surface in SURFACES, sigma or None)
    for surface in starts:
        if isinstance(surface, str) and surface in NOISY_SURFACES:
            base[surface] = NOISY_SURFACES[surface]
        elif isinstance(surface, str) and surface in SURFACES:
            base[surface] = (surface, None)
        else:
            raise ValueError(f"starts has a surface {surface!r}; expected one of {sorted(SURFACES)} or "
                             f"{sorted(NOISY_SURFACES)}")
        if not SURFACES[base[surface][0]][2]:
            raise ValueError(f"surface {surface!r} has no minimum to reach, so it cannot be raced")
    if isinstance(tol, dict):
        if set(tol) != set(starts):
            raise ValueError(f"tol must give a tolerance for each surface in starts {sorted(starts)}, "
                             f"got one for {sorted(tol)}")
        tols = {s: check_real(t, f"tol[{s!r}]", low=0, low_open=True) for s, t in tol.items()}
    else:
        tol = check_real(tol, "tol", low=0, low_open=True)
        tols = dict.fromkeys(starts, tol)
    for label, per_surface in optimizers.items():
        if not isinstance(per_surface, dict):
            raise TypeError(f"optimizers[{label!r}] must be a dict {{surface: step function}}, "
                            f"got {type(per_surface).__name__}")
        missing = [s for s in starts if s not in per_surface]
        if missing:
            raise ValueError(f"optimizers[{label!r}] has no step function for surface(s) {missing}; "
                             "it needs one for every surface in starts")
    table = {}
    for label, per_surface in optimizers.items():
        row = {}
        for surface, start in starts.items():
            name, sigma = base[surface]
            grad = SURFACES[name][1] if sigma is None else noisy(SURFACES[name][1], sigma, seed)
            row[surface] = steps_to_tolerance(run(per_surface[surface], grad, start, steps), name, tols[surface])
        table[label] = row
    return pd.DataFrame.from_dict(table, orient="index").astype("Int64")


def sweep(optimizer: str, rates, surface: str, start, *, steps: int = 1500, tol: float = 1e-3, **hyper):
    """Steps to come within ``tol`` of the surface's global minimum, for every learning rate in ``rates``.

    All the runs go at once (``optimizers.run_many`` with one learning rate per run), from the same start.

    Args:
        optimizer: a name in ``optimizers.OPTIMIZERS``, such as ``"momentum"``.
        rates: the learning rates, a 1-D array of positive numbers.
        surface: a name in ``SURFACES`` that has a minimum.
        start: the starting point (x, y).
        steps: the most steps each run may take.
        tol: the distance that counts as arrived.
        hyper: the optimizer's other hyper-parameters, e.g. ``momentum=0.9``.

    Returns:
        A float array, one entry per rate: the step count, NaN where the run did not arrive (too slow, or
        diverged).
    """
    from .optimizers import make_optimizer, run_many

    rates = as_float_array(rates, "rates", ndim=1, min_size=1)
    if np.any(rates <= 0):
        raise ValueError(f"rates must all be > 0, got {rates.min()}")
    _, grad, minima, _, _ = _surface(surface)
    if not minima:
        raise ValueError(f"surface {surface!r} has no minimum to reach")
    start = as_float_array(start, "start", shape=(2,))
    steps = check_int(steps, "steps", minimum=1)
    step = make_optimizer(optimizer, learning_rate=rates[:, None], **hyper)
    paths = run_many(step, grad, np.tile(start, (len(rates), 1)), steps)
    arrived = steps_to_tolerance(paths, surface, tol)
    return np.array([np.nan if k is None else float(k) for k in arrived])


# --- the loss of a small network, as a surface for full-batch optimizers ---------------------------------
def _net_shapes(theta, X):
    theta = as_float_array(theta, "theta", ndim=1)
    X = as_float_array(X, "X", ndim=2, min_size=1)
    d = X.shape[1]
    hidden, rest = divmod(theta.size - 1, d + 2)
    if rest or hidden < 1:
        raise ValueError(f"theta must hold (d + 2) * hidden + 1 numbers for d = {d} inputs (W1, b1, W2, b2), "
                         f"got {theta.size}")
    return theta, X, d, hidden


def _net_unpack(theta, d, hidden):
    W1 = theta[: d * hidden].reshape(d, hidden)
    b1 = theta[d * hidden : (d + 1) * hidden]
    W2 = theta[(d + 1) * hidden : (d + 2) * hidden]
    return W1, b1, W2, theta[-1]


def _net_hidden(X, W1, b1):
    # X @ W1 written as a sum over the few inputs: NumPy's BLAS would start threads for this tiny product,
    # which costs ten times the work itself on a busy machine
    return np.tanh(sum(X[:, [i]] * W1[i] for i in range(X.shape[1])) + b1)


def net_init(n_inputs: int, hidden: int, seed: int) -> np.ndarray:
    """Glorot-uniform weights and zero biases (Keras's ``Dense`` defaults) for :func:`net_loss`, as one flat
    vector ``[W1 (n_inputs x hidden, row by row), b1, W2, b2]``, drawn from ``default_rng(seed)``."""
    n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
    hidden = check_int(hidden, "hidden", minimum=1)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    w1 = rng.uniform(-1, 1, n_inputs * hidden) * np.sqrt(6 / (n_inputs + hidden))
    w2 = rng.uniform(-1, 1, hidden) * np.sqrt(6 / (hidden + 1))
    return np.concatenate([w1, np.zeros(hidden), w2, [0.0]])


def net_predict(theta, X) -> np.ndarray:
    """The probability that each row of ``X`` is class 1, for the network ``theta`` (see :func:`net_init`)."""
    theta, X, d, hidden = _net_shapes(theta, X)
    W1, b1, W2, b2 = _net_unpack(theta, d, hidden)
    z = _net_hidden(X, W1, b1) @ W2 + b2
    return 0.5 * (1 + np.tanh(z / 2))  # the sigmoid, without overflow for large |z|


def net_loss(theta, X, y, *, penalty: float = 0.0):
    """The mean binary cross-entropy of the network ``theta`` on ``(X, y)`` plus ``penalty / 2 * |theta|**2``,
    and its gradient: ``(loss, gradient)``, as ``scipy.optimize.minimize(..., jac=True)`` expects.

    The network: ``p = sigmoid(tanh(X @ W1 + b1) @ W2 + b2)``, one hidden layer of tanh units (as
    notebook 06's Keras network). The gradient is backpropagation (notebook 04), checked in the tests
    against ``tf.GradientTape``.
    """
    theta, X, d, hidden = _net_shapes(theta, X)
    y = as_float_array(y, "y", shape=(len(X),))
    penalty = check_real(penalty, "penalty", low=0)
    W1, b1, W2, b2 = _net_unpack(theta, d, hidden)
    A = _net_hidden(X, W1, b1)
    z = A @ W2 + b2
    loss = np.mean(np.logaddexp(0, z) - y * z)  # cross-entropy from the logit z, without overflow
    dz = (0.5 * (1 + np.tanh(z / 2)) - y) / len(y)  # (sigmoid(z) - y) / n
    dA = dz[:, None] * W2 * (1 - A**2)
    grad = np.concatenate([(X.T[:, :, None] * dA).sum(axis=1).ravel(), dA.sum(axis=0), dz @ A, [dz.sum()]])
    return float(loss + penalty / 2 * theta @ theta), grad + penalty * theta


def minimize_net(theta, X, y, *, penalty: float = 0.0, max_steps: int = 5000, gtol: float = 1e-8):
    """Train the network ``theta`` on ``(X, y)`` with scipy's L-BFGS, full batch, until no coordinate of the
    gradient of :func:`net_loss` exceeds ``gtol`` in size (or ``max_steps`` steps).

    L-BFGS estimates the curvature from its last few gradients and takes Newton-like steps, so on a small,
    smooth, full-batch problem it settles on a minimum to many digits, which a constant learning rate does
    not. Returns ``(theta, losses)``: the final parameters and the loss after each step.
    """
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    theta, X, _, _ = _net_shapes(theta, X)
    y = as_float_array(y, "y", shape=(len(X),))
    penalty = check_real(penalty, "penalty", low=0)
    max_steps = check_int(max_steps, "max_steps", minimum=1)
    gtol = check_real(gtol, "gtol", low=0, low_open=True)
    losses = []

    def loss_and_grad(t):
        return net_loss(t, X, y, penalty=penalty)

    # one BLAS thread: L-BFGS works on vectors of 65 numbers, and waking a second thread for each costs far
    # more than the arithmetic (ten times the CPU time on a busy two-core machine)
    with threadpool_limits(limits=1, user_api="blas"):
        result = minimize(loss_and_grad, theta, jac=True, method="L-BFGS-B",
                          callback=lambda intermediate_result: losses.append(intermediate_result.fun),
                          options={"maxiter": max_steps, "gtol": gtol, "ftol": 0.0})
    return result.x, np.array(losses)


def match_units(reference, other, n_inputs: int):
    """``other`` with its hidden units reordered (and sign-flipped) to best match those of ``reference``.

    Swapping two hidden units (their incoming weights, bias and outgoing weight together) does not change
    what the network computes, and neither does flipping the signs of one unit's three parts, since
    tanh(-z) = -tanh(z). So before two networks' weights are compared, each unit of ``other`` is paired with
    a unit of ``reference`` (the pairing that minimises the summed squared differences, by the Hungarian
    algorithm) and flipped if that brings it closer. The result computes exactly what ``other`` computes.
    """
    from scipy.optimize import linear_sum_assignment

    n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
    reference, _, d, hidden = _net_shapes(reference, np.zeros((1, n_inputs)))
    other = as_float_array(other, "other", shape=reference.shape)

    def units(theta):  # one row per hidden unit: its incoming weights, bias and outgoing weight
        W1, b1, W2, _ = _net_unpack(theta, d, hidden)
        return np.column_stack([W1.T, b1, W2])

    ref_units, other_units = units(reference), units(other)
    same = ((ref_units[:, None] - other_units[None]) ** 2).sum(axis=2)
    flipped = ((ref_units[:, None] + other_units[None]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(np.minimum(same, flipped))
    sign = np.where(flipped[rows, cols] < same[rows, cols], -1.0, 1.0)
    matched = other_units[cols] * sign[:, None]
    return np.concatenate([matched[:, :d].T.ravel(), matched[:, d], matched[:, d + 1], [other[-1]]])
