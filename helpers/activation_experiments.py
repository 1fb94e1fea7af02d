"""What notebook 02 (activation functions) measures on a network: per-layer gradient norms, the dead-unit
fraction, and the one figure style for "a function beside its gradient".

The network itself is ``helpers.mlp``, the from-scratch NumPy network that notebook 04 teaches (parameters
``{"W1": ..., "b1": ..., ...}``, one activation name per layer, losses from ``helpers.losses.LOSSES``);
notebook 02 uses it as a tool. Every function takes and returns NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from . import mlp
from .activations import ACTIVATIONS
from .validation import as_float_array, check_choice

__all__ = ["layer_gradient_norms", "dead_unit_fraction", "plot_with_gradient"]


def _activation(name: str, what: str):
    check_choice(name, what, ACTIVATIONS)
    return ACTIVATIONS[name]


def layer_gradient_norms(params, X, y, activations, loss: str = "mse"):
    """The Frobenius norm of the loss gradient for each layer's weight matrix, first layer first.

    The arguments are those of ``helpers.mlp.forward`` and ``helpers.mlp.backward``, which compute the
    gradients. A deep network whose first entries are orders of magnitude below its last has vanishing
    gradients: the layers near the input barely learn.
    """
    _, cache = mlp.forward(params, X, activations)
    grads = mlp.backward(params, cache, y, loss)
    return np.array([np.linalg.norm(grads[f"W{layer}"]) for layer in range(1, len(activations) + 1)])


def dead_unit_fraction(Z) -> float:
    """The fraction of units (columns of the pre-activations ``Z``, shape ``(n_examples, n_units)``) that
    are not positive for any example. A ReLU unit like that outputs 0 and gets a zero gradient on every
    example, so gradient descent can never revive it: it is dead."""
    Z = as_float_array(Z, "Z", ndim=2, min_size=1)
    return float(np.mean(np.all(Z <= 0, axis=0)))


def plot_with_gradient(curves, *, x=None, title: str | None = None, axes=None):
    """Draw activation functions on the left and their derivatives on the right, in the course's style.

    Args:
        curves: a dict ``{label: (f, f_grad)}``, or a list of names in ``ACTIVATIONS``.
        x: the inputs to draw over (default: 401 points from -5 to 5).
        title: the figure's title (default: the labels joined by commas).
        axes: a pair of matplotlib axes to draw on; a new 1 x 2 figure when ``None``.

    Returns the pair of axes ``(ax_f, ax_grad)``, so that a notebook can mark the points that matter.
    """
    import matplotlib.pyplot as plt

    from .plots import plot

    if isinstance(curves, (list, tuple)):
        curves = {name: _activation(name, "curves entry") for name in curves}
    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"curves must be a non-empty dict {{label: (f, f_grad)}} or list of names, got {curves!r}"
        )
    for label, pair in curves.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(callable(g) for g in pair)):
            raise TypeError(
                f"curves[{label!r}] must be a pair (f, f_grad) of functions, got {pair!r} (type {type(pair).__name__})"
            )
    x = np.linspace(-5, 5, 401) if x is None else as_float_array(x, "x", ndim=1, min_size=2)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8.4, 3.2))
    ax_f, ax_g = axes
    labels = list(curves)
    plot(x, [np.asarray(f(x), dtype=float) for f, _ in curves.values()], labels=labels, xlabel="$x$",
         ylabel="$f(x)$", title="function", ax=ax_f)
    plot(x, [np.asarray(g(x), dtype=float) for _, g in curves.values()], labels=labels, xlabel="$x$",
         ylabel="$f'(x)$", title="derivative", ax=ax_g)
    for ax in axes:
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
    ax_f.figure.suptitle(title if title is not None else ", ".join(labels), fontsize=12)
    return ax_f, ax_g
