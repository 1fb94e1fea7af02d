"""helpers.autodiff: the tape of notebook 04 against the chain rule, tf.GradientTape and finite differences."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from helpers import autodiff, mlp
from helpers.checks import numerical_gradient

matplotlib.use("Agg")


def two_two_one(values):
    """The 2-2-1 network of notebook 04 on a tape; ``values`` holds x1, x2, the weights and y."""
    v = dict(values)
    tape = []
    z11 = v["x1"] * v["w11"] + v["x2"] * v["w21"] + v["b1_1"]
    z12 = v["x1"] * v["w12"] + v["x2"] * v["w22"] + v["b1_2"]
    autodiff.record(tape, "z1_1", z11, {"x1": v["w11"], "w11": v["x1"], "x2": v["w21"], "w21": v["x2"], "b1_1": 1.0})
    autodiff.record(tape, "z1_2", z12, {"x1": v["w12"], "w12": v["x1"], "x2": v["w22"], "w22": v["x2"], "b1_2": 1.0})
    h1, h2 = np.tanh(z11), np.tanh(z12)
    autodiff.record(tape, "h1", h1, {"z1_1": 1 - h1**2})
    autodiff.record(tape, "h2", h2, {"z1_2": 1 - h2**2})
    z2 = h1 * v["v1"] + h2 * v["v2"] + v["b2"]
    autodiff.record(tape, "z2", z2, {"h1": v["v1"], "v1": h1, "h2": v["v2"], "v2": h2, "b2": 1.0})
    p = 1 / (1 + np.exp(-z2))
    autodiff.record(tape, "p", p, {"z2": p * (1 - p)})
    y = v["y"]
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    autodiff.record(tape, "L", loss, {"p": -y / p + (1 - y) / (1 - p)})
    return tape, loss


VALUES = {"x1": 1.0, "x2": -2.0, "w11": 0.5, "w12": -0.3, "w21": 0.2, "w22": 0.4, "b1_1": 0.1, "b1_2": -0.1,
          "v1": 0.7, "v2": -0.5, "b2": 0.2, "y": 1.0}


def test_tape_gradients_match_mlp_backward_and_finite_differences():
    tape, _ = two_two_one(VALUES)
    grads = autodiff.backward(tape, "L")
    params = {"W1": np.array([[0.5, -0.3], [0.2, 0.4]]), "b1": np.array([0.1, -0.1]),
              "W2": np.array([[0.7], [-0.5]]), "b2": np.array([0.2])}
    _, cache = mlp.forward(params, [[1.0, -2.0]], ["tanh", "sigmoid"])
    reference = mlp.backward(params, cache, [1.0], "binary_cross_entropy")
    ours = {"W1": [[grads["w11"], grads["w12"]], [grads["w21"], grads["w22"]]], "b1": [grads["b1_1"], grads["b1_2"]],
            "W2": [[grads["v1"]], [grads["v2"]]], "b2": [grads["b2"]]}
    for name in params:
        np.testing.assert_allclose(ours[name], reference[name], rtol=0, atol=1e-15)
    names = [k for k in VALUES if k != "y"]  # every input, data included: the sum over paths for x1 and x2

    def loss_at(vector):
        return two_two_one({**VALUES, **dict(zip(names, vector, strict=True))})[1]

    numeric = numerical_gradient(loss_at, np.array([VALUES[k] for k in names]))
    np.testing.assert_allclose([grads[k] for k in names], numeric, rtol=1e-8, atol=1e-10)


def test_tape_matches_tf_gradient_tape():
    tf = pytest.importorskip("tensorflow")
    tape, _ = two_two_one(VALUES)
    grads = autodiff.backward(tape, "L")
    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in VALUES.items() if k != "y"}
    with tf.GradientTape() as tf_tape:
        v = variables
        h1 = tf.tanh(v["x1"] * v["w11"] + v["x2"] * v["w21"] + v["b1_1"])
        h2 = tf.tanh(v["x1"] * v["w12"] + v["x2"] * v["w22"] + v["b1_2"])
        loss = -tf.math.log(tf.sigmoid(h1 * v["v1"] + h2 * v["v2"] + v["b2"]))  # y = 1
    taped = tf_tape.gradient(loss, variables)
    for name, value in taped.items():
        assert grads[name] == pytest.approx(float(value), abs=1e-14)


def test_backward_from_an_intermediate_output_and_a_branch():
    tape = []
    autodiff.record(tape, "a", 6.0, {"x": 2.0, "y": 3.0})  # a = x * y at x = 3, y = 2
    autodiff.record(tape, "b", 12.0, {"a": 2.0})  # b = 2 a
    autodiff.record(tape, "c", 9.0, {"x": 3.0})  # c = 3 x, a branch that does not lead to b
    assert autodiff.backward(tape, "b") == {"b": 1.0, "a": 2.0, "x": 4.0, "y": 6.0}
    assert autodiff.backward(tape, "c") == {"c": 1.0, "x": 3.0, "a": 0.0, "y": 0.0}


def test_draw_graph_draws_every_node_and_edge():
    import matplotlib.pyplot as plt

    tape, _ = two_two_one(VALUES)
    grads = autodiff.backward(tape, "L")
    leaves = {k: v for k, v in VALUES.items() if k != "y"}
    columns = [["w11", "w21", "b1_1", "x1", "x2", "w12", "w22", "b1_2"], ["z1_1", "z1_2"],
               ["v1", "h1", "b2", "h2", "v2"], ["z2"], ["p"], ["L"]]
    ax = autodiff.draw_graph(tape, leaves, grads, columns, title="t")
    texts = [t.get_text() for t in ax.texts]
    assert sum("z1_1" in t for t in texts) >= 1 and any(f"{grads['w21']:.4f}" in t for t in texts)
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation"]
    assert len(arrows) == sum(len(local) for _, _, local in tape) == 19  # one arrow per local derivative
    with pytest.raises(ValueError, match="missing"):
        autodiff.draw_graph(tape, leaves, grads, columns[:-1])
    with pytest.raises(ValueError, match="repeated"):
        autodiff.draw_graph(tape, leaves, grads, [*columns, ["L"]])
    plt.close("all")


@pytest.mark.parametrize("call, error, match", [
    (lambda: autodiff.record((), "a", 1.0, {"x": 1.0}), TypeError, "tape must be a list"),
    (lambda: autodiff.record([], "", 1.0, {"x": 1.0}), TypeError, "name"),
    (lambda: autodiff.record([], "a", "1", {"x": 1.0}), ValueError, "value must be a finite number"),
    (lambda: autodiff.record([], "a", 1.0, {"x": np.nan}), ValueError, "local_grads"),
    (lambda: autodiff.record([], "a", 1.0, {}), TypeError, "local_grads"),
    (lambda: autodiff.record([], "a", 1.0, {"a": 1.0}), ValueError, "its own input"),
    (lambda: autodiff.record([("a", 1.0, {"x": 1.0})], "a", 1.0, {"x": 1.0}), ValueError, "already on the tape"),
    (lambda: autodiff.backward([], "a"), ValueError, "non-empty"),
    (lambda: autodiff.backward([("a", 1.0, {"x": 1.0})], "b"), ValueError, "not an operation"),
    (lambda: autodiff.draw_graph([("a", 1.0, {"x": 1.0})], [], {}, [["x"], ["a"]]), TypeError, "dicts"),
    (lambda: autodiff.draw_graph([("a", 1.0, {"x": 1.0})], {"x": 1.0}, {}, "xa"), TypeError, "columns"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
