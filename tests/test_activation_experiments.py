"""Unit tests of helpers.activation_experiments (notebooks 02, 04, 05): per-layer gradient norms of the helpers.mlp
network against tf.GradientTape, the vanishing-gradient claim, the dead-unit fraction (and that a dead ReLU
unit really gets no gradient), the plot helper, the stacked training of many networks at once (against
mlp.train), bad input."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from helpers import activation_experiments as ae
from helpers import activations as act
from helpers import mlp
from helpers.activation_experiments import dead_unit_fraction, layer_gradient_norms, plot_with_gradient

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


def tf_weight_gradient_norms(params, X, y, activations, loss):
    """The norm of dL/dW for every layer, by tf.GradientTape on a network written directly in TensorFlow."""
    n_layers = len(activations)
    weights = [tf.Variable(params[f"W{layer}"]) for layer in range(1, n_layers + 1)]
    with tf.GradientTape() as tape:
        a = tf.constant(X)
        for layer, (W, name) in enumerate(zip(weights, activations, strict=True), start=1):
            a = KERAS_FN[name](a @ W + params[f"b{layer}"])
        y = tf.constant(y.reshape(-1, 1))
        if loss == "mse":
            value = tf.reduce_mean((a - y) ** 2)
        else:
            value = tf.reduce_mean(keras.losses.binary_crossentropy(y, a))
    return np.array([tf.norm(g).numpy() for g in tape.gradient(value, weights)])


def perturbed(sizes, seed):
    """Glorot weights and biases with noise, so that no ReLU unit sits exactly at its kink."""
    rng = np.random.default_rng(seed)
    return {k: v + 0.1 * rng.normal(size=v.shape) for k, v in mlp.init_params(sizes, rng).items()}


# --- gradient norms -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "elu", "leaky_relu", "linear"])
@pytest.mark.parametrize("output, loss, y", [("linear", "mse", Y), ("sigmoid", "binary_cross_entropy", Y01)])
def test_layer_gradient_norms_match_gradient_tape(hidden, output, loss, y):
    params = perturbed([3, 4, 4, 1], seed=2)
    activations = [hidden, hidden, output]
    norms = layer_gradient_norms(params, X, y, activations, loss)
    assert norms.shape == (3,) and np.all(norms > 0)
    np.testing.assert_allclose(norms, tf_weight_gradient_norms(params, X, y, activations, loss), rtol=1e-9)


def test_layer_gradient_norms_by_hand():
    # one linear neuron, MSE: dL/dW = 2 x (w x - y) / n = 2 * 2 * (1 * 2 - 3) / 1 = -4, so the norm is 4
    params = {"W1": np.array([[1.0]]), "b1": np.array([0.0])}
    np.testing.assert_allclose(layer_gradient_norms(params, [[2.0]], [3.0], ["linear"]), [4.0])


def test_vanishing_gradients_with_sigmoid_but_not_relu():
    rng = np.random.default_rng(0)
    Xd, yd = rng.normal(size=(64, 16)), rng.normal(size=64)
    deep = mlp.init_params([16] + [16] * 10 + [1], np.random.default_rng(0))
    norms = {a: layer_gradient_norms(deep, Xd, yd, [a] * 10 + ["linear"]) for a in ("sigmoid", "relu")}
    assert norms["sigmoid"].shape == (11,)
    assert norms["relu"][0] >= 100 * norms["sigmoid"][0]
    assert norms["sigmoid"][0] < 1e-3 * norms["sigmoid"][-2]
    he = mlp.init_params([16] + [16] * 10 + [1], np.random.default_rng(0), init="he")
    assert layer_gradient_norms(he, Xd, yd, ["relu"] * 10 + ["linear"])[0] >= 10 * norms["relu"][0]


def test_layer_gradient_norms_bad_arguments():
    params = mlp.init_params([3, 4, 1], np.random.default_rng(0))
    with pytest.raises(TypeError, match="params must be a dict"):
        layer_gradient_norms([(params["W1"], params["b1"])], X, Y, ["relu", "linear"])
    with pytest.raises(ValueError, match=r"activations must name one activation per layer \(2\), got 1"):
        layer_gradient_norms(params, X, Y, ["relu"])
    with pytest.raises(ValueError, match=r"X must have shape \(any, 3\), got shape \(12, 2\)"):
        layer_gradient_norms(params, X[:, :2], Y, ["relu", "linear"])
    with pytest.raises(ValueError, match="loss must be one of"):
        layer_gradient_norms(params, X, Y, ["relu", "linear"], "bce")
    with pytest.raises(ValueError, match=r"y must have shape \(12, 1\)"):
        layer_gradient_norms(params, X, Y[:11], ["relu", "linear"])


# --- dead units ---------------------------------------------------------------------------------------------
def test_a_dead_relu_unit_gets_no_gradient():
    params = perturbed([3, 4, 1], seed=5)
    params["b1"][1] = -100.0  # unit 2 of the hidden layer is off on every example
    _, cache = mlp.forward(params, X, ["relu", "linear"])
    assert dead_unit_fraction(cache["Z1"]) == 0.25
    grads = mlp.backward(params, cache, Y, "mse")
    assert not grads["W1"][:, 1].any() and grads["b1"][1] == 0 and grads["W1"][:, [0, 2, 3]].any()


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
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair \(f, f_grad\) of functions, got 3"):
        plot_with_gradient({"a": 3})
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair"):
        plot_with_gradient({"a": (act.relu,)})
    with pytest.raises(TypeError, match=r"curves\['a'\] must be a pair"):
        plot_with_gradient({"a": (act.relu, "grad")})
    with pytest.raises(ValueError, match="x must have at least 2 element"):
        plot_with_gradient(["relu"], x=[1.0])


# --- many networks at once: stack_networks, train_stack, hidden_units ---------------------------------------
MOONS_X = np.random.default_rng(4).normal(size=(30, 2))
MOONS_Y = (MOONS_X[:, 0] * MOONS_X[:, 1] > 0).astype(float)


def three_networks(init="he"):
    return [mlp.init_params([2, 5, 4, 1], np.random.default_rng(s), init=init) for s in range(3)]


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu", "elu", "tanh"])
def test_train_stack_takes_exactly_mlp_trains_steps(hidden):
    acts = [hidden, hidden, "sigmoid"]
    nets = three_networks()
    stack, history = ae.train_stack(ae.stack_networks(nets), MOONS_X, MOONS_Y, acts, 0.7, 25)
    assert history.shape == (25, 3)
    for k, net in enumerate(nets):
        trained, losses = mlp.train(net, MOONS_X, MOONS_Y, acts, "binary_cross_entropy", 0.7, 25)
        for name in trained:
            np.testing.assert_allclose(stack[name][k], trained[name], rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(history[:, k], losses, rtol=1e-12)


def test_train_stack_survives_a_step_far_too_large():
    acts = ["elu", "elu", "sigmoid"]
    nets = three_networks()
    stack, _ = ae.train_stack(ae.stack_networks(nets), MOONS_X, MOONS_Y, acts, 500.0, 3)
    for k, net in enumerate(nets):
        trained, _ = mlp.train(net, MOONS_X, MOONS_Y, acts, "binary_cross_entropy", 500.0, 3)
        np.testing.assert_allclose(stack["W1"][k], trained["W1"], rtol=1e-9)
    assert np.all(np.isfinite(ae.hidden_units(stack, MOONS_X, MOONS_Y, acts)["loss"]))


def test_hidden_units_against_mlp_backward():
    acts = ["relu", "relu", "sigmoid"]
    nets = three_networks()
    nets[1]["b1"][2] = -50.0  # a first-layer unit that is off on every example: dead
    report = ae.hidden_units(ae.stack_networks(nets), MOONS_X, MOONS_Y, acts)
    assert report["off"].shape == report["grad_norm"].shape == (3, 9)
    np.testing.assert_array_equal(report["layer"], [1] * 5 + [2] * 4)
    assert report["off"][1, 2] and report["grad_norm"][1, 2] == 0
    for k, net in enumerate(nets):
        _, cache = mlp.forward(net, MOONS_X, acts)
        grads = mlp.backward(net, cache, MOONS_Y, "binary_cross_entropy")
        norms = np.concatenate([np.sqrt(np.sum(grads[f"W{i}"] ** 2, axis=0) + grads[f"b{i}"] ** 2) for i in (1, 2)])
        np.testing.assert_allclose(report["grad_norm"][k], norms, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(report["off"][k, :5], np.all(cache["Z1"] <= 0, axis=0))
        np.testing.assert_allclose(report["Z"][1][k], cache["Z2"])
        assert report["loss"][k] == pytest.approx(
            mlp.compute_loss(net, MOONS_X, MOONS_Y, acts, "binary_cross_entropy"), rel=1e-12)
        np.testing.assert_allclose(report["grads"]["W3"][k], grads["W3"], rtol=1e-12)


def test_stack_and_unstack_round_trip():
    nets = three_networks()
    stack = ae.stack_networks(nets)
    assert stack["W1"].shape == (3, 2, 5) and stack["b3"].shape == (3, 1)
    for k, net in enumerate(nets):
        back = ae.unstack_network(stack, k)
        assert back.keys() == net.keys() and all(np.array_equal(back[n], net[n]) for n in net)


def test_stack_bad_arguments():
    nets = three_networks()
    with pytest.raises(TypeError, match=r"networks must be a non-empty list"):
        ae.stack_networks(nets[0])
    with pytest.raises(ValueError, match=r"networks\[1\] must have the shapes of networks\[0\]"):
        ae.stack_networks([nets[0], mlp.init_params([2, 3, 1], np.random.default_rng(0))])
    stack = ae.stack_networks(nets)
    with pytest.raises(ValueError, match=r"k must be <= 2, got 3"):
        ae.unstack_network(stack, 3)
    with pytest.raises(TypeError, match=r"stack must be the dict that stack_networks returns"):
        ae.train_stack(nets, MOONS_X, MOONS_Y, ["relu", "relu", "sigmoid"], 0.1, 1)
    with pytest.raises(ValueError, match=r"activations\[-1\] must be 'sigmoid'"):
        ae.train_stack(stack, MOONS_X, MOONS_Y, ["relu", "relu", "linear"], 0.1, 1)
    with pytest.raises(ValueError, match=r"activations must name one activation per layer \(3\)"):
        ae.train_stack(stack, MOONS_X, MOONS_Y, ["relu", "sigmoid"], 0.1, 1)
    with pytest.raises(ValueError, match=r"activations\[0\] must be one of"):
        ae.train_stack(stack, MOONS_X, MOONS_Y, ["relux", "relu", "sigmoid"], 0.1, 1)
    with pytest.raises(ValueError, match=r"X must have shape \(any, 2\)"):
        ae.hidden_units(stack, MOONS_X[:, :1], MOONS_Y, ["relu", "relu", "sigmoid"])
    with pytest.raises(ValueError, match=r"y must hold one label per row of X \(30\)"):
        ae.train_stack(stack, MOONS_X, MOONS_Y[:5], ["relu", "relu", "sigmoid"], 0.1, 1)
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 1\]"):
        ae.train_stack(stack, MOONS_X, 2 * MOONS_Y, ["relu", "relu", "sigmoid"], 0.1, 1)
    with pytest.raises(ValueError, match=r"learning_rate must be > 0"):
        ae.train_stack(stack, MOONS_X, MOONS_Y, ["relu", "relu", "sigmoid"], 0.0, 1)
    with pytest.raises(ValueError, match=r"steps must be >= 0"):
        ae.train_stack(stack, MOONS_X, MOONS_Y, ["relu", "relu", "sigmoid"], 0.1, -1)
