"""Gradient descent: the update rule, and batch, stochastic and mini-batch training (taught in notebook 05).

- :func:`gradient_descent` repeats the update ``w <- w - learning_rate * dL/dw`` on any differentiable loss
  (notebook 05 runs it on a one-dimensional U-shaped loss).
- :func:`linear_mse` and :func:`linear_mse_grad` are the problem the variants are compared on: the mean
  squared error of a linear model ``X @ w + b`` and its gradient. They are the test problem, not a loss
  library (the losses themselves are notebook 03's topic).
- :func:`minibatch_gradient_descent` is batch, stochastic and mini-batch gradient descent in ONE function:
  ``batch_size=n`` is batch gradient descent, ``batch_size=1`` is stochastic gradient descent, anything in
  between is mini-batch gradient descent.
- :func:`epoch_batches` cuts one epoch into batches (a shuffled order, the last batch ragged);
  :func:`updates_per_epoch` and :func:`iterations` count what an epoch and an iteration are.
- :func:`minibatch_runs` repeats :func:`minibatch_gradient_descent` over many shuffling seeds at once, and
  :func:`steps_to_reach` runs gradient descent at many learning rates at once: plumbing for experiments
  that must be repeated before they conclude anything.
- :func:`line_data` makes the notebook's data: noisy points around a straight line.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .validation import as_float_array, check_bool, check_callable, check_int, check_real

__all__ = [
    "gradient_descent",
    "line_data",
    "linear_mse",
    "linear_mse_grad",
    "epoch_batches",
    "minibatch_gradient_descent",
    "minibatch_runs",
    "updates_per_epoch",
    "iterations",
    "steps_to_reach",
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


def line_data(n=200, seed=0):
    """Noisy points around the line ``y = 3 x + 2`` (notebook 05's regression problem).

    ``x`` is drawn from a normal distribution with mean 1 and standard deviation 1, and ``y = 3 x + 2`` plus
    normal noise of standard deviation 1, with a generator seeded by ``seed``, so the same call always gives
    the same data. Returns ``X`` of shape ``(n, 1)`` (one feature per row) and ``y`` of shape ``(n,)``.
    """
    n = check_int(n, "n", minimum=2)
    gen = np.random.default_rng(check_int(seed, "seed", minimum=0))
    x = gen.normal(1.0, 1.0, size=n)
    y = 3.0 * x + 2.0 + gen.normal(0.0, 1.0, size=n)
    return x[:, None], y


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


def epoch_batches(n, batch_size, rng=None):
    """The batches of one epoch over ``n`` examples: a list of index arrays that together hold every index
    from 0 to ``n - 1`` exactly once.

    The order is ``rng.permutation(n)`` (a shuffle; ``rng`` is a ``numpy.random.Generator``), or ``0, 1, ...,
    n - 1`` when ``rng`` is ``None``. It is cut into consecutive batches of ``batch_size`` indices; when
    ``batch_size`` does not divide ``n`` the last batch is smaller (ragged), and it is kept: there are
    ``updates_per_epoch(n, batch_size)`` batches.
    """
    n = check_int(n, "n", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


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
            for batch in epoch_batches(n, batch_size, rng if shuffle else None):  # shuffled, last one ragged
                tic = time.perf_counter()
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


def minibatch_runs(X, y, theta0, learning_rate, batch_size, epochs, seeds):
    """:func:`minibatch_gradient_descent` once per shuffling seed, all seeds at once (vectorised).

    Run ``k`` makes exactly the updates of ``minibatch_gradient_descent(X, y, theta0, learning_rate,
    batch_size, epochs, seed=seeds[k])``; only the per-epoch history is kept. Returns a dict:
    ``"epoch_theta"`` of shape ``(len(seeds), epochs + 1, d + 1)`` and ``"epoch_loss"`` (the loss on the
    whole training set) of shape ``(len(seeds), epochs + 1)``.
    """
    X, y = _check_problem(X, y)
    n = len(y)
    theta = _check_theta(theta0, X, name="theta0")
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    epochs = check_int(epochs, "epochs", minimum=1)
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__len__") or len(seeds) == 0:
        raise TypeError(f"seeds must be a non-empty list of integers, got {seeds!r}")
    gens = [np.random.default_rng(check_int(s, f"seeds[{k}]", minimum=0)) for k, s in enumerate(seeds)]
    thetas = np.tile(theta, (len(gens), 1))  # (S, d + 1): one parameter vector per seed
    history = [thetas.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            orders = np.stack([gen.permutation(n) for gen in gens])  # (S, n), as each run would shuffle
            for start in range(0, n, batch_size):
                batch = orders[:, start:start + batch_size]  # (S, b)
                Xb, yb = X[batch], y[batch]  # (S, b, d), (S, b)
                r = np.einsum("sbd,sd->sb", Xb, thetas[:, :-1]) + thetas[:, -1:] - yb
                grad = np.concatenate([2.0 * np.einsum("sbd,sb->sd", Xb, r) / r.shape[1],
                                       2.0 * r.mean(axis=1, keepdims=True)], axis=1)
                thetas = thetas - learning_rate * grad
            history.append(thetas.copy())
    epoch_theta = np.stack(history, axis=1)
    residuals = np.einsum("nd,sed->sen", X, epoch_theta[..., :-1]) + epoch_theta[..., -1:] - y
    return {"epoch_theta": epoch_theta, "epoch_loss": np.mean(residuals**2, axis=-1)}


def steps_to_reach(grad, w0, target, learning_rates, *, tol=0.05, max_steps=1000):
    """How many gradient-descent steps each learning rate needs to come within ``tol`` of ``target``.

    Runs ``w <- w - learning_rate * grad(w)`` from ``w0`` for all the learning rates at once: ``grad`` gets
    a stack of points, shape ``(len(learning_rates), d)``, and must return their gradients, same shape.
    Returns an integer array, one entry per learning rate: the first step after which the distance to
    ``target`` is below ``tol``, or ``max_steps + 1`` if that never happened (too slow, or diverging).
    """
    check_callable(grad, "grad")
    w0 = as_float_array(w0, "w0", ndim=1, min_size=1)
    target = as_float_array(target, "target", shape=w0.shape)
    rates = as_float_array(learning_rates, "learning_rates", ndim=1, min_size=1)
    if np.any(rates <= 0):
        raise ValueError(f"learning_rates must all be > 0, got {rates[rates <= 0][0]}")
    tol = check_real(tol, "tol", low=0, low_open=True)
    max_steps = check_int(max_steps, "max_steps", minimum=1)
    W = np.tile(w0, (len(rates), 1))
    needed = np.full(len(rates), max_steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, max_steps + 1):
            slopes = np.asarray(grad(W), dtype=float)
            if slopes.shape != W.shape:
                raise ValueError(f"grad must return an array of shape {W.shape}, got {slopes.shape}")
            W = W - rates[:, None] * slopes
            arrived = (np.linalg.norm(W - target, axis=1) < tol) & (needed > max_steps)
            needed[arrived] = step
            if np.all((needed <= max_steps) | ~np.all(np.isfinite(W), axis=1)):
                break
    return needed
