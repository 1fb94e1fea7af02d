"""Exercise checks of notebook 02 (activation functions).

The derivatives the learner writes are held against automatic differentiation (``tf.GradientTape`` on Keras's
or TensorFlow's own function), computed inside the check on inputs the learner never sees; no message states an
expected value. Registered as ``"02.1"`` ... ``"02.4"``.
"""

from __future__ import annotations

import numpy as np

from ..activations import SELU_SCALE, sigmoid_grad
from ..neuron import count_parameters
from . import Wrong, as_number, call, diagnose, exercise

__all__: list[str] = []

_SIGMOID_2 = 0.880797  # the value the task gives, rounded to 6 decimals


@exercise("02.1", "the sigmoid's derivative from its value")
def _sigmoid_grad_at_2(answer, report):
    got = as_number(answer)
    if abs(got - sigmoid_grad(2.0)) <= 1e-5:
        return
    s = _SIGMOID_2
    for value, message in [
        (s, "that is sigma(2) itself; the derivative is sigma(x) * (1 - sigma(x))"),
        (1 - s, "that is 1 - sigma(2); multiply it by sigma(2)"),
        (s * s, "that is sigma(2) squared; the formula is sigma(x) * (1 - sigma(x))"),
        (-s * (1 - s), "the sign is wrong: the sigmoid rises everywhere, so its derivative is positive"),
        (s * (1 + s), "check the sign inside the bracket: sigma(x) * (1 - sigma(x))"),
    ]:
        if abs(got - value) <= 1e-5:
            raise Wrong(message)
    if got <= 0 or got > 0.25:
        raise Wrong(f"{got:g} cannot be a sigmoid's derivative: it lies in (0, 0.25] for every x (section 2)")
    raise Wrong(f"{got:g} is not sigma'(2): use section 2's formula with the value of sigma(2) the task gives")


def _tape_derivative(function, x):
    """f'(x) element by element, by tf.GradientTape (TensorFlow is imported only when a check runs)."""
    import tensorflow as tf

    v = tf.Variable(np.asarray(x, dtype=float))
    with tf.GradientTape() as tape:
        y = function(v)
    return tape.gradient(y, v).numpy()


@exercise("02.2", "the derivative of SELU")
def _selu_grad(answer, report):
    import keras

    rng = np.random.default_rng(2002)
    x = rng.uniform(-4.0, 4.0, size=40)
    x = x[np.abs(x) > 0.05]  # away from the kink at 0, where the derivative is not defined
    x = np.concatenate([x, [-30.0, 12.0]])
    expected = _tape_derivative(keras.activations.selu, x)
    got = call(answer, x)
    problem = diagnose(got, expected, label="your selu_grad", rtol=1e-6, atol=1e-9,
                       factors={1 / SELU_SCALE: "the scale lambda (SELU_SCALE) is missing",
                                SELU_SCALE: "the scale lambda is applied twice"},
                       regions={"x < 0": x < 0, "x > 0": x > 0})
    if problem:
        left = x < 0
        got_left = np.asarray(got, dtype=float)[left] if np.shape(got) == x.shape else None
        if got_left is not None and np.allclose(got_left, SELU_SCALE * np.exp(x[left])):
            problem += " (there it is missing the factor alpha, SELU_ALPHA)"
        raise Wrong(problem)
    report.note("checked against tf.GradientTape on keras.activations.selu at 40 points you did not see")


def _chain_reference(x, n):
    import tensorflow as tf

    def repeated(v):
        a = v
        for _ in range(n):
            a = tf.sigmoid(a)
        return a

    return _tape_derivative(repeated, x)


@exercise("02.3", "the derivative of sigmoid applied n times")
def _sigmoid_chain_grad(answer, report):
    rng = np.random.default_rng(2003)
    x = rng.normal(0.0, 2.0, size=12)
    same_point_mistake = []
    for n in (1, 2, 3, 6):
        got = call(answer, x.copy(), n)
        right = report.compare(f"n = {n}", got, _chain_reference(x, n), rtol=1e-6, atol=1e-12)
        if not right:
            same_point_mistake.append(n > 1 and np.shape(got) == x.shape
                                      and np.allclose(got, sigmoid_grad(x) ** n, rtol=1e-6))
    if same_point_mistake and all(same_point_mistake):
        raise Wrong("for n > 1 you evaluated every factor at x itself; by the chain rule the second factor is "
                    "sigma' at sigma(x), the third at sigma(sigma(x)), and so on")
    if not same_point_mistake:
        report.note("each factor is at most 1/4, so after n sigmoids the derivative is at most (1/4)**n")


@exercise("02.4", "parameters before and after the collapse")
def _collapse_counts(answer, report):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong("answer_4 must be a pair (parameters of the network, parameters of the one equivalent layer)")
    network, single = as_number(answer[0], "the network's count"), as_number(answer[1], "the single layer's count")
    sizes = [4, 16, 16, 3]
    problems = []
    if network != count_parameters(sizes):
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        if network == weights:
            problems.append("the network's count holds only the weights: each of its layers has biases too")
        else:
            problems.append(f"the network's count ({network:g}) is {'too high' if network > weights else 'too low'}:"
                            " add n_in * n_out + n_out for each of its three layers")
    if single != count_parameters([sizes[0], sizes[-1]]):
        if single == sizes[0] * sizes[-1]:
            problems.append("the single layer's count holds only its weights: x W + b has a bias vector too")
        else:
            problems.append(f"the single layer's count ({single:g}) is not that of one layer from 4 inputs straight "
                            "to 3 outputs")
    if problems:
        raise Wrong("; ".join(problems))

