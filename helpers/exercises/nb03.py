"""The checks of notebook 03's exercises (loss functions). The expected answers are computed here, from
``helpers.losses`` and ``helpers.activations``, never shown in the notebook or in a message."""

from __future__ import annotations

import numpy as np

from .. import activations
from .. import losses as L
from . import Wrong, _as_array, as_number, call, diagnose, exercise


def _near(value, target, rtol):
    return abs(value - target) <= rtol * abs(target)


@exercise("03.1", "the step size of the sum")
def _step_size_of_the_sum(answer, report):
    value = as_number(answer, "answer_1")
    n, step_mse = 50, 0.1
    expected = step_mse / n
    if _near(value, expected, 1e-6):
        return
    if value <= 0:
        raise Wrong(f"answer_1 = {value:g}: a step size is positive (the step goes against the gradient by "
                    "step size times gradient)")
    if _near(value, step_mse * n, 1e-6):
        raise Wrong(f"answer_1 = {value:g} is larger than the step size of the MSE. The SSE's gradient is n times "
                    "the MSE's, so its steps are already n times longer: the step size must shrink, not grow")
    if _near(value, step_mse, 1e-6):
        raise Wrong(f"answer_1 = {value:g} is the MSE's own step size. With the sum, the same step size gives steps "
                    "n times longer, because the SSE's gradient is n times the MSE's")
    raise Wrong(f"answer_1 = {value:g} does not give the same steps. Compare the two gradients: by what factor "
                "does the SSE's exceed the MSE's, for n = 50 records?")


@exercise("03.2", "how much harder cross-entropy pushes")
def _ratio_at_minus_four(answer, report):
    value = as_number(answer, "answer_2")
    s = float(activations.sigmoid(-4.0))
    expected = abs(s - 1.0) / abs(2.0 * (s - 1.0) * s * (1.0 - s))  # |dBCE/dz| / |dSE/dz| for y = 1
    if _near(value, expected, 0.01):
        return
    if value <= 0:
        raise Wrong(f"answer_2 = {value:g}: a ratio of two absolute values is positive")
    if value < 1:
        if _near(1 / value, expected, 0.01):
            raise Wrong(f"answer_2 = {value:g} is upside down: divide the cross-entropy's |dL/dz| by the squared "
                        "error's, not the other way round")
        raise Wrong(f"answer_2 = {value:g} says squared error pushes harder, but at z = -4 it is the weaker of the "
                    "two: its gradient carries the sigmoid's small slope p(1 - p)")
    if _near(value, 2 * expected, 0.01):
        raise Wrong(f"answer_2 = {value:g} is off by a factor of 2: the derivative of (p - y)^2 with respect to p is "
                    "2(p - y), not p - y")
    if _near(value, expected / 2, 0.01):
        raise Wrong(f"answer_2 = {value:g} is off by a factor of 2: did you count the 2 of 2(p - y) twice?")
    raise Wrong(f"answer_2 = {value:g} is not the ratio at z = -4. Write both derivatives with respect to z for "
                "y = 1 (cross-entropy: p - y; squared error: 2(p - y) p(1 - p)) and divide: most factors cancel")


def _one_number(got, n, label):
    arr = _as_array(got, label)
    if arr.shape in ((n,), (n, 1)):
        raise Wrong(f"{label} holds one value per sample, shape {arr.shape}: the loss is their mean over the "
                    "samples, one number")
    if arr.size != 1:
        raise Wrong(f"{label} has shape {arr.shape}; the loss is one number")
    return arr.reshape(1)


@exercise("03.3", "softmax cross-entropy from the logits, safely")
def _softmax_cross_entropy(answer, report):
    rng = np.random.default_rng(303)
    n, k = 7, 4
    y = np.eye(k)[rng.integers(0, k, n)]
    z = rng.normal(0.0, 3.0, (n, k))
    got = _one_number(call(answer, y, z, name="softmax_cross_entropy"), n, "the loss")
    expected = np.array([L.categorical_cross_entropy(y, z, from_logits=True)])
    problem = diagnose(got, expected, label="the loss", rtol=1e-9,
                       factors={float(n): "you summed over the samples; the loss is their mean",
                                1.0 / k: "you averaged over the classes too; sum over the classes, then average "
                                         "over the samples"})
    if problem:
        raise Wrong(problem)
    # scores far from 0, as a confident network produces them, in rows of very different sizes
    z_far = np.array([[1000.0, 0.0, -1000.0, 10.0], [-1000.0, -1001.0, -1003.0, -1000.5],
                      [0.5, 800.0, -3.0, 2.0]])
    y_far = np.eye(k)[[2, 0, 1]]
    with np.errstate(all="ignore"):
        got_far = _one_number(call(answer, y_far, z_far, name="softmax_cross_entropy"), 3,
                              "the loss on scores near +-1000")
    expected_far = np.array([L.categorical_cross_entropy(y_far, z_far, from_logits=True)])
    problem = diagnose(got_far, expected_far, label="the loss on scores near +-1000", rtol=1e-9)
    if problem:
        if "NaN or infinite" in problem:
            raise Wrong("right on ordinary scores, but on scores near +-1000 it returns NaN or inf: exp(1000) "
                        "overflows (and exp(-1000) underflows to 0, whose log is -inf). Subtract each row's own "
                        "maximum from its scores before exp: softmax does not change, and nothing overflows")
        raise Wrong(f"right on ordinary scores, but not on scores near +-1000: {problem}. Subtract each row's own "
                    "maximum (not one maximum for the whole array) before exp")


@exercise("03.4", "the balanced weight of a churner")
def _balanced_weight(answer, report):
    value = as_number(answer, "answer_4")
    y = np.array([1.0] * 150 + [0.0] * 850)
    weights = L.balanced_class_weight(y)
    if abs(value - weights[1]) <= 0.01:
        return
    if abs(value - weights[0]) <= 0.01:
        raise Wrong(f"answer_4 = {value:.2f} is the weight of a customer who stayed; the question asks for a churner's")
    if abs(value - 2 * weights[1]) <= 0.02:
        raise Wrong(f"answer_4 = {value:.2f} is twice too large: with two classes the balanced weight is "
                    "n / (2 n_class), so that each class carries half the total weight")
    if value < 1:
        raise Wrong(f"answer_4 = {value:.2f} is below 1: the rare class must count MORE than an average sample")
    raise Wrong(f"answer_4 = {value:.2f} is not the balanced weight. Use w = n / (2 n_class): then both classes "
                "carry the same total weight")


@exercise("03.5", "the gradient of class-weighted binary cross-entropy")
def _weighted_bce_grad(answer, report):
    for seed, n in ((305, 9), (306, 40)):
        rng = np.random.default_rng(seed)
        y = (rng.random(n) < 0.3).astype(float)
        y[:2] = [0.0, 1.0]  # both classes, always
        z = rng.normal(0.0, 2.0, n)
        class_weight = {0: float(rng.uniform(0.4, 0.9)), 1: float(rng.uniform(1.5, 4.0))}
        got = call(answer, y, z, class_weight, name="weighted_bce_grad")
        w = L.class_to_sample_weight(y, class_weight)
        expected = L.binary_cross_entropy_grad(y, z, from_logits=True, sample_weight=w)
        problem = diagnose(got, expected, label="dL/dz", rtol=1e-7, atol=1e-12,
                           factors={float(n): "you left out the 1/n of the mean over samples",
                                    n / w.sum(): "you divided by the total weight; the weighted loss (as in Keras) "
                                                 "divides by the number of samples n"})
        if problem is None:
            continue
        if "shape" in problem:
            raise Wrong(problem)
        p = activations.sigmoid(z)
        swapped = np.where(y == 1, class_weight[0], class_weight[1])
        if np.allclose(got, (p - y) / n, rtol=1e-7):
            raise Wrong("dL/dz is the gradient of the unweighted loss: multiply each sample's (p - y) / n by its "
                        "class's weight")
        if np.allclose(got, swapped * (p - y) / n, rtol=1e-7):
            raise Wrong("the class weights are swapped: class_weight[1] belongs to the samples with y = 1")
        if np.allclose(got, w * (p - y) / n * p * (1 - p), rtol=1e-7) or np.allclose(
                got, w * (p - y) / (p * (1 - p)) / n, rtol=1e-7):
            raise Wrong("dL/dz has a stray factor of the sigmoid's slope: with respect to the logit z, the sigmoid's "
                        "p(1 - p) cancels against the cross-entropy's, leaving w (p - y) / n")
        raise Wrong(problem)
