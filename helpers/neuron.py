"""A neuron, a dense layer and the perceptron learning rule (taught in notebook 01).

NumPy in, NumPy out. ``dense`` is the layer every later notebook builds on: notebook 04's from-scratch
network is a stack of them.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, sigmoid, step
from .validation import as_float_array, check_callable, check_int, check_real

__all__ = ["neuron", "dense", "count_parameters", "perceptron_fit", "perceptron_predict", "glorot_uniform",
           "train_small_networks"]


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

    ``x`` and ``w`` hold n numbers each, ``b`` is one number, and ``activation`` is ``None`` (the identity),
    a name such as ``"sigmoid"`` or a function.
    """
    x, w, b, f = _neuron_arguments(x, w, b, activation)  # plumbing: clear errors for bad arguments
    z = np.dot(w, x) + b  # the weighted sum
    return f(z)


def _neuron_arguments(x, w, b, activation):
    x = as_float_array(x, "x", ndim=1, min_size=1)
    w = as_float_array(w, "w", ndim=1)
    if w.shape != x.shape:
        raise ValueError(f"w must have one weight per input: x has shape {x.shape}, w has shape {w.shape}")
    f = _activation(activation)
    return x, w, check_real(b, "b"), lambda z: _one_number(f(float(z)), float(z))


def dense(X, W, b, activation=None):
    """A dense (fully connected) layer on a batch: ``activation(X @ W + b)``.

    Shapes: ``X`` is ``(n_samples, n_in)``, ``W`` is ``(n_in, n_out)`` (one column per neuron, the layout
    Keras uses for ``Dense.kernel``), ``b`` is ``(n_out,)``; the result is ``(n_samples, n_out)``.
    """
    X, W, b, f = _dense_arguments(X, W, b, activation)  # plumbing: the shapes above, or a clear error
    return f(X @ W + b)


def _dense_arguments(X, W, b, activation):
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
    return X, W, b, _activation(activation)


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
    """Rosenblatt's perceptron rule, one example at a time, from zero weights; ``epochs`` passes at most.

    Returns ``(w, b, mistakes)``, with ``mistakes[k]`` the number of wrong predictions during pass ``k``;
    it stops after a pass without a mistake.
    """
    X, y, learning_rate, epochs = _perceptron_arguments(X, y, learning_rate, epochs)  # plumbing
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


def _perceptron_arguments(X, y, learning_rate, epochs):
    X = as_float_array(X, "X", ndim=2, min_size=1)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only 0 and 1, got values {sorted(set(np.unique(y).tolist()))}")
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    return X, y, learning_rate, check_int(epochs, "epochs", minimum=1)


def glorot_uniform(n_in: int, n_out: int, rng) -> np.ndarray:
    """Random starting weights of shape ``(n_in, n_out)``, uniform in ``+-sqrt(6 / (n_in + n_out))``: the
    distribution ``keras.layers.Dense`` draws its kernel from by default (notebook 04 explains the choice)."""
    n_in = check_int(n_in, "n_in", minimum=1)
    n_out = check_int(n_out, "n_out", minimum=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def train_small_networks(X, y, *, hidden: int = 4, runs: int = 100, epochs: int = 60,
                         learning_rate: float = 0.2, seed: int = 0, weights=None):
    """Train ``runs`` copies of one small Keras network from different random starts, all at once in NumPy.

    The network is notebook 01's preview (the training itself is what notebooks 03 to 06 teach)::

        model = keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(hidden, activation="tanh"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
        model.fit(X, y, epochs=epochs, batch_size=len(X))

    and this function does the same arithmetic (the mean binary cross-entropy of the whole batch, its
    gradient, and Keras's Adam update with its defaults ``beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7``)
    for every run side by side: tests/test_neuron.py holds it to ``model.fit`` started from the same weights.
    Each run starts from Glorot-uniform weights (as Keras draws them) and zero biases, drawn with ``seed``,
    unless ``weights = (W1, b1, W2, b2)`` gives the starts, with shapes ``(runs, n_in, hidden)``,
    ``(runs, hidden)``, ``(runs, hidden, 1)`` and ``(runs, 1)``.

    Returns a dict: ``"p"`` the final probabilities, shape ``(runs, n_samples)``; ``"loss"`` the loss of each
    epoch as Keras logs it (before that epoch's update), shape ``(runs, epochs)``; ``"weights"`` the final
    ``(W1, b1, W2, b2)``.
    """
    X = as_float_array(X, "X", ndim=2, min_size=1)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only 0 and 1, got values {sorted(set(np.unique(y).tolist()))}")
    hidden = check_int(hidden, "hidden", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    seed = check_int(seed, "seed", minimum=0)
    n, n_in = X.shape
    shapes = [(runs, n_in, hidden), (runs, hidden), (runs, hidden, 1), (runs, 1)]
    if weights is None:
        rng = np.random.default_rng(seed)
        params = []
        for _ in range(runs):
            params.append([glorot_uniform(n_in, hidden, rng), np.zeros(hidden), glorot_uniform(hidden, 1, rng),
                           np.zeros(1)])
        params = [np.stack([run[k] for run in params]) for k in range(4)]
    else:
        if not isinstance(weights, (list, tuple)) or len(weights) != 4:
            raise TypeError(f"weights must be a tuple (W1, b1, W2, b2), got {type(weights).__name__}")
        params = [as_float_array(w, f"weights[{k}]", shape=s).copy() for k, (w, s) in enumerate(zip(weights, shapes))]

    def forward(params):
        W1, b1, W2, b2 = params
        H = np.tanh(X @ W1 + b1[:, None, :])  # (runs, n, hidden)
        return H, (H @ W2)[:, :, 0] + b2  # the output's weighted sum z, (runs, n)

    beta_1, beta_2, epsilon = 0.9, 0.999, 1e-7
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    losses = np.empty((runs, epochs))
    for t in range(1, epochs + 1):
        H, z = forward(params)
        losses[:, t - 1] = np.mean(np.logaddexp(0.0, z) - y * z, axis=1)  # binary cross-entropy from z
        dz = (sigmoid(z) - y) / n  # its derivative for the sigmoid's input z
        dH = dz[:, :, None] * np.swapaxes(params[2], 1, 2) * (1.0 - H * H)
        grads = [X.T @ dH, dH.sum(axis=1), np.swapaxes(H, 1, 2) @ dz[:, :, None], dz.sum(axis=1, keepdims=True)]
        step_size = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        for k, g in enumerate(grads):  # Keras's Adam
            m[k] += (g - m[k]) * (1 - beta_1)
            v[k] += (g * g - v[k]) * (1 - beta_2)
            params[k] -= step_size * m[k] / (np.sqrt(v[k]) + epsilon)
    return {"p": sigmoid(forward(params)[1]), "loss": losses, "weights": tuple(params)}
