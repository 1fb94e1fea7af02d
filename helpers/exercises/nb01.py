"""Exercise checks of notebook 01 (a neuron and its layers).

The expected answers are computed here from the course's own helpers (``helpers.neuron``), on inputs the
learner never sees; no message states an expected value. Registered as ``"01.1"`` ... ``"01.6"``.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..activations import relu, sigmoid
from ..neuron import count_parameters, neuron, perceptron_predict
from . import LearnerError, Wrong, as_number, call, diagnose, exercise

__all__: list[str] = []

# Exercise 1: the neuron of the task (inputs, weights, bias, sigmoid).
_X1, _W1, _B1 = np.array([2.0, -1.0]), np.array([0.3, 0.8]), 0.5


@exercise("01.1", "a neuron by hand")
def _neuron_by_hand(answer, report):
    got = as_number(answer)
    z = float(_W1 @ _X1 + _B1)
    if abs(got - neuron(_X1, _W1, _B1, "sigmoid")) <= 5e-5:
        return
    if abs(got - z) <= 1e-6:
        raise Wrong(f"{got:g} is the weighted sum z; the neuron's output is the sigmoid of z")
    if abs(got - sigmoid(float(_W1 @ _X1))) <= 5e-5:
        raise Wrong("the bias is missing: z = w1*x1 + w2*x2 + b, then the sigmoid")
    if abs(got - sigmoid(-z)) <= 5e-5:
        raise Wrong("the sign is off: sigmoid(z) = 1 / (1 + exp(-z)), with a minus sign in the exponent")
    raise Wrong(f"{got:g} is not this neuron's output: compute z = w1*x1 + w2*x2 + b term by term (the worked "
                "example of section 1 shows how), then sigmoid(z), and keep at least 4 decimals")


_DIGITS = [784, 128, 64, 10]


@exercise("01.2", "parameters of a digits network")
def _digits_parameters(answer, report):
    got = as_number(answer)
    if got != int(got):
        raise Wrong(f"{got} is not a whole number: a network has a whole number of weights and biases")
    if got == count_parameters(_DIGITS):
        return
    weights = sum(a * b for a, b in zip(_DIGITS[:-1], _DIGITS[1:]))
    biases = sum(_DIGITS[1:])
    if got == weights:
        raise Wrong("you counted only the weights: every unit after the input layer also has a bias")
    if got == weights + biases + _DIGITS[0]:
        raise Wrong("you gave the input layer biases too; it has none (it is the data, not a layer of neurons)")
    if got == biases or got == weights - biases:
        raise Wrong("recount: each layer has n_in * n_out weights plus n_out biases")
    raise Wrong(f"{got:g} is {'too high' if got > weights + biases else 'too low'}: add up, layer by layer, "
                "n_in * n_out weights plus n_out biases (three layers: 784 -> 128, 128 -> 64, 64 -> 10)")


def _dense_rows_case():
    rng = np.random.default_rng(1001)
    X = rng.normal(size=(6, 3))
    W_rows = rng.normal(size=(4, 3))
    b = rng.normal(size=4)
    return X, W_rows, b


@exercise("01.3", "a dense layer with one row of weights per neuron")
def _dense_rows(answer, report):
    X, W_rows, b = _dense_rows_case()
    try:
        got = call(answer, X, W_rows, b)
    except LearnerError as exc:
        if "matmul" in str(exc) or "shapes" in str(exc) or "broadcast" in str(exc):
            raise LearnerError(f"{exc}. Check the shapes: X is (N, n_in) and W_rows is (n_out, n_in); which product of "
                        "the two has one row per example and one column per neuron?") from None
        raise
    z = X @ W_rows.T + b
    expected = relu(z)
    if np.shape(got) == expected.shape and np.allclose(got, z):
        raise Wrong("your layer returns the weighted sums: apply ReLU to them")
    if np.shape(got) == expected.shape and np.allclose(got, relu(X @ W_rows.T)):
        raise Wrong("the bias is missing: add b, one entry per neuron, to every row")
    problem = diagnose(got, expected, label="your layer's output",
                       regions={"the weighted sum is negative (ReLU gives 0 there)": z < 0})
    if problem:
        raise Wrong(problem)


def _network_case():
    rng = np.random.default_rng(1002)
    X = rng.normal(size=(8, 3))
    W1, b1 = rng.normal(size=(3, 5)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(5, 1)), rng.normal(size=1)
    return X, W1, b1, W2, b2


@exercise("01.4", "the forward pass of a two-layer network")
def _forward(answer, report):
    X, W1, b1, W2, b2 = _network_case()
    got = call(answer, X, W1, b1, W2, b2)
    expected = sigmoid(relu(X @ W1 + b1) @ W2 + b2)
    known_mistakes = [
        (sigmoid((X @ W1 + b1) @ W2 + b2), "the hidden layer has no ReLU: apply it to X @ W1 + b1"),
        (relu(X @ W1 + b1) @ W2 + b2, "the output is the weighted sum z: apply the sigmoid to it"),
        (relu(relu(X @ W1 + b1) @ W2 + b2), "the output layer uses ReLU; the task asks for a sigmoid there"),
        (sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2), "the hidden layer uses a sigmoid; the task asks for ReLU"),
        (sigmoid(relu(X @ W1) @ W2), "both biases are missing"),
        (sigmoid(relu(X @ W1) @ W2 + b2), "the hidden layer's bias b1 is missing"),
        (sigmoid(relu(X @ W1 + b1) @ W2), "the output layer's bias b2 is missing"),
    ]
    got_array = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    for mistake, message in known_mistakes:
        if got_array.size == mistake.size and np.issubdtype(got_array.dtype, np.number) and np.allclose(
                got_array.reshape(mistake.shape), mistake):
            raise Wrong(message)
    problem = diagnose(got, expected, label="your network's output")
    if problem:
        raise Wrong(problem)


_CORNERS = np.array(list(itertools.product([0.0, 1.0], repeat=3)))


@exercise("01.5", "one neuron for a majority vote")
def _majority(answer, report):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong("answer_5 must be a pair (w, b): a list of three weights and a bias")
    w, b = answer
    try:
        w = np.asarray(w, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise Wrong(f"w must be three numbers, got {w!r}") from None
    if w.size != 3:
        raise Wrong(f"w must hold three weights, one per input; it holds {w.size}")
    b = as_number(b, "b")
    got = perceptron_predict(_CORNERS, w, b)
    votes = _CORNERS.sum(axis=1)
    if np.array_equal(got, (votes >= 2).astype(float)):
        return
    if np.array_equal(got, (votes >= 1).astype(float)):
        raise Wrong("your neuron says 1 as soon as one input is 1 (the OR of three): raise its threshold, "
                    "that is, make the bias more negative")
    if np.array_equal(got, (votes >= 3).astype(float)):
        raise Wrong("your neuron says 1 only when all three inputs are 1 (the AND of three): lower its threshold, "
                    "that is, make the bias less negative")
    wrong = [tuple(int(v) for v in corner) for corner, g, v in zip(_CORNERS, got, votes) if g != (v >= 2)]
    raise Wrong(f"your neuron is wrong on {len(wrong)} of the 8 inputs, for example {wrong[0]}; a majority vote "
                "treats the three inputs alike, so try equal weights and find the bias that separates 1 vote "
                "from 2")


_CHOICES = {
    "a": "a step is as cheap to compute as anything else; speed is not what stops the rule",
    "c": "the rule handles any number of inputs, as AND and OR (two inputs each) showed in section 3",
    "d": "section 3's rule updates a unit with its own target y; look at what a hidden unit would use for y",
}


@exercise("01.6", "why the perceptron rule cannot train two layers")
def _why_not_two_layers(answer, report):
    if not isinstance(answer, str) or answer.strip().lower() not in {"a", "b", "c", "d"}:
        raise Wrong(f"answer with one letter, \"a\", \"b\", \"c\" or \"d\"; got {answer!r}")
    letter = answer.strip().lower()
    if letter in _CHOICES:
        raise Wrong(f"not {letter}: {_CHOICES[letter]}")
