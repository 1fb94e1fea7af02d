"""Plumbing for the experiments of notebook 02 (activation functions): a small NumPy multilayer perceptron,
per-layer gradient norms, the dead-unit fraction, and the one figure style for "a function beside its
gradient".

The network code here is a tool for the experiments, not the lesson: notebook 04 teaches backpropagation
step by step. It is checked against ``tf.GradientTape`` in notebook 02 and in ``tests``. Every function
takes and returns NumPy arrays; a network is a list of ``(W, b)`` pairs, ``W`` of shape ``(fan_in, fan_out)``.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, sigmoid, softplus
from .validation import as_float_array, check_choice, check_int, check_real

__all__ = [
    "init_mlp", "mlp_forward", "mlp_loss_and_gradients", "train_mlp", "layer_gradient_norms",
    "dead_unit_fraction", "plot_with_gradient",
]

INITS = ("glorot", "he")
LOSSES = ("mse", "bce")


def _activation(name: str, what: str):
    check_choice(name, what, ACTIVATIONS)
    return ACTIVATIONS[name]


def _check_params(params) -> list[tuple[np.ndarray, np.ndarray]]:
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"params must be a non-empty list of (W, b) pairs, got {type(params).__name__}")
    checked = []
    for i, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"params[{i}] must be a (W, b) pair, got {type(pair).__name__}")
        W = as_float_array(pair[0], f"params[{i}][0] (W)", ndim=2)
        b = as_float_array(pair[1], f"params[{i}][1] (b)", shape=(W.shape[1],))
        if checked and checked[-1][0].shape[1] != W.shape[0]:
            raise ValueError(
                f"params[{i}][0] (W) must have {checked[-1][0].shape[1]} rows to follow the previous layer, "
                f"got shape {W.shape}"
            )
        checked.append((W, b))
    return checked


def init_mlp(layer_sizes, *, init: str = "glorot", seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random weights and zero biases for a fully connected network with the given layer sizes.

    Args:
        layer_sizes: ``[n_inputs, hidden_1, ..., n_outputs]``, at least two positive integers.
        init: ``"glorot"`` (uniform in +-sqrt(6 / (fan_in + fan_out)), Keras's default) or ``"he"``
            (normal with standard deviation sqrt(2 / fan_in), made for ReLU).
        seed: the seed of the NumPy generator, so the same sizes and seed give the same network.
    """
    if not isinstance(layer_sizes, (list, tuple)) or len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must be a list of at least 2 sizes, got {layer_sizes!r}")
    sizes = [check_int(n, f"layer_sizes[{i}]", minimum=1) for i, n in enumerate(layer_sizes)]
    check_choice(init, "init", INITS)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        if init == "glorot":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        else:
            W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params.append((W, np.zeros(fan_out)))
    return params


def mlp_forward(X, params, activation: str = "relu", output: str = "linear"):
    """Run the network on ``X``; return ``(outputs, Z)`` with ``Z`` the list of every layer's
    pre-activations ``A_prev @ W + b`` (the last entry is the output layer's).

    Args:
        X: ``(n, n_inputs)`` inputs.
        params: list of ``(W, b)``, as :func:`init_mlp` makes.
        activation: the hidden layers' activation, a name in ``helpers.activations.ACTIVATIONS``.
        output: the output layer's activation, also a name in ``ACTIVATIONS``.
    """
    params = _check_params(params)
    f, _ = _activation(activation, "activation")
    f_out, _ = _activation(output, "output")
    A = as_float_array(X, "X", shape=(None, params[0][0].shape[0]))
    Z = []
    for i, (W, b) in enumerate(params):
        z = A @ W + b
        Z.append(z)
        A = np.asarray(f(z) if i < len(params) - 1 else f_out(z), dtype=float)
    return A, Z


def mlp_loss_and_gradients(X, y, params, activation: str = "relu", output: str = "linear", loss: str = "mse"):
    """The loss of the network on ``(X, y)`` and its gradient for every weight and bias.

    ``loss="mse"`` is the mean of the squared errors over all outputs; ``loss="bce"`` is the mean binary
    cross-entropy and needs ``output="sigmoid"`` (it is computed from the logits, so it never takes log 0).
    Returns ``(loss_value, grads)`` with ``grads`` a list of ``(dW, db)`` shaped like ``params``.
    """
    params = _check_params(params)
    check_choice(loss, "loss", LOSSES)
    if loss == "bce" and output != "sigmoid":
        raise ValueError(f"loss='bce' needs output='sigmoid', got output={output!r}")
    X = as_float_array(X, "X", shape=(None, params[0][0].shape[0]))
    out, Z = mlp_forward(X, params, activation, output)
    y = as_float_array(y, "y")
    if y.size != out.size:
        raise ValueError(
            f"y must hold one target per output ({out.size}), got {y.size} values of shape {y.shape}"
        )
    y = y.reshape(out.shape)
    _, grad = ACTIVATIONS[activation]
    if loss == "mse":
        value = float(np.mean((out - y) ** 2))
        dz = 2.0 * (out - y) / out.size * ACTIVATIONS[output][1](Z[-1])
    else:
        value = float(np.mean(np.asarray(softplus(Z[-1])) - y * Z[-1]))
        dz = (np.asarray(sigmoid(Z[-1])) - y) / out.size
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        A_prev = X if i == 0 else np.asarray(ACTIVATIONS[activation][0](Z[i - 1]))
        grads[i] = (A_prev.T @ dz, dz.sum(axis=0))
        if i > 0:
            dz = (dz @ params[i][0].T) * grad(Z[i - 1])
    return value, grads


def train_mlp(X, y, params, activation: str = "relu", *, output: str = "linear", loss: str = "mse",
              learning_rate: float = 0.1, steps: int = 500):
    """Full-batch gradient descent: ``steps`` updates ``param -= learning_rate * gradient``.

    Returns ``(trained_params, losses)``; ``losses[k]`` is the loss before update ``k`` and the last entry
    the loss after the final update. ``params`` itself is not modified.
    """
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    steps = check_int(steps, "steps", minimum=0)
    params = [(W.copy(), b.copy()) for W, b in _check_params(params)]
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run shows up as inf/nan in the losses
        for _ in range(steps):
            value, grads = mlp_loss_and_gradients(X, y, params, activation, output, loss)
            losses.append(value)
            if not np.isfinite(value):
                break
            params = [(W - learning_rate * dW, b - learning_rate * db)
                      for (W, b), (dW, db) in zip(params, grads, strict=True)]
        else:
            losses.append(mlp_loss_and_gradients(X, y, params, activation, output, loss)[0])
    return params, np.array(losses)


def layer_gradient_norms(X, y, params, activation: str = "relu", output: str = "linear", loss: str = "mse"):
    """The Frobenius norm of the loss gradient for each layer's weight matrix, first layer first.

    A deep network whose first entries are orders of magnitude below its last has vanishing gradients:
    the layers near the input barely learn.
    """
    _, grads = mlp_loss_and_gradients(X, y, params, activation, output, loss)
    return np.array([np.linalg.norm(dW) for dW, _ in grads])


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
