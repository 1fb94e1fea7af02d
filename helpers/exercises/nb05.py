"""The checks of notebook 05's exercises (gradient descent). The expected answers are computed here, never shown.

- 05.1 The learning-rate limit of ``L(w) = 3 w^2`` (a value).
- 05.2 Iterations of ``model.fit`` for 1000 examples, ``batch_size=64``, 3 epochs (a value).
- 05.3 ``epoch_batches(n, batch_size, rng)`` (code): the index schedule of one mini-batch epoch, ragged last
  batch included; tried on hidden sizes and seeds and held to the properties of an epoch (every example once,
  full batches then one smaller one, shuffled by the generator it is given).
- 05.4 The learning rate above which batch gradient descent diverges on the notebook's line-fitting problem
  (a value): ``2 / c_max``, computed from ``helpers.gradient_descent.line_data``.
- 05.5 ``cosine_decay(step, initial_learning_rate, decay_steps, alpha)`` (code): the schedule of
  ``keras.optimizers.schedules.CosineDecay`` (without warm-up), on hidden settings, held against
  :func:`reference_cosine_decay` (which ``tests/test_exercises_05.py`` holds against Keras).
"""

from __future__ import annotations

import numpy as np

from .. import exercises
from .. import gradient_descent as gd

__all__ = ["reference_cosine_decay", "line_problem_limit"]

# --- 05.1 ------------------------------------------------------------------------------------------------------
_CURVATURE_1 = 6.0  # L(w) = 3 w^2 has slope 6 w: one step multiplies w by 1 - 6 * rate


@exercises.exercise("05.1", "the learning-rate limit of 3w²")
def _limit_of_3w2(answer, report):
    rate = exercises.as_number(answer, "answer_1")
    limit = 2 / _CURVATURE_1
    if rate <= 0:
        raise exercises.Wrong(f"a learning rate must be positive, got {rate}")
    if abs(rate - limit) <= 1e-3:
        return
    factor = 1 - _CURVATURE_1 * rate
    if np.isclose(rate, 1.0, rtol=1e-3):
        raise exercises.Wrong("1 is the limit for L = w², whose slope is 2w; the slope of 3w² is three times "
                              "steeper, so work out the factor one step multiplies w by again")
    if np.isclose(rate, 1 / _CURVATURE_1, rtol=1e-3):
        raise exercises.Wrong(f"at {rate:.4g} one step multiplies w by 1 - 6 * rate = 0: it lands on the minimum "
                              "in one step. That is the best rate, not the largest that still converges: larger "
                              "rates overshoot but converge while the factor stays above -1")
    if rate > limit:
        raise exercises.Wrong(f"too large: at {rate:.4g} one step multiplies w by 1 - 6 * rate = {factor:.4g}, "
                              "more than 1 in size, so w grows at every step")
    raise exercises.Wrong(f"still converges: at {rate:.4g} one step multiplies w by 1 - 6 * rate = {factor:.4g}, "
                          "smaller than 1 in size, so w still shrinks; the limit is where its size reaches 1")


# --- 05.2 ------------------------------------------------------------------------------------------------------
_N2, _BATCH2, _EPOCHS2 = 1000, 64, 3


@exercises.exercise("05.2", "iterations of model.fit")
def _iterations(answer, report):
    value = exercises.as_number(answer, "answer_2")
    expected = gd.iterations(_N2, _BATCH2, _EPOCHS2)
    if value == expected:
        return
    if value != int(value):
        raise exercises.Wrong(f"{value} is not a whole number: an epoch makes one update per batch, and the batches "
                              "are counted, not divided")
    value = int(value)
    if value == _EPOCHS2 * (_N2 // _BATCH2):
        raise exercises.Wrong("you dropped the ragged last batch: 64 does not divide 1000, and the last, smaller "
                              "batch still makes an update in every epoch")
    if value == _EPOCHS2:
        raise exercises.Wrong("that is the number of epochs; each epoch makes one update per batch")
    if value == gd.updates_per_epoch(_N2, _BATCH2):
        raise exercises.Wrong("that is one epoch's updates; fit runs 3 epochs")
    if value == _N2 * _EPOCHS2:
        raise exercises.Wrong("that many updates would need batch_size=1; with 64 examples a batch there are far "
                              "fewer")
    raise exercises.Wrong("count the batches of one epoch (64 examples each, the last one smaller), then multiply "
                          "by the number of epochs")


# --- 05.3 ------------------------------------------------------------------------------------------------------
_CASES_3 = [(10, 3, 11), (10, 5, 12), (103, 16, 13), (7, 7, 14), (1, 1, 15), (50, 1, 16), (64, 48, 17)]


def _batches_of(answer, n, batch_size, seed):
    got = exercises.call(answer, n, batch_size, np.random.default_rng(seed), name="epoch_batches")
    if isinstance(got, np.ndarray) and got.ndim == 2:
        raise exercises.Wrong(f"epoch_batches({n}, {batch_size}, rng) returned one 2-D array of shape {got.shape}; "
                              "return a list of 1-D index arrays instead, because the last batch may be shorter "
                              "than the others")
    if isinstance(got, (str, bytes, dict)) or not hasattr(got, "__len__"):
        raise exercises.Wrong(f"epoch_batches must return a list of index arrays, one per batch, got "
                              f"{type(got).__name__}")
    batches = []
    for i, batch in enumerate(got):
        arr = np.asarray(batch)
        if arr.ndim != 1 or not (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)):
            raise exercises.Wrong(f"batch {i} of epoch_batches({n}, {batch_size}, rng) is not a 1-D array of "
                                  f"integer indices (got shape {arr.shape}, dtype {arr.dtype}); index arrays are "
                                  "what X[batch] needs")
        batches.append(arr)
    return batches


@exercises.exercise("05.3", "the batches of one epoch")
def _epoch_batches(answer, report):
    for n, batch_size, seed in _CASES_3:
        batches = _batches_of(answer, n, batch_size, seed)
        case = f"epoch_batches({n}, {batch_size}, rng)"
        full, ragged = divmod(n, batch_size)
        sizes = [len(b) for b in batches]
        if any(size == 0 for size in sizes):
            raise exercises.Wrong(f"{case} returned an empty batch (sizes {sizes}); an empty batch would make an "
                                  "update from no examples. When batch_size divides n there is no ragged batch")
        flat = np.concatenate(batches) if batches else np.array([], dtype=int)
        if flat.size and (flat.min() < 0 or flat.max() >= n):
            raise exercises.Wrong(f"{case} holds index {int(flat.max() if flat.max() >= n else flat.min())}, "
                                  f"outside 0 to {n - 1}")
        counts = np.bincount(flat, minlength=n) if flat.size else np.zeros(n, dtype=int)
        if ragged and len(batches) == full and np.all(sizes == np.full(full, batch_size)):
            raise exercises.Wrong(f"{case} returned {full} full batches and dropped the ragged last one: "
                                  f"{ragged} example(s) never take part in the epoch. Keep the smaller last "
                                  "batch, as model.fit does")
        if np.any(counts > 1):
            twice = int(np.flatnonzero(counts > 1)[0])
            raise exercises.Wrong(f"in {case} index {twice} appears {int(counts[twice])} times: an epoch uses every "
                                  "example exactly once, so shuffle (a permutation), do not draw with replacement")
        if np.any(counts == 0):
            missing = np.flatnonzero(counts == 0)
            raise exercises.Wrong(f"{case} never uses {len(missing)} of the {n} examples (index {int(missing[0])}, "
                                  "for one): an epoch is one pass over every example")
        want = [batch_size] * full + ([ragged] if ragged else [])
        if sizes != want:
            raise exercises.Wrong(f"{case} returned batches of sizes {sizes}: every batch but the last must hold "
                                  "batch_size examples, and only the last may be smaller (cut the shuffled order "
                                  "into consecutive pieces)")
        again = _batches_of(answer, n, batch_size, seed)
        if len(again) != len(batches) or not all(np.array_equal(a, b) for a, b in zip(again, batches, strict=True)):
            raise exercises.Wrong(f"two calls of {case} with generators of the same seed gave different epochs: "
                                  "shuffle with the rng you are given (rng.permutation), not np.random, so that "
                                  "a seed makes the run reproducible")
        if n >= 20 and np.array_equal(flat, np.arange(n)):
            raise exercises.Wrong(f"{case} takes the examples in their stored order 0, 1, 2, ...: shuffle them "
                                  "first with rng.permutation(n)")
    report.note(f"tried {len(_CASES_3)} hidden (n, batch_size, seed) settings, ragged and not")


# --- 05.4 ------------------------------------------------------------------------------------------------------
def line_problem_limit(n=200, seed=42) -> float:
    """The largest learning rate at which batch gradient descent on the mean squared error of a line fitted
    to ``gd.line_data(n, seed)`` does not diverge: 2 / c_max, with c_max the curvature of the loss along its
    steepest direction (the largest eigenvalue of ``2 A^T A / n`` for ``A = [X, 1]``)."""
    X, _ = gd.line_data(n, seed)
    A = np.column_stack([X, np.ones(len(X))])
    return float(2 / np.linalg.eigvalsh(2 * A.T @ A / len(A)).max())


@exercises.exercise("05.4", "the regression problem's limit")
def _regression_limit(answer, report):
    rate = exercises.as_number(answer, "answer_4")
    limit = line_problem_limit()
    if rate <= 0:
        raise exercises.Wrong(f"a learning rate must be positive, got {rate}")
    if abs(rate - limit) <= 0.005:
        return
    X, y = gd.line_data(200, 42)
    run = gd.minibatch_gradient_descent(X, y, [-1.0, -2.0], rate, batch_size=len(y), epochs=300)
    start, end = run["loss"][0], run["loss"][-1]
    for factor, cause in ((0.5, "this is where the steepest direction lands on its minimum in one step (factor "
                                "0); rates up to twice as large still converge"),
                          (2.0, "the curvature of a mean squared error is 2 * mean(a^2): did you leave out the 2?")):
        if np.isclose(rate / limit, factor, rtol=0.02):
            raise exercises.Wrong(f"off by a factor of {factor:g}: {cause}")
    if rate > limit:
        raise exercises.Wrong(f"too large: at {rate:.4g}, 300 epochs of batch gradient descent take the loss from "
                              f"{start:.3g} to {end:.3g}; along the steepest direction one step multiplies the "
                              "distance to the minimum by more than 1 in size")
    raise exercises.Wrong(f"still converges: at {rate:.4g}, 300 epochs of batch gradient descent take the loss from "
                          f"{start:.3g} to {end:.3g}. The limit is set by the steepest direction: find its "
                          "curvature c_max")


# --- 05.5 ------------------------------------------------------------------------------------------------------
def reference_cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0):
    """Cosine decay, as ``keras.optimizers.schedules.CosineDecay`` computes it without warm-up."""
    step = np.minimum(np.asarray(step, dtype=float), decay_steps)
    cosine = 0.5 * (1 + np.cos(np.pi * step / decay_steps))
    return initial_learning_rate * ((1 - alpha) * cosine + alpha)


_SETTINGS_5 = [(0.3, 40, 0.1), (2.0, 7, 0.0), (0.05, 1000, 0.25)]


@exercises.exercise("05.5", "a cosine learning-rate schedule")
def _cosine_decay(answer, report):
    for initial, decay_steps, alpha in _SETTINGS_5:
        steps = np.arange(0, int(1.5 * decay_steps) + 1, max(1, decay_steps // 20))
        got = exercises.call(answer, steps.copy(), initial, decay_steps, alpha, name="cosine_decay")
        expected = reference_cosine_decay(steps, initial, decay_steps, alpha)
        report.note(f"initial_learning_rate={initial}, decay_steps={decay_steps}, alpha={alpha}, "
                    f"steps 0 to {steps[-1]}:")
        report.compare("rates", got, expected, rtol=1e-6, atol=1e-12,
                       regions={"step > decay_steps (after decay_steps the rate stays at its floor: clip the step)":
                                steps > decay_steps})
