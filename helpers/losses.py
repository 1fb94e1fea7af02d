"""Loss functions and their gradients, in NumPy (taught in notebook 03, used by the network of notebook 04).

Every loss takes ``(y_true, y_pred)`` of the same shape and returns a Python ``float``: the MEAN over the
samples, which is what ``keras.losses.*`` report with their default reduction (the one exception, ``sse``,
returns the SUM, as ``keras.losses.MeanSquaredError(reduction="sum")`` does for one output per sample).
Every ``*_grad`` function returns the derivative of that loss with respect to ``y_pred`` (or, with
``from_logits=True``, with respect to the logits), with the shape of ``y_pred``.

Shapes: ``(n,)`` is n samples with one output each; ``(n, k)`` is n samples with k outputs each. A sample's
loss is the mean over its k outputs (squared and absolute error, binary cross-entropy) or the sum over its
k classes (categorical cross-entropy), as in Keras. ``sample_weight`` (shape ``(n,)``, non-negative) weights
each sample's loss; the result is ``sum(w_i * loss_i) / n``, as Keras computes it for outputs of shape
``(n, 1)``.

Cross-entropy is numerically safe: probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` (Keras's own
epsilon, 1e-7) so ``log(0)`` never happens, and the ``from_logits=True`` forms use a stable log-sigmoid
and log-softmax, finite even at ``|z| = 1000``. Outside the clip range the loss is flat, so its gradient
with respect to the probability is 0 there, as ``tf.clip_by_value`` makes it in Keras: a probability
saturated beyond the clip gets no push. That is why a network should hand the loss its logits.

``LOSSES`` maps a name to ``(loss, gradient)``; the from-scratch network of notebook 04 looks losses up there.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_same_shape

__all__ = [
    "EPSILON", "ROW_SUM_TOL", "sse", "sse_grad", "mse", "mse_grad", "mae", "mae_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "balanced_class_weight", "class_to_sample_weight", "LOSSES",
]

EPSILON = 1e-7
"""Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before a logarithm (the value Keras uses)."""

ROW_SUM_TOL = 1e-5
"""How far a row of probabilities may sum from 1 in :func:`categorical_cross_entropy` (float32 rounding)."""


# --- plumbing: argument checks and the mean over samples --------------------------------------------------
def _pair(y_true, y_pred, ndim=(1, 2)):
    y_true = as_float_array(y_true, "y_true", ndim=ndim, min_size=1)
    y_pred = as_float_array(y_pred, "y_pred", ndim=ndim, min_size=1)
    check_same_shape(y_true, y_pred, "y_true", "y_pred")
    return y_true, y_pred


def _in_unit_interval(x, name, hint=""):
    if x.min() < 0 or x.max() > 1:
        bad = x[(x < 0) | (x > 1)].ravel()[0]
        raise ValueError(f"{name} must lie in [0, 1], but it holds {bad}{hint}")


def _weights(sample_weight, n):
    if sample_weight is None:
        return None
    w = as_float_array(sample_weight, "sample_weight", shape=(n,))
    if w.min() < 0:
        raise ValueError(f"sample_weight must be >= 0, but it holds {w.min()}")
    return w


def _mean(per_output, w, per_sample="mean"):
    """Each sample's loss (mean or sum over its outputs), then the (weighted) mean over samples."""
    if per_output.ndim == 2:
        per_output = per_output.mean(axis=1) if per_sample == "mean" else per_output.sum(axis=1)
    if w is None:
        return float(per_output.mean())
    return float(np.sum(w * per_output) / per_output.size)


def _scale(grad_per_output, w, per_sample="mean"):
    """Turn d(loss of one output)/d(input) into the derivative of the (weighted) mean over samples."""
    n = grad_per_output.shape[0]
    k = grad_per_output.shape[1] if grad_per_output.ndim == 2 and per_sample == "mean" else 1
    if w is not None:
        grad_per_output = grad_per_output * (w[:, None] if grad_per_output.ndim == 2 else w)
    return grad_per_output / (n * k)


def _inside_clip(p):
    """Where ``clip(p, EPSILON, 1 - EPSILON)`` passes p through (its derivative is 1 there, 0 elsewhere)."""
    return (p >= EPSILON) & (p <= 1 - EPSILON)


def _log_sigmoid(z):
    """``log(sigmoid(z))`` without overflow: ``-log(1 + exp(-z)) = min(z, 0) - log1p(exp(-|z|))``."""
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


def _sigmoid(z):
    return np.exp(_log_sigmoid(z))


def _log_softmax(z):
    """``log(softmax(z))`` row by row: subtract the row maximum first, so ``exp`` never overflows."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


# --- regression losses ------------------------------------------------------------------------------------
def sse(y_true, y_pred):
    """Sum of squared errors over all n samples: ``sum((y - y_hat)**2)``. It grows with n."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.sum((y_true - y_pred) ** 2))


def sse_grad(y_true, y_pred):
    """Derivative of the sum of squared errors with respect to ``y_pred``: ``2 * (y_hat - y)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    return 2.0 * (y_pred - y_true)


def mse(y_true, y_pred, sample_weight=None):
    """Mean squared error: ``mean((y - y_hat)**2)``, the sum of squared errors divided by the count."""
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean((y_true - y_pred) ** 2, _weights(sample_weight, len(y_true)))


def mse_grad(y_true, y_pred, sample_weight=None):
    """Derivative of the mean squared error with respect to ``y_pred``: ``2 * (y_hat - y) / n``."""
    y_true, y_pred = _pair(y_true, y_pred)
    return _scale(2.0 * (y_pred - y_true), _weights(sample_weight, len(y_true)))


def mae(y_true, y_pred, sample_weight=None):
    """Mean absolute error: ``mean(|y - y_hat|)``; less swayed by a few large errors than the MSE."""
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(np.abs(y_true - y_pred), _weights(sample_weight, len(y_true)))


def mae_grad(y_true, y_pred, sample_weight=None):
    """Derivative of the mean absolute error: ``sign(y_hat - y) / n`` (0 where ``y_hat == y``)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return _scale(np.sign(y_pred - y_true), _weights(sample_weight, len(y_true)))


# --- classification losses --------------------------------------------------------------------------------
def _binary_inputs(y_true, y_pred, from_logits):
    y_true, y_pred = _pair(y_true, y_pred)
    _in_unit_interval(y_true, "y_true", " (binary labels are 0 or 1)")
    if not from_logits:
        _in_unit_interval(y_pred, "y_pred", " (a probability; pass from_logits=True for raw scores z)")
    return y_true, y_pred


def binary_cross_entropy(y_true, y_pred, from_logits=False, sample_weight=None):
    """Binary cross-entropy ``-mean(y log p + (1 - y) log(1 - p))``, for a sigmoid output.

    ``y_pred`` is the probability p (clipped to ``[EPSILON, 1 - EPSILON]``), or with ``from_logits=True``
    the score z before the sigmoid, where the loss is computed from ``log sigmoid(z)`` directly and stays
    exact and finite for any z.
    """
    y_true, y_pred = _binary_inputs(y_true, y_pred, from_logits)
    if from_logits:
        z = y_pred  # log(1 - sigmoid(z)) = log sigmoid(-z)
        per_output = -(y_true * _log_sigmoid(z) + (1 - y_true) * _log_sigmoid(-z))
    else:
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        per_output = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return _mean(per_output, _weights(sample_weight, len(y_true)))


def binary_cross_entropy_grad(y_true, y_pred, from_logits=False, sample_weight=None):
    """Derivative of :func:`binary_cross_entropy` with respect to ``y_pred``.

    With respect to the probability p: ``(p - y) / (p (1 - p)) / n`` inside the clip range
    ``[EPSILON, 1 - EPSILON]`` and 0 outside it, where the clipped loss is flat (as in Keras). With respect
    to the logit z (``from_logits=True``): ``(sigmoid(z) - y) / n``, simply the error: the sigmoid's own
    derivative ``p (1 - p)`` cancels.
    """
    y_true, y_pred = _binary_inputs(y_true, y_pred, from_logits)
    if from_logits:
        per_output = _sigmoid(y_pred) - y_true
    else:
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        per_output = np.where(_inside_clip(y_pred), (p - y_true) / (p * (1 - p)), 0.0)
    return _scale(per_output, _weights(sample_weight, len(y_true)))


def _categorical_inputs(y_true, y_pred, from_logits):
    y_true, y_pred = _pair(y_true, y_pred, ndim=2)
    _in_unit_interval(y_true, "y_true", " (one-hot labels, one row per sample)")
    row_sums = y_true.sum(axis=1)
    if np.any(np.abs(row_sums - 1) > 1e-6):
        i = int(np.argmax(np.abs(row_sums - 1)))
        raise ValueError(f"each row of y_true must sum to 1 (one-hot labels); row {i} sums to {row_sums[i]}")
    if not from_logits:
        _in_unit_interval(y_pred, "y_pred", " (softmax probabilities; pass from_logits=True for raw scores)")
        p_sums = y_pred.sum(axis=1)
        if np.any(np.abs(p_sums - 1) > ROW_SUM_TOL):
            i = int(np.argmax(np.abs(p_sums - 1)))
            raise ValueError(f"each row of y_pred must sum to 1 (softmax probabilities; pass from_logits=True for "
                             f"raw scores); row {i} sums to {p_sums[i]}")
    return y_true, y_pred


def categorical_cross_entropy(y_true, y_pred, from_logits=False, sample_weight=None):
    """Categorical cross-entropy ``-mean_i sum_c y_ic log p_ic``, for a softmax output over k classes.

    ``y_true`` is one-hot, shape ``(n, k)``. ``y_pred`` is the softmax probabilities (clipped to
    ``[EPSILON, 1 - EPSILON]``), or with ``from_logits=True`` the scores z, through a stable log-softmax.
    Rows of probabilities must sum to 1 (within ``ROW_SUM_TOL``): Keras silently divides each row by its sum,
    here a row that is not a distribution is an error.
    """
    y_true, y_pred = _categorical_inputs(y_true, y_pred, from_logits)
    log_p = _log_softmax(y_pred) if from_logits else np.log(np.clip(y_pred, EPSILON, 1 - EPSILON))
    return _mean(-y_true * log_p, _weights(sample_weight, len(y_true)), per_sample="sum")


def categorical_cross_entropy_grad(y_true, y_pred, from_logits=False, sample_weight=None):
    """Derivative of :func:`categorical_cross_entropy` with respect to ``y_pred``.

    With respect to the probabilities: ``-y / p / n`` inside the clip range and 0 outside it. (Keras also
    differentiates through its division by the row sum, which adds the same ``1 / n`` to every entry of a
    row.) With respect to the logits (``from_logits=True``): ``(softmax(z) - y) / n``, again simply the error.
    """
    y_true, y_pred = _categorical_inputs(y_true, y_pred, from_logits)
    if from_logits:
        per_output = np.exp(_log_softmax(y_pred)) - y_true
    else:
        p = np.clip(y_pred, EPSILON, 1 - EPSILON)
        per_output = np.where(_inside_clip(y_pred), -y_true / p, 0.0)
    return _scale(per_output, _weights(sample_weight, len(y_true)), per_sample="sum")


# --- class imbalance --------------------------------------------------------------------------------------
def balanced_class_weight(y_true):
    """Weights ``{0: n / (2 n_0), 1: n / (2 n_1)}`` that give both classes the same total weight.

    With 20% positives this is ``{0: 0.625, 1: 2.5}``: each positive counts four times as much as a
    negative. The dictionary is what ``keras.Model.fit(class_weight=...)`` takes.
    """
    y = as_float_array(y_true, "y_true", ndim=(1, 2), min_size=1)
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"y_true must have shape (n,) or (n, 1) (labels 0 and 1, not one-hot rows), "
                         f"got shape {y.shape}")
    y = y.ravel()
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y_true must hold only 0 and 1, but it holds {y[(y != 0) & (y != 1)][0]}")
    n, n_pos = y.size, int(y.sum())
    if n_pos in (0, n):
        raise ValueError(f"y_true must hold both classes to balance them, got {n_pos} positive(s) out of {n}")
    return {0: n / (2 * (n - n_pos)), 1: n / (2 * n_pos)}


def class_to_sample_weight(y_true, class_weight):
    """One weight per sample from a ``{0: w_0, 1: w_1}`` dictionary, for the ``sample_weight=`` argument."""
    y = as_float_array(y_true, "y_true", ndim=(1, 2), min_size=1)
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"y_true must have shape (n,) or (n, 1), got shape {y.shape}")
    y = y.ravel()
    if not isinstance(class_weight, dict) or set(class_weight) != {0, 1}:
        raise TypeError(f"class_weight must be a dict with keys 0 and 1, got {class_weight!r}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y_true must hold only 0 and 1, but it holds {y[(y != 0) & (y != 1)][0]}")
    w0 = as_float_array(class_weight[0], "class_weight[0]", ndim=0)
    w1 = as_float_array(class_weight[1], "class_weight[1]", ndim=0)
    if w0 < 0 or w1 < 0:
        raise ValueError(f"class weights must be >= 0, got {class_weight!r}")
    return np.where(y == 1, float(w1), float(w0))


LOSSES = {
    "mse": (mse, mse_grad),
    "mae": (mae, mae_grad),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad),
    "categorical_cross_entropy": (categorical_cross_entropy, categorical_cross_entropy_grad),
}
"""Name -> ``(loss, gradient)``, each called as ``f(y_true, y_pred)`` (probabilities for cross-entropy)."""
