"""Tests of helpers.mlp and helpers.gradcheck: the from-scratch network against finite differences,
tf.GradientTape and Keras, and its argument checks."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import gradcheck, mlp

helpers.setup(seed=0, quiet=True)
import keras  # noqa: E402  (after setup, which imports TensorFlow quietly)


def make_data(rng, n, n_in, n_out, loss):
    X = rng.normal(size=(n, n_in))
    if loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    elif loss == "categorical_cross_entropy":
        y = np.eye(n_out)[rng.integers(0, n_out, size=n)]
    else:
        y = rng.normal(size=(n, n_out))
    return X, y


def perturbed_params(sizes, rng):
    """Glorot weights plus noise, so that biases are not all zero and no unit sits exactly at a kink."""
    return {k: v + 0.1 * rng.normal(size=v.shape) for k, v in mlp.init_params(sizes, rng).items()}


CASES = [  # layer sizes, activations, loss: several depths, activations and losses
    ([3, 1], ["sigmoid"], "binary_cross_entropy"),
    ([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    ([3, 5, 4, 2], ["relu", "gelu", "linear"], "mse"),
    ([3, 4, 4, 4, 1], ["elu", "softplus", "leaky_relu", "linear"], "mae"),
    ([4, 6, 3], ["silu", "softmax"], "categorical_cross_entropy"),
    ([2, 3, 3, 2], ["sigmoid", "tanh", "sigmoid"], "binary_cross_entropy"),
]


# --- gradients ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, activations, loss", CASES, ids=lambda c: str(c))
def test_backward_matches_finite_differences_and_tensorflow(sizes, activations, loss):
    rng = np.random.default_rng(1)
    params = perturbed_params(sizes, rng)
    X, y = make_data(rng, 9, sizes[0], sizes[-1], loss)
    results = gradcheck.gradient_check(params, X, y, activations, loss, verbose=False)
    assert set(results) == set(params)
    for rel_fd, rel_tf in results.values():
        assert rel_fd < 1e-7 and rel_tf < 1e-10


def test_backward_on_one_sample_by_hand():
    # one sigmoid neuron with binary cross-entropy: dL/dz = p - y, dL/dw = (p - y) x
    params = {"W1": np.array([[0.5], [-0.25]]), "b1": np.array([0.1])}
    x, y = np.array([[2.0, 1.0]]), np.array([1.0])
    output, cache = mlp.forward(params, x, ["sigmoid"])
    p = 1 / (1 + np.exp(-(2 * 0.5 - 0.25 + 0.1)))
    assert output[0, 0] == pytest.approx(p, abs=1e-15)
    grads = mlp.backward(params, cache, y, "binary_cross_entropy")
    np.testing.assert_allclose(grads["W1"], [[(p - 1) * 2], [(p - 1) * 1]], atol=1e-12)
    np.testing.assert_allclose(grads["b1"], [p - 1], atol=1e-12)


def test_backward_does_not_change_params():
    rng = np.random.default_rng(2)
    params = perturbed_params([2, 3, 1], rng)
    before = {k: v.copy() for k, v in params.items()}
    X, y = make_data(rng, 5, 2, 1, "mse")
    _, cache = mlp.forward(params, X, ["tanh", "linear"])
    mlp.backward(params, cache, y, "mse")
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_gradient_check_catches_a_broken_backward():
    rng = np.random.default_rng(3)
    params = perturbed_params([2, 4, 4, 1], rng)
    X, y = make_data(rng, 8, 2, 1, "binary_cross_entropy")
    activations = ["tanh", "tanh", "sigmoid"]

    def forgets_activation_derivative(params, cache, y, loss):
        hidden_linear = ["linear"] * (len(cache["activations"]) - 1) + cache["activations"][-1:]
        return mlp.backward(params, {**cache, "activations": hidden_linear}, y, loss)

    with pytest.raises(AssertionError, match=r"gradient check failed for W1, b1, W2, b2 \("):
        gradcheck.gradient_check(params, X, y, activations, "binary_cross_entropy",
                                 backward_fn=forgets_activation_derivative, verbose=False)

    def off_by_factor_two(params, cache, y, loss):
        return {k: 2 * g for k, g in mlp.backward(params, cache, y, loss).items()}

    with pytest.raises(AssertionError, match="W1, b1, W2, b2, W3, b3"):
        gradcheck.gradient_check(params, X, y, activations, "binary_cross_entropy",
                                 backward_fn=off_by_factor_two, use_tensorflow=False, verbose=False)


def test_gradient_check_prints_one_line_per_parameter(capsys):
    rng = np.random.default_rng(4)
    params = perturbed_params([2, 3, 1], rng)
    X, y = make_data(rng, 6, 2, 1, "binary_cross_entropy")
    gradcheck.gradient_check(params, X, y, ["tanh", "sigmoid"], "binary_cross_entropy")
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[:2] for line in lines] == [["OK", "W1"], ["OK", "b1"], ["OK", "W2"], ["OK", "b2"]]
    assert all("exact:" in line and "approximate: True" in line and "TensorFlow" in line for line in lines)


def test_gradient_check_rejects_bad_arguments():
    rng = np.random.default_rng(5)
    params = perturbed_params([2, 1], rng)
    X, y = make_data(rng, 4, 2, 1, "mse")
    with pytest.raises(TypeError, match="backward_fn must be callable"):
        gradcheck.gradient_check(params, X, y, ["linear"], "mse", backward_fn=3)
    with pytest.raises(ValueError, match="tol must be > 0"):
        gradcheck.gradient_check(params, X, y, ["linear"], "mse", tol=0)
    with pytest.raises(ValueError, match="backward_fn must return a dict with the keys of params"):
        gradcheck.gradient_check(params, X, y, ["linear"], "mse", backward_fn=lambda *a: {"W1": 0})


def test_relative_difference():
    assert gradcheck.relative_difference([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_difference([1.0, 4.0], [1.0, 3.0]) == pytest.approx(0.25)
    assert gradcheck.relative_difference([0.0], [0.0]) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_difference([1.0], [1.0, 2.0])


# --- forward, step, training, and Keras ---------------------------------------------------------------------
def test_init_params_shapes_and_glorot_limits():
    params = mlp.init_params([3, 5, 2], np.random.default_rng(0))
    assert {k: v.shape for k, v in params.items()} == {"W1": (3, 5), "b1": (5,), "W2": (5, 2), "b2": (2,)}
    assert np.all(np.abs(params["W1"]) <= np.sqrt(6 / 8)) and np.all(np.abs(params["W2"]) <= np.sqrt(6 / 7))
    assert not params["b1"].any() and not params["b2"].any()
    again = mlp.init_params([3, 5, 2], np.random.default_rng(0))
    assert all(np.array_equal(params[k], again[k]) for k in params)


def test_forward_matches_keras_and_fills_the_cache():
    rng = np.random.default_rng(6)
    params = perturbed_params([3, 4, 2], rng)
    X = rng.normal(size=(5, 3))
    output, cache = mlp.forward(params, X, ["relu", "softmax"])
    model = keras.Sequential([keras.Input(shape=(3,), dtype="float64"),
                              keras.layers.Dense(4, activation="relu", dtype="float64"),
                              keras.layers.Dense(2, activation="softmax", dtype="float64")])
    model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
    np.testing.assert_allclose(output, model(X).numpy(), atol=1e-12)
    assert set(cache) == {"A0", "Z1", "A1", "Z2", "A2", "activations"}
    np.testing.assert_allclose(cache["A1"], np.maximum(X @ params["W1"] + params["b1"], 0), atol=1e-15)
    np.testing.assert_array_equal(mlp.predict(params, X, ["relu", "softmax"]), output)


def test_one_sgd_step_matches_keras():
    rng = np.random.default_rng(7)
    sizes, activations = [2, 6, 5, 1], ["tanh", "relu", "sigmoid"]
    params = mlp.init_params(sizes, rng)
    X, y = make_data(rng, 16, 2, 1, "binary_cross_entropy")
    layers = [keras.layers.Dense(n, activation=a, dtype="float64")
              for n, a in zip(sizes[1:], activations, strict=True)]
    model = keras.Sequential([keras.Input(shape=(2,), dtype="float64"), *layers])
    model.set_weights([params[f"{kind}{layer}"] for layer in (1, 2, 3) for kind in "Wb"])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.25),  # exact in float32, as Keras keeps it
                  loss=keras.losses.BinaryCrossentropy(dtype="float64"))
    model.train_on_batch(X, y)
    _, cache = mlp.forward(params, X, activations)
    ours = mlp.sgd_step(params, mlp.backward(params, cache, y, "binary_cross_entropy"), 0.25)
    for layer, keras_layer in enumerate(model.layers, start=1):
        kernel, bias = keras_layer.get_weights()
        np.testing.assert_allclose(ours[f"W{layer}"], kernel, atol=1e-12)
        np.testing.assert_allclose(ours[f"b{layer}"], bias, atol=1e-12)


@pytest.mark.parametrize("activation, loss, y", [
    ("sigmoid", "binary_cross_entropy", [[1.0], [0.0]]),
    ("softmax", "categorical_cross_entropy", [[1.0, 0.0], [0.0, 1.0]]),
])
def test_a_saturated_wrong_output_keeps_its_full_gradient(activation, loss, y):
    # z = -40 for the true class: p is about 4e-18, far inside the clip of the probabilities. Chained through
    # the clipped probability the gradient would vanish; from the logits it is (p - y) / n, as in Keras.
    n_out = len(y[0])
    W = np.full((1, n_out), -40.0) if n_out == 1 else np.array([[-20.0, 20.0]])
    params = {"W1": W, "b1": np.zeros(n_out)}
    X = np.array([[1.0], [-1.0]])
    y = np.array(y)
    output, cache = mlp.forward(params, X, [activation])
    grads = mlp.backward(params, cache, y, loss)
    dZ = (output - y) / len(y)
    np.testing.assert_allclose(grads["W1"], X.T @ dZ, rtol=1e-12)
    assert np.abs(grads["W1"]).max() > 0.9  # the full push, not a vanished one
    model = keras.Sequential([keras.Input(shape=(1,), dtype="float64"),
                              keras.layers.Dense(n_out, activation=activation, dtype="float64")])
    model.set_weights([params["W1"], params["b1"]])
    keras_loss = {"binary_cross_entropy": keras.losses.BinaryCrossentropy,
                  "categorical_cross_entropy": keras.losses.CategoricalCrossentropy}[loss](dtype="float64")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.25), loss=keras_loss)
    model.train_on_batch(X, y)
    ours = mlp.sgd_step(params, grads, 0.25)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(ours["W1"], kernel, atol=1e-12)
    np.testing.assert_allclose(ours["b1"], bias, atol=1e-12)
    assert mlp.compute_loss(params, X, y, [activation], loss) == pytest.approx(40.0, rel=1e-9)


def test_backward_rejects_a_cache_that_forward_did_not_make():
    params = {"W1": np.ones((2, 1)), "b1": np.zeros(1)}
    with pytest.raises(TypeError, match="cache must be the dict that forward returns"):
        mlp.backward(params, None, [1.0], "binary_cross_entropy")


def test_sgd_step_values_and_errors():
    params = {"W1": np.array([[1.0], [2.0]]), "b1": np.array([0.5])}
    grads = {"W1": np.array([[0.5], [-1.0]]), "b1": np.array([1.0])}
    new = mlp.sgd_step(params, grads, 0.1)
    np.testing.assert_allclose(new["W1"], [[0.95], [2.1]])
    np.testing.assert_allclose(new["b1"], [0.4])
    assert params["W1"][0, 0] == 1.0  # unchanged
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        mlp.sgd_step(params, grads, 0.0)
    with pytest.raises(ValueError, match="grads must have the same keys as params"):
        mlp.sgd_step(params, {"W1": grads["W1"]}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['b1'\] must have shape \(1,\)"):
        mlp.sgd_step(params, {**grads, "b1": np.zeros(2)}, 0.1)


def test_train_solves_xor():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    params, history = mlp.train(mlp.init_params([2, 4, 1], np.random.default_rng(0)), X, y,
                                ["tanh", "sigmoid"], "binary_cross_entropy", learning_rate=1.0, epochs=1000)
    assert history.shape == (1000,) and history[-1] < 0.05 < history[0]
    assert np.array_equal(mlp.predict(params, X, ["tanh", "sigmoid"])[:, 0] >= 0.5, y == 1)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        mlp.train(params, X, y, ["tanh", "sigmoid"], "binary_cross_entropy", 1.0, 0)


@pytest.mark.parametrize("sizes, activations, loss", [
    ([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    ([3, 5, 4, 2], ["relu", "elu", "linear"], "mse"),
    ([2, 3, 1], ["silu", "sigmoid"], "mse"),
])
def test_train_many_trains_each_network_as_train_does(sizes, activations, loss):
    rng = np.random.default_rng(5)
    X, y = make_data(rng, 11, sizes[0], sizes[-1], loss)
    starts = [perturbed_params(sizes, np.random.default_rng(seed)) for seed in range(4)]
    together, history = mlp.train_many(starts, X, y, activations, loss, learning_rate=0.3, epochs=60)
    assert history.shape == (4, 60) and len(together) == 4
    for start, params, row in zip(starts, together, history, strict=True):
        alone, alone_history = mlp.train(start, X, y, activations, loss, learning_rate=0.3, epochs=60)
        np.testing.assert_allclose(row, alone_history, rtol=1e-12, atol=1e-15)
        for name in alone:
            assert params[name].shape == alone[name].shape
            np.testing.assert_allclose(params[name], alone[name], rtol=1e-11, atol=1e-13)
    assert all(np.array_equal(s["W1"], p["W1"]) for s, p in zip(starts, [perturbed_params(sizes, np.random.default_rng(
        seed)) for seed in range(4)], strict=True))  # the starting points are left as they were


def test_train_many_rejects_bad_arguments():
    X, y = np.zeros((4, 2)), np.array([0.0, 1.0, 1.0, 0.0])
    start = mlp.init_params([2, 3, 1], np.random.default_rng(0))
    with pytest.raises(TypeError, match="params_list"):
        mlp.train_many(start, X, y, ["tanh", "sigmoid"], "binary_cross_entropy", 1.0, 5)
    with pytest.raises(ValueError, match="shapes of params_list"):
        mlp.train_many([start, mlp.init_params([2, 4, 1], np.random.default_rng(0))], X, y, ["tanh", "sigmoid"],
                       "binary_cross_entropy", 1.0, 5)
    with pytest.raises(ValueError, match="supports"):
        mlp.train_many([start], X, y, ["tanh", "sigmoid"], "mae", 1.0, 5)
    with pytest.raises(ValueError, match="learning_rate"):
        mlp.train_many([start], X, y, ["tanh", "sigmoid"], "binary_cross_entropy", 0.0, 5)
    with pytest.raises(ValueError, match="epochs"):
        mlp.train_many([start], X, y, ["tanh", "sigmoid"], "binary_cross_entropy", 1.0, 0)
    with pytest.raises(ValueError, match="y must"):
        mlp.train_many([start], X, y[:3], ["tanh", "sigmoid"], "binary_cross_entropy", 1.0, 5)


def test_compute_loss_matches_the_loss_function():
    rng = np.random.default_rng(8)
    params = perturbed_params([2, 3, 1], rng)
    X, y = make_data(rng, 6, 2, 1, "mse")
    output, _ = mlp.forward(params, X, ["tanh", "linear"])
    expected = np.mean((output - y) ** 2)
    assert mlp.compute_loss(params, X, y, ["tanh", "linear"], "mse") == pytest.approx(expected)


def test_count_flops():
    assert mlp.count_flops([2, 3, 1], 10) == (10 * (6 + 3), 2 * 10 * (6 + 3) - 10 * 6)
    with pytest.raises(ValueError, match="layer_sizes must be a list of at least two"):
        mlp.count_flops([4], 10)


# --- bad input ----------------------------------------------------------------------------------------------
@pytest.fixture
def net():
    rng = np.random.default_rng(9)
    params = perturbed_params([2, 3, 1], rng)
    X = rng.normal(size=(4, 2))
    return params, X, ["tanh", "sigmoid"]


def test_bad_shapes_are_rejected(net):
    params, X, activations = net
    with pytest.raises(ValueError, match=r"X must have shape \(any, 2\), got shape \(4, 3\)"):
        mlp.forward(params, np.ones((4, 3)), activations)
    with pytest.raises(ValueError, match=r"X must have shape \(any, 2\), got shape \(2,\)"):
        mlp.forward(params, np.ones(2), activations)
    _, cache = mlp.forward(params, X, activations)
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\) .* got shape \(3,\)"):
        mlp.backward(params, cache, np.ones(3), "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\) .* got shape \(4, 2\)"):
        mlp.backward(params, cache, np.ones((4, 2)), "mse")
    with pytest.raises(ValueError, match=r"params\['W2'\] must have 3 rows"):
        mlp.forward({**params, "W2": np.ones((4, 1))}, X, activations)
    with pytest.raises(ValueError, match=r"params\['b1'\] must have one entry per column"):
        mlp.forward({**params, "b1": np.ones(2)}, X, activations)
    with pytest.raises(ValueError, match="params must hold exactly"):
        mlp.forward({k: v for k, v in params.items() if k != "b2"}, X, activations)
    with pytest.raises(TypeError, match="params must be a dict"):
        mlp.forward([params["W1"]], X, activations)


def test_labels_outside_unit_interval_are_rejected(net):
    params, X, activations = net
    _, cache = mlp.forward(params, X, activations)
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 1\] for loss 'binary_cross_entropy', "
                                         r"but it holds 2.0"):
        mlp.backward(params, cache, [0, 1, 2, 1], "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 1\]"):
        mlp.train(params, X, [0, -1, 1, 1], activations, "binary_cross_entropy", 0.1, 3)
    mlp.backward(params, cache, [0, -1, 2, 1], "mse")  # regression targets may be anything


def test_bad_activations_losses_and_rng_are_rejected(net):
    params, X, activations = net
    with pytest.raises(ValueError, match=r"activations must name one activation per layer \(2\), got 1"):
        mlp.forward(params, X, ["tanh"])
    with pytest.raises(TypeError, match="activations must be a list"):
        mlp.forward(params, X, "tanh")
    with pytest.raises(ValueError, match=r"activations\[0\] must be one of"):
        mlp.forward(params, X, ["softmax", "sigmoid"])  # softmax only in the output layer
    with pytest.raises(ValueError, match=r"activations\[1\] must be one of"):
        mlp.forward(params, X, ["tanh", "sigmod"])
    _, cache = mlp.forward(params, X, activations)
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp.backward(params, cache, [0, 1, 1, 0], "cross_entropy")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        mlp.init_params([2, 1], 42)
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be >= 1"):
        mlp.init_params([2, 0, 1], np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"layer_sizes\[0\] must be an integer"):
        mlp.init_params([2.5, 1], np.random.default_rng(0))


def test_init_params_he_and_bad_init():
    glorot = mlp.init_params([3, 5, 2], np.random.default_rng(0), init="glorot")
    default = mlp.init_params([3, 5, 2], np.random.default_rng(0))
    assert all(np.array_equal(glorot[k], default[k]) for k in default)  # "glorot" is the default
    he = mlp.init_params([400, 300, 2], np.random.default_rng(0), init="he")
    assert {k: v.shape for k, v in he.items()} == {"W1": (400, 300), "b1": (300,), "W2": (300, 2), "b2": (2,)}
    assert he["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # normal, variance 2 / fan_in
    assert he["W2"].std() == pytest.approx(np.sqrt(2 / 300), rel=0.1)
    assert abs(he["W1"].mean()) < 1e-3 and not he["b1"].any()
    assert np.abs(he["W1"]).max() > np.sqrt(6 / 700)  # not Glorot's bounded uniform
    with pytest.raises(ValueError, match="init must be one of"):
        mlp.init_params([2, 1], np.random.default_rng(0), init="xavier")


# --- gradcheck's building blocks, directly -----------------------------------------------------------------
@pytest.mark.parametrize("sizes, activations, loss", CASES[1:5], ids=lambda c: str(c))
def test_numerical_and_tensorflow_grads_match_backward(sizes, activations, loss):
    rng = np.random.default_rng(11)
    params = perturbed_params(sizes, rng)
    X, y = make_data(rng, 7, sizes[0], sizes[-1], loss)
    _, cache = mlp.forward(params, X, activations)
    exact = mlp.backward(params, cache, y, loss)
    numeric = gradcheck.numerical_grads(params, X, y, activations, loss)
    reference = gradcheck.tensorflow_grads(params, X, y, activations, loss)
    assert set(numeric) == set(reference) == set(params)
    for name in params:
        assert numeric[name].shape == reference[name].shape == params[name].shape
        np.testing.assert_allclose(numeric[name], exact[name], rtol=1e-6, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(reference[name], exact[name], rtol=1e-10, atol=1e-14, err_msg=name)


def test_numerical_grads_error_is_smallest_near_the_default_eps():
    # truncation (eps**2) dominates at large eps, round-off (1e-16 / eps) at small eps
    rng = np.random.default_rng(12)
    params = perturbed_params([2, 4, 1], rng)
    X, y = make_data(rng, 10, 2, 1, "binary_cross_entropy")
    _, cache = mlp.forward(params, X, ["tanh", "sigmoid"])
    exact = mlp.backward(params, cache, y, "binary_cross_entropy")

    def error(eps):
        numeric = gradcheck.numerical_grads(params, X, y, ["tanh", "sigmoid"], "binary_cross_entropy", eps=eps)
        return max(gradcheck.relative_difference(exact[k], numeric[k]) for k in params)

    at_default = error(1e-5)
    assert at_default < 1e-8
    assert error(1e-2) > 100 * at_default and error(1e-9) > 100 * at_default
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck.numerical_grads(params, X, y, ["tanh", "sigmoid"], "binary_cross_entropy", eps=0.0)


def test_gradcheck_arguments_are_checked():
    rng = np.random.default_rng(13)
    params = perturbed_params([2, 1], rng)
    X, y = make_data(rng, 4, 2, 1, "mse")
    with pytest.raises(TypeError, match=r"^a must be a number or an array of numbers, got .a."):
        gradcheck.relative_difference("a", [1.0])
    with pytest.raises(TypeError, match=r"b must be a number or an array"):
        gradcheck.relative_difference([1.0], None)
    with pytest.raises(TypeError, match=r"use_tensorflow must be True or False, got 'yes'"):
        gradcheck.gradient_check(params, X, y, ["linear"], "mse", use_tensorflow="yes")
    with pytest.raises(TypeError, match=r"verbose must be True or False, got 1"):
        gradcheck.gradient_check(params, X, y, ["linear"], "mse", verbose=1)
    with pytest.raises(ValueError, match="loss must be one of"):
        gradcheck.tensorflow_grads(params, X, y, ["linear"], "sse")
    with pytest.raises(TypeError, match=r"params\['W1'\] must contain numbers"):
        gradcheck.numerical_grads({**params, "W1": [["a"], ["b"]]}, X, y, ["linear"], "mse")


def test_relative_difference_is_normwise():
    # a wrong small entry next to a large one passes the normwise measure: documented, and shown here
    assert gradcheck.relative_difference([1000.0, 1e-3], [1000.0, -1e-3]) < 1e-5


def test_non_numeric_params_and_grads_are_rejected(net):
    params, X, activations = net
    with pytest.raises(TypeError, match=r"params\['b1'\] must contain numbers"):
        mlp.forward({**params, "b1": np.array(["x", "y", "z"])}, X, activations)
    with pytest.raises(TypeError, match="params must be a dict"):
        mlp.sgd_step([1], {}, 0.1)
    with pytest.raises(TypeError, match=r"params\['W1'\] must contain numbers"):
        mlp.sgd_step({**params, "W1": [["a"], ["b"]]}, params, 0.1)
    with pytest.raises(TypeError, match=r"grads\['W2'\] must contain numbers"):
        mlp.sgd_step(params, {**params, "W2": [["a"], ["b"], ["c"]]}, 0.1)
