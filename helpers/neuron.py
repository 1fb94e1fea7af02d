"""A neuron, a dense layer and the perceptron learning rule (taught in notebook 01).

NumPy in, NumPy out. ``dense`` is the layer every later notebook builds on: notebook 04's from-scratch
network is a stack of them.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, step
from .validation import as_float_array, check_callable, check_int, check_real

__all__ = ["neuron", "dense", "count_parameters", "perceptron_fit", "perceptron_predict"]


def _activation(activation):
    """Turn ``None`` (identity), a name from ``helpers.activations.ACTIVATIONS`` or a function into a function."""
    if activation is None:
        return lambda z: z
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)} or a function, got {activation!r}")
        return ACTIVATIONS[activation][0]
    return check_callable(activation, "activation")


def _one_number(a, z: float) -> float:
    """``a`` as a float, or a ``TypeError`` when the activation returned anything but one real number."""
    try:
        value = np.asarray(a)
    except (TypeError, ValueError):  # a ragged sequence
        value = None
    if value is None or value.size != 1 or value.dtype.kind not in "biuf":
        raise TypeError(
            f"activation must return one number for the weighted sum z = {z}, got {a!r} (type {type(a).__name__})"
        )
    return float(value.reshape(()).astype(float))


def neuron(x, w, b, activation=None):
    """One artificial neuron: the weighted sum ``z = w . x + b``, then ``activation(z)``.

    Args:
        x: the n inputs, shape ``(n,)``.
        w: the n weights, shape ``(n,)``.
        b: the bias, a number.
        activation: ``None`` for the identity, a name such as ``"sigmoid"``, or a function.
    """
    x = as_float_array(x, "x", ndim=1, min_size=1)
    w = as_float_array(w, "w", ndim=1)
    if w.shape != x.shape:
        raise ValueError(f"w must have one weight per input: x has shape {x.shape}, w has shape {w.shape}")
    b = check_real(b, "b")
    z = float(np.dot(w, x) + b)
    return _one_number(_activation(activation)(z), z)


def dense(X, W, b, activation=None):
    """A dense (fully connected) layer on a batch: ``activation(X @ W + b)``.

    Shapes: ``X`` is ``(n_samples, n_in)``, ``W`` is ``(n_in, n_out)`` (one column per neuron, the layout
    Keras uses for ``Dense.kernel``), ``b`` is ``(n_out,)``; the result is ``(n_samples, n_out)``.
    """
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"W must have one row per input feature: X has shape {X.shape} ({X.shape[1]} features), "
            f"W has shape {W.shape}"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b must have one entry per neuron: W has shape {W.shape}, b has shape {b.shape}")
    return _activation(activation)(X @ W + b)


def count_parameters(layer_sizes) -> int:
    """Weights plus biases of a stack of dense layers with the given sizes, input layer first.

    A dense layer from ``n_in`` to ``n_out`` units has ``n_in * n_out`` weights and ``n_out`` biases, so
    ``count_parameters([12, 6, 6, 1])`` (notebook 08's churn network) is
    ``(12*6 + 6) + (6*6 + 6) + (6*1 + 1) = 127``.
    """
    if isinstance(layer_sizes, (str, bytes)):
        sizes = None
    else:
        try:
            sizes = list(layer_sizes)
        except TypeError:
            raise TypeError(
                f"layer_sizes must be a list of layer sizes such as [12, 6, 6, 1], got {layer_sizes!r} "
                f"(type {type(layer_sizes).__name__})"
            ) from None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two layer sizes (input and output), got {layer_sizes!r}")
    sizes = [check_int(s, f"layer_sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def perceptron_predict(X, w, b):
    """The perceptron's output for each row of ``X``: ``step(X @ w + b)``, 0 or 1."""
    X = as_float_array(X, "X", ndim=2)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w must have one weight per column of X: X has shape {X.shape}, w has shape {w.shape}")
    return step(X @ w + check_real(b, "b"))


def perceptron_fit(X, y, learning_rate: float = 1.0, epochs: int = 20):
    """Rosenblatt's perceptron rule, one example at a time, starting from zero weights.

    For each example: ``y_hat = step(w . x + b)``, then ``w += learning_rate * (y - y_hat) * x`` and
    ``b += learning_rate * (y - y_hat)``. The weights only move on a mistake. Stops early after an epoch
    without mistakes.

    Returns:
        ``(w, b, mistakes)`` with ``mistakes[k]`` the number of misclassified examples during epoch ``k``.
    """
    X = as_float_array(X, "X", ndim=2, min_size=1)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only 0 and 1, got values {sorted(set(np.unique(y).tolist()))}")
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    epochs = check_int(epochs, "epochs", minimum=1)

    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        wrong = 0
        for x_i, y_i in zip(X, y):
            error = y_i - step(np.dot(w, x_i) + b)  # -1, 0 or +1
            w += learning_rate * error * x_i
            b += learning_rate * error
            wrong += int(error != 0)
        mistakes.append(wrong)
        if wrong == 0:
            break
    return w, b, mistakes
