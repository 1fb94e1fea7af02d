"""Gradient descent: the update rule, and batch, stochastic and mini-batch training (taught in notebook 05).

- :func:`gradient_descent` repeats the update ``w <- w - learning_rate * dL/dw`` on any differentiable loss
  (notebook 05 runs it on a one-dimensional U-shaped loss).
- :func:`linear_mse` and :func:`linear_mse_grad` are the problem the variants are compared on: the mean
  squared error of a linear model ``X @ w + b`` and its gradient. They are the test problem, not a loss
  library (the losses themselves are notebook 03's topic).
- :func:`minibatch_gradient_descent` is batch, stochastic and mini-batch gradient descent in ONE function:
  ``batch_size=n`` is batch gradient descent, ``batch_size=1`` is stochastic gradient descent, anything in
  between is mini-batch gradient descent.
- :func:`updates_per_epoch` and :func:`iterations` count what an epoch and an iteration are.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .validation import as_float_array, check_bool, check_callable, check_int, check_real

__all__ = [
    "gradient_descent",
    "linear_mse",
    "linear_mse_grad",
    "minibatch_gradient_descent",
    "updates_per_epoch",
    "iterations",
]


def gradient_descent(grad, w0, learning_rate, steps):
    """Plain gradient descent: ``w_new = w_old - learning_rate * grad(w_old)``, ``steps`` times.

    Args:
        grad: the gradient of the loss, a function from ``w`` to an array of the same shape.
        w0: the starting point, a number or an array of finite numbers.
        learning_rate: the step size, a positive number.
        steps: how many updates, an integer >= 0.

    Returns:
        the iterates ``w_0, w_1, ..., w_steps`` stacked in one array of shape ``(steps + 1, *w0.shape)``.
        A learning rate that is too large makes them grow without bound (they may reach ``inf``): that is
        divergence, and it is returned, not hidden.
    """
    check_callable(grad, "grad")
    w = as_float_array(w0, "w0")
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    steps = check_int(steps, "steps", minimum=0)
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            slope = np.asarray(grad(w), dtype=float)
            if slope.shape != w.shape:
                raise ValueError(f"grad(w) must have the shape of w0 {w.shape}, got {slope.shape}")
            w = w - learning_rate * slope  # the whole algorithm is this line
            path.append(w.copy())
    return np.stack(path)


def _check_problem(X, y):
    X = as_float_array(X, "X", ndim=2, min_size=1)
    y = as_float_array(y, "y", ndim=1, min_size=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have one row per example: X has {X.shape[0]} rows (shape {X.shape}), "
            f"y has {y.shape[0]} values"
        )
    return X, y


def _check_theta(theta, X, name="theta", ndim_any=False):
    expected = X.shape[1] + 1
    theta = as_float_array(theta, name, ndim=None if ndim_any else 1)
    if theta.ndim == 0 or theta.shape[-1] != expected:
        raise ValueError(
            f"{name} must hold the {X.shape[1]} weight(s) and then the bias ({expected} values in its last "
            f"axis), got shape {theta.shape}"
        )
    return theta


def linear_mse(theta, X, y):
    """Mean squared error of the linear model ``X @ w + b``: ``mean((X @ w + b - y) ** 2)``.

    ``theta`` holds the weights then the bias: shape ``(d + 1,)`` for ``X`` of shape ``(n, d)``. It may also
    be a stack of parameter vectors, shape ``(..., d + 1)``, to evaluate a whole grid at once (for contour
    plots); the result then has shape ``(...)``.
    """
    X, y = _check_problem(X, y)
    theta = _check_theta(theta, X, ndim_any=True)
    predictions = np.einsum("nd,...d->...n", X, theta[..., :-1]) + theta[..., -1:]
    return np.mean((predictions - y) ** 2, axis=-1)


def linear_mse_grad(theta, X, y):
    """Gradient of :func:`linear_mse` with respect to ``theta = (w, b)``, shape ``(d + 1,)``.

    With residuals ``r = X @ w + b - y`` over ``n`` examples:
    ``dL/dw = 2/n X^T r`` and ``dL/db = 2/n sum(r)``.
    """
    X, y = _check_problem(X, y)
    theta = _check_theta(theta, X)
    return _mse_grad(theta, X, y)


def _mse_grad(theta, X, y):
    """:func:`linear_mse_grad` without the argument checks, for the inner loop."""
    r = X @ theta[:-1] + theta[-1] - y  # forward pass: the residuals
    return np.append(2.0 * (X.T @ r) / len(y), 2.0 * r.mean())  # backward pass: the gradient


def updates_per_epoch(n, batch_size):
    """Updates in one epoch (one pass over ``n`` training examples): ``ceil(n / batch_size)``.

    The last batch is smaller when ``batch_size`` does not divide ``n``; it still makes an update.
    """
    n = check_int(n, "n", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    return math.ceil(n / batch_size)


def iterations(n, batch_size, epochs):
    """Iterations (= updates = forward-and-backward passes over one batch) in ``epochs`` epochs."""
    epochs = check_int(epochs, "epochs", minimum=0)
    return epochs * updates_per_epoch(n, batch_size)


def minibatch_gradient_descent(X, y, theta0, learning_rate, batch_size, epochs, *, seed=0, shuffle=True):
    """Batch, stochastic or mini-batch gradient descent on :func:`linear_mse`, chosen by ``batch_size``.

    Each epoch shuffles the examples (with a ``numpy.random.Generator`` seeded by ``seed``) and walks through
    them in batches of ``batch_size``; each batch makes one update with the gradient of the mean loss over
    that batch. ``batch_size=len(y)`` is batch gradient descent (one exact full-gradient step per epoch),
    ``batch_size=1`` is stochastic gradient descent.

    Args:
        X: inputs, shape ``(n, d)``.
        y: targets, shape ``(n,)``.
        theta0: the starting weights then bias, shape ``(d + 1,)``, finite.
        learning_rate: a positive number.
        batch_size: an integer from 1 to n.
        epochs: passes over the training set, an integer >= 1.
        seed: an integer or a ``numpy.random.Generator`` for the shuffling.
        shuffle: ``False`` takes the batches in the data's order every epoch, as
            ``model.fit(shuffle=False)`` does.

    Returns:
        a dict of NumPy arrays and numbers. Per update (``U = epochs * updates_per_epoch`` updates, index 0 is
        the start): ``"theta"`` ``(U + 1, d + 1)``, ``"loss"`` (the loss on the WHOLE training set)
        ``(U + 1,)``, ``"time"`` (seconds spent computing updates so far, bookkeeping excluded) ``(U + 1,)``,
        ``"epoch"`` (epochs done, fractional) ``(U + 1,)``. Per epoch: ``"epoch_theta"``, ``"epoch_loss"``,
        ``"epoch_time"`` (``epochs + 1`` rows). And ``"updates_per_epoch"``, ``"batch_size"``.
    """
    X, y = _check_problem(X, y)
    n = len(y)
    theta = _check_theta(theta0, X, name="theta0").copy()
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    epochs = check_int(epochs, "epochs", minimum=1)
    if isinstance(seed, np.random.Generator):
        rng = seed
    else:
        rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    check_bool(shuffle, "shuffle")

    per_epoch = updates_per_epoch(n, batch_size)
    thetas, losses, times = [theta.copy()], [float(linear_mse(theta, X, y))], [0.0]
    elapsed = 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n) if shuffle else np.arange(n)
            for start in range(0, n, batch_size):
                tic = time.perf_counter()
                batch = order[start:start + batch_size]
                grad = _mse_grad(theta, X[batch], y[batch])  # forward and backward pass on the batch
                theta = theta - learning_rate * grad  # one update = one iteration
                elapsed += time.perf_counter() - tic
                thetas.append(theta.copy())
                losses.append(float(np.mean((X @ theta[:-1] + theta[-1] - y) ** 2)))  # bookkeeping
                times.append(elapsed)
    thetas, losses, times = np.array(thetas), np.array(losses), np.array(times)
    every = slice(0, None, per_epoch)
    return {
        "theta": thetas,
        "loss": losses,
        "time": times,
        "epoch": np.arange(len(losses)) / per_epoch,
        "epoch_theta": thetas[every],
        "epoch_loss": losses[every],
        "epoch_time": times[every],
        "updates_per_epoch": per_epoch,
        "batch_size": batch_size,
    }
