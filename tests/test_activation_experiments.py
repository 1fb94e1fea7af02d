"""Unit tests of helpers.activation_experiments (notebook 02): the NumPy network against tf.GradientTape and
finite differences, training, per-layer gradient norms, the dead-unit fraction, the plot helper, bad input."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from helpers import activations as act
from helpers.activation_experiments import (
    dead_unit_fraction,
    init_mlp,
    layer_gradient_norms,
    mlp_forward,
    mlp_loss_and_gradients,
    plot_with_gradient,
    train_mlp,
)
from helpers.checks import numerical_gradient

matplotlib.use("Agg")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 3))
Y = RNG.normal(size=12)
Y01 = (RNG.random(12) > 0.5).astype(float)
KERAS_FN = {
    "sigmoid": keras.activations.sigmoid,
    "tanh": keras.activations.tanh,
    "relu": keras.activations.relu,
    "elu": keras.activations.elu,
    "linear": keras.activations.linear,
    "leaky_relu": lambda t: keras.activations.leaky_relu(t, negative_slope=0.01),
}


def tf_loss_and_gradients(X, y, params, activation, output, loss):
    variables = [(tf.Variable(W), tf.Variable(b)) for W, b in params]
    with tf.GradientTape() as tape:
        a = tf.constant(X)
        for i, (W, b) in enumerate(variables):
            z = a @ W + b
            a = KERAS_FN[activation](z) if i < len(variables) - 1 else z
        y = tf.constant(y.reshape(-1, 1))
        if loss == "mse":
            value = tf.reduce_mean((KERAS_FN[output](a) - y) ** 2)
        else:
            value = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=a))
    grads = tape.gradient(value, [v for pair in variables for v in pair])
    return float(value), [(grads[2 * i].numpy(), grads[2 * i + 1].numpy()) for i in range(len(variables))]


# --- init_mlp -----------------------------------------------------------------------------------------------
def test_init_mlp_shapes_bounds_and_determinism():
    params = init_mlp([3, 5, 2], seed=4)
    assert [(W.shape, b.shape) for W, b in params] == [((3, 5), (5,)), ((5, 2), (2,))]
    assert all(np.all(b == 0) for _, b in params)
    assert np.all(np.abs(params[0][0]) <= np.sqrt(6 / 8))
    again = init_mlp([3, 5, 2], seed=4)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(params, again, strict=True))
    he = init_mlp([400, 300], init="he", seed=0)[0][0]
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"layer_sizes": [3]}, ValueError, "layer_sizes must be a list of at least 2 sizes"),
        ({"layer_sizes": [3, 0]}, ValueError, r"layer_sizes\[1\] must be >= 1, got 0"),
        ({"layer_sizes": [3, 2.5]}, TypeError, r"layer_sizes\[1\] must be an integer"),
        ({"layer_sizes": [3, 2], "init": "xavier"}, ValueError, "init must be one of"),
        ({"layer_sizes": [3, 2], "seed": -1}, ValueError, "seed must be >= 0"),
    ],
)
def test_init_mlp_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        init_mlp(**kwargs)


# --- forward pass and gradients -----------------------------------------------------------------------------
def test_forward_pass_by_hand():
    params = [(np.array([[1.0, -1.0]]), np.array([0.0, 0.5])), (np.array([[2.0], [3.0]]), np.array([1.0]))]
    out, Z = mlp_forward([[2.0]], params, "relu")
    np.testing.assert_allclose(Z[0], [[2.0, -1.5]])
    np.testing.assert_allclose(out, [[2.0 * 2.0 + 0.0 + 1.0]])
    out, _ = mlp_forward([[2.0]], params, "relu", output="sigmoid")
    np.testing.assert_allclose(out, act.sigmoid(np.array([[5.0]])))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu", "leaky_relu", "linear"])
@pytest.mark.parametrize(
    "output, loss, y", [("linear", "mse", Y), ("sigmoid", "mse", Y01), ("sigmoid", "bce", Y01)]
)
def test_gradients_match_gradient_tape(activation, output, loss, y):
    params = init_mlp([3, 4, 4, 1], seed=2)
    value, grads = mlp_loss_and_gradients(X, y, params, activation, output, loss)
    tf_value, tf_grads = tf_loss_and_gradients(X, y, params, activation, output, loss)
    assert value == pytest.approx(tf_value, abs=1e-10)
    for (dW, db), (tW, tb) in zip(grads, tf_grads, strict=True):
        np.testing.assert_allclose(dW, tW, atol=1e-10)
        np.testing.assert_allclose(db, tb, atol=1e-10)


def test_gradients_match_finite_differences():
    params = init_mlp([3, 4, 1], seed=3)
    _, grads = mlp_loss_and_gradients(X, Y, params, "tanh")

    def loss_of(W0):
        return mlp_loss_and_gradients(X, Y, [(W0, params[0][1]), params[1]], "tanh")[0]

    np.testing.assert_allclose(grads[0][0], numerical_gradient(loss_of, params[0][0]), atol=1e-6)


def test_bad_network_arguments():
    params = init_mlp([3, 4, 1])
    with pytest.raises(TypeError, match="params must be a non-empty list"):
        mlp_forward(X, [], "relu")
    with pytest.raises(TypeError, match=r"params\[0\] must be a \(W, b\) pair"):
        mlp_forward(X, [params[0][0]], "relu")
    with pytest.raises(ValueError, match=r"params\[1\]\[0\] \(W\) must have 4 rows"):
        mlp_forward(X, [params[0], (np.ones((3, 1)), np.zeros(1))], "relu")
    with pytest.raises(ValueError, match=r"params\[0\]\[1\] \(b\) must have shape \(4\)"):
        mlp_forward(X, [(params[0][0], np.zeros(3)), params[1]], "relu")
    with pytest.raises(ValueError, match=r"X must have shape \(any, 3\), got shape \(12, 2\)"):
        mlp_forward(X[:, :2], params, "relu")
    with pytest.raises(ValueError, match="activation must be one of"):
        mlp_forward(X, params, "swishy")
    with pytest.raises(ValueError, match="output must be one of"):
        mlp_forward(X, params, "relu", output="softmax")
    with pytest.raises(ValueError, match="loss='bce' needs output='sigmoid'"):
        mlp_loss_and_gradients(X, Y01, params, "relu", loss="bce")
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp_loss_and_gradients(X, Y, params, "relu", loss="mae")
    with pytest.raises(ValueError, match=r"y must hold one target per output \(12\), got 11"):
        mlp_loss_and_gradients(X, Y[:11], params, "relu")


# --- training -----------------------------------------------------------------------------------------------
def test_train_mlp_learns_xor_and_leaves_its_input_alone():
    X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y_xor = np.array([0.0, 1.0, 1.0, 0.0])
    start = init_mlp([2, 8, 8, 1], seed=1)
    copy = [(W.copy(), b.copy()) for W, b in start]
    net, losses = train_mlp(
        X_xor, y_xor, start, "tanh", output="sigmoid", loss="bce", learning_rate=0.5, steps=600
    )
    assert len(losses) == 601 and losses[-1] < 0.05 < losses[0]
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(start, copy, strict=True))
    _, linear_losses = train_mlp(
        X_xor, y_xor, start, "linear", output="sigmoid", loss="bce", learning_rate=0.5, steps=600
    )
    assert linear_losses[-1] >= np.log(2) - 1e-9  # no linear model beats ln 2 on XOR


def test_train_mlp_stops_when_the_loss_diverges():
    with np.errstate(all="ignore"):
        _, losses = train_mlp(X, Y * 1e3, init_mlp([3, 8, 1]), "relu", learning_rate=1e3, steps=50)
    assert not np.isfinite(losses[-1]) and len(losses) < 51


def test_train_mlp_bad_arguments():
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        train_mlp(X, Y, init_mlp([3, 1]), "relu", learning_rate=0)
    with pytest.raises(ValueError, match="steps must be >= 0"):
        train_mlp(X, Y, init_mlp([3, 1]), "relu", steps=-1)


# --- gradient norms and dead units --------------------------------------------------------------------------
def test_vanishing_gradients_with_sigmoid_but_not_relu():
    rng = np.random.default_rng(0)
    Xd, yd = rng.normal(size=(64, 16)), rng.normal(size=64)
    deep = init_mlp([16] + [16] * 10 + [1], seed=0)
    norms = {a: layer_gradient_norms(Xd, yd, deep, a) for a in ("sigmoid", "relu")}
    assert norms["sigmoid"].shape == (11,)
    assert norms["relu"][0] >= 100 * norms["sigmoid"][0]
    assert norms["sigmoid"][0] < 1e-3 * norms["sigmoid"][-2]


def test_dead_unit_fraction():
    Z = np.array([[-1.0, 0.0, 2.0, -3.0], [-2.0, 0.0, -1.0, 0.5]])
    assert dead_unit_fraction(Z) == 0.5  # columns 0 and 1 are never positive
    assert dead_unit_fraction(np.ones((3, 2))) == 0.0
    with pytest.raises(ValueError, match=r"Z must have 2 dimension\(s\)"):
        dead_unit_fraction(np.ones(3))
    with pytest.raises(ValueError, match="Z must be finite"):
        dead_unit_fraction(np.array([[np.nan]]))


# --- the plot helper ----------------------------------------------------------------------------------------
def test_plot_with_gradient_draws_functions_and_derivatives():
    import matplotlib.pyplot as plt

    ax_f, ax_g = plot_with_gradient(["sigmoid", "tanh"])
    assert [line.get_label() for line in ax_f.get_lines()[:2]] == ["sigmoid", "tanh"]
    np.testing.assert_allclose(ax_g.get_lines()[0].get_ydata(), act.sigmoid_grad(np.linspace(-5, 5, 401)))
    assert ax_f.get_xlabel() and ax_g.get_ylabel() and ax_f.figure._suptitle.get_text() == "sigmoid, tanh"
    plt.close(ax_f.figure)
    x = np.linspace(-1, 1, 5)
    ax_f, ax_g = plot_with_gradient({"mine": (act.relu, act.relu_grad)}, x=x, title="T")
    np.testing.assert_allclose(ax_f.get_lines()[0].get_ydata(), act.relu(x))
    plt.close(ax_f.figure)


def test_plot_with_gradient_bad_arguments():
    with pytest.raises(ValueError, match="curves entry must be one of"):
        plot_with_gradient(["sigmoidal"])
    with pytest.raises(TypeError, match="curves must be a non-empty dict"):
        plot_with_gradient({})
    with pytest.raises(ValueError, match="x must have at least 2 element"):
        plot_with_gradient(["relu"], x=[1.0])
