"""The checks of notebook 04's exercises (backpropagation). The expected answers are computed here, from
``helpers.mlp`` and plain NumPy, never shown in the notebook or in a message."""

from __future__ import annotations

import numpy as np

from .. import mlp
from . import Wrong, _as_array, as_number, call, diagnose, exercise

# the 2-2-1 network of notebook 04, section 2: inputs, first-layer weights W1[i, j], biases, output weights v
_X, _Y = np.array([[1.0, -2.0]]), np.array([1.0])
_TINY = {"W1": np.array([[0.5, -0.3], [0.2, 0.4]]), "b1": np.array([0.1, -0.1]),
         "W2": np.array([[0.7], [-0.5]]), "b2": np.array([0.2])}


def _tiny_grads():
    _, cache = mlp.forward(_TINY, _X, ["tanh", "sigmoid"])
    return mlp.backward(_TINY, cache, _Y, "binary_cross_entropy")


@exercise("04.1", "one step by hand")
def _one_step(answer, report):
    value = as_number(answer, "answer_1")
    v1, slope = _TINY["W2"][0, 0], _tiny_grads()["W2"][0, 0]
    expected = v1 - 0.5 * slope
    if abs(value - expected) <= 1e-4:
        return
    if abs(value - (v1 + 0.5 * slope)) <= 1e-4:
        raise Wrong(f"answer_1 = {value:.4f} moved v1 uphill: the step goes AGAINST the gradient, "
                    "v1 - step size * dL/dv1")
    if abs(value - (v1 - slope)) <= 1e-4:
        raise Wrong(f"answer_1 = {value:.4f} took a whole gradient as the step: multiply it by the step size 0.5")
    if abs(value - 0.5 * slope) <= 1e-4 or abs(value + 0.5 * slope) <= 1e-4:
        raise Wrong(f"answer_1 = {value:.4f} is the size of the step, not the new value of v1: start from v1 = 0.7")
    raise Wrong(f"answer_1 = {value:.4f} is not v1 after the step. Read dL/dv1 off the backward table and apply "
                "v1 - step size * dL/dv1")


@exercise("04.2", "the price of nudging")
def _price_of_nudging(answer, report):
    value = as_number(answer, "answer_2")
    sizes = [3, 10, 10, 2]
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    biases = sum(sizes[1:])
    expected = 2 * (weights + biases)
    if value == expected:
        return
    if value != int(value):
        raise Wrong(f"answer_2 = {value:g} is not a whole number of forward passes")
    if value == 2 * weights:
        raise Wrong(f"answer_2 = {value:g} counts the weights only: every bias is a parameter too, and needs its "
                    "own nudges")
    if value == weights + biases:
        raise Wrong(f"answer_2 = {value:g} is one pass per parameter, but a central difference evaluates the loss "
                    "twice per parameter: at w + eps and at w - eps")
    if value == weights:
        raise Wrong(f"answer_2 = {value:g}: count the biases too, and two passes per parameter")
    raise Wrong(f"answer_2 = {value:g} is not the count. Count the parameters of each layer (inputs x units "
                "weights, plus one bias per unit), add them up, and remember the two passes per parameter")


@exercise("04.3", "the output error of a batch")
def _output_error(answer, report):
    p = np.array([0.9, 0.2, 0.6, 0.5])
    y = np.array([1.0, 1.0, 0.0, 1.0])
    expected = (p - y) / len(y)
    problem = diagnose(answer, expected, label="answer_3", rtol=1e-9, atol=1e-12,
                       factors={float(len(y)): "you left out the 1/n: the loss is the MEAN over the batch"})
    if problem:
        raise Wrong(problem + (" (the gradient is (p - y) / n: it is negative where the model predicted too "
                               "little)" if "sign" in problem else ""))


def _layer(rng, n, d, m):
    """Inputs, weights, bias and the gradient arriving at the layer's output; no pre-activation on the kink."""
    while True:
        X, W, b, dA = rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m), rng.normal(size=(n, m))
        if np.min(np.abs(X @ W + b)) > 1e-3:
            return X, W, b, dA


@exercise("04.4", "the backward pass of a dense + ReLU layer")
def _dense_relu_backward(answer, report):
    rng = np.random.default_rng(404)
    n, d, m = 6, 4, 3
    X, W, b, dA = _layer(rng, n, d, m)
    got = call(answer, X, W, b, dA, name="dense_relu_backward")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise Wrong("dense_relu_backward must return three arrays, (dX, dW, db), in that order")
    Z = X @ W + b
    dZ = dA * (Z > 0)
    expected = {"dX": dZ @ W.T, "dW": X.T @ dZ, "db": dZ.sum(axis=0)}
    unmasked = {"dX": dA @ W.T, "dW": X.T @ dA, "db": dA.sum(axis=0)}
    factors = {"db": {1.0 / n: "you averaged over the samples; the 1/n of the mean is already inside dA, so "
                               "sum over the rows"}}
    for name, value in zip(("dX", "dW", "db"), got, strict=True):
        reference = expected[name]
        try:
            array = _as_array(value, name)
        except Wrong:
            array = None
        if array is not None and array.shape == reference.shape and not np.allclose(array, reference) and np.allclose(
                array, unmasked[name], rtol=1e-9, atol=1e-12):
            _fail(report, name, f"{name} is what a LINEAR layer would give: the ReLU's derivative is missing "
                                "(dZ = dA where Z > 0, and 0 where Z <= 0)")
        elif name == "db" and array is not None and array.shape == (n, m):
            _fail(report, name, f"db has shape {array.shape}, one row per sample: b is added to every row of Z, so "
                                "sum dZ over the rows")
        else:
            report.compare(name, value, reference, rtol=1e-9, atol=1e-12, factors=factors.get(name))


def _fail(report, name, message):
    """One ``wrong`` line of a multi-part check, with a message of this notebook's own."""
    report.failures += 1
    report.lines.append(f"{name:<6} wrong  {message}")


@exercise("04.5", "central differences")
def _central_difference(answer, report):
    def f(x):
        return float(np.sum(np.sin(x) * x**2) + 0.5 * np.sum(x) ** 2)

    def exact(x):
        return np.cos(x) * x**2 + 2 * x * np.sin(x) + np.sum(x)

    rng = np.random.default_rng(405)
    for shape in ((5,), (3, 2)):
        x = rng.normal(size=shape)
        got = call(answer, f, x, name="numerical_derivative")
        expected = exact(x)
        problem = diagnose(got, expected, label="the derivative", rtol=1e-6, atol=1e-8,
                           factors={2.0: "you divided by eps; the two points w + eps and w - eps are 2 eps apart"})
        if problem is None:
            continue
        got = _as_array(got, "the derivative")
        if got.shape == expected.shape:
            one_sided = np.array([(f(x + e) - f(x)) / 1e-5 for e in np.eye(x.size).reshape(x.size, *shape) * 1e-5])
            if np.allclose(got.ravel(), one_sided, rtol=1e-9, atol=1e-9):
                raise Wrong("that is a one-sided difference, (f(x + eps) - f(x)) / eps: its error shrinks only like "
                            "eps (here about 1e-5 relative). Nudge both ways and divide by 2 eps: the error of the "
                            "central difference shrinks like eps^2")
        raise Wrong(problem)
