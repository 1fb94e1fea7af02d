"""Unit tests of helpers.neuron (notebook 01): values, agreement with Keras, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import activations, neuron


def test_neuron_computes_the_weighted_sum_then_the_activation():
    assert neuron.neuron([1.0, 2.0, 3.0], [0.5, -1.0, 0.25], 0.5) == pytest.approx(-0.25)
    assert neuron.neuron([1.0, 2.0, 3.0], [0.5, -1.0, 0.25], 0.5, "sigmoid") == pytest.approx(1 / (1 + np.exp(0.25)))
    assert neuron.neuron([2.0, -1.0], [0.3, 0.8], 0.1, activation="relu") == 0.0
    assert neuron.neuron([1.0], [2.0], 0.0, activation=np.square) == pytest.approx(4.0)


def test_dense_matches_a_keras_dense_layer():
    import keras

    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    layer = keras.layers.Dense(4, activation="tanh", dtype="float64")
    layer.build((None, 3))
    layer.set_weights([W, b])
    np.testing.assert_allclose(neuron.dense(X, W, b, "tanh"), layer(X).numpy(), atol=1e-12)
    np.testing.assert_allclose(neuron.dense(X, W, b), X @ W + b)
    np.testing.assert_allclose(neuron.dense(X, W, b, activations.relu), np.maximum(X @ W + b, 0))


def test_count_parameters_matches_keras():
    import keras

    sizes = [11, 6, 6, 1]
    model = keras.Sequential([keras.Input(shape=(11,))] + [keras.layers.Dense(n) for n in sizes[1:]])
    assert neuron.count_parameters(sizes) == model.count_params() == 121
    assert neuron.count_parameters((784, 128, 64, 10)) == 109386


@pytest.mark.parametrize(
    "args, error, pattern",
    [
        (([1.0, 2.0], [1.0], 0.0), ValueError, r"w must have one weight per input.*\(2,\).*\(1,\)"),
        (([1.0, np.nan], [1.0, 1.0], 0.0), ValueError, "x must be finite"),
        (([[1.0, 2.0]], [1.0, 1.0], 0.0), ValueError, r"x must have 1 dimension"),
        (([1.0], [1.0], "0"), TypeError, "b must be a real number"),
        (([1.0], [1.0], float("inf")), ValueError, "b must be finite"),
        (("ab", [1.0], 0.0), TypeError, "x must be a number"),
    ],
)
def test_neuron_rejects_bad_input(args, error, pattern):
    with pytest.raises(error, match=pattern):
        neuron.neuron(*args)


def test_neuron_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of"):
        neuron.neuron([1.0], [1.0], 0.0, activation="sigmod")
    with pytest.raises(TypeError, match="activation must be callable"):
        neuron.neuron([1.0], [1.0], 0.0, activation=3)


@pytest.mark.parametrize(
    "bad", [lambda z: np.array([z, z]), lambda z: "high", lambda z: None, lambda z: [], lambda z: 1j * z]
)
def test_neuron_rejects_an_activation_that_does_not_return_one_number(bad):
    with pytest.raises(TypeError, match=r"activation must return one number for the weighted sum z = 3.0"):
        neuron.neuron([1.0], [1.0], 2.0, activation=bad)


def test_neuron_accepts_an_activation_returning_a_one_element_array():
    assert neuron.neuron([1.0], [2.0], 0.5, activation=lambda z: np.array([z])) == 2.5


@pytest.mark.parametrize(
    "X, W, b, pattern",
    [
        (np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2), r"W must have one row per input feature.*\(2, 3\).*\(4, 2\)"),
        (np.zeros((2, 3)), np.zeros((3, 2)), np.zeros(3), r"b must have one entry per neuron.*\(3, 2\).*\(3,\)"),
        (np.zeros(3), np.zeros((3, 2)), np.zeros(2), "X must have 2 dimension"),
        (np.zeros((2, 3)), np.zeros(3), np.zeros(2), "W must have 2 dimension"),
        (np.full((2, 3), np.inf), np.zeros((3, 2)), np.zeros(2), "X must be finite"),
    ],
)
def test_dense_rejects_bad_shapes(X, W, b, pattern):
    with pytest.raises(ValueError, match=pattern):
        neuron.dense(X, W, b)


@pytest.mark.parametrize(
    "sizes, error, pattern",
    [([3], ValueError, "at least two"), ("34", ValueError, "at least two"), ([3, 0], ValueError, r"layer_sizes\[1\]"),
     ([3, 2.5], TypeError, r"layer_sizes\[1\] must be an integer"),
     (5, TypeError, r"layer_sizes must be a list of layer sizes.*got 5 \(type int\)"),
     (None, TypeError, r"layer_sizes must be a list of layer sizes.*got None \(type NoneType\)")],
)
def test_count_parameters_rejects_bad_sizes(sizes, error, pattern):
    with pytest.raises(error, match=pattern):
        neuron.count_parameters(sizes)


X_GATE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@pytest.mark.parametrize("y", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]])
def test_perceptron_learns_linearly_separable_gates(y):
    w, b, mistakes = neuron.perceptron_fit(X_GATE, y, epochs=100)
    assert mistakes[-1] == 0
    np.testing.assert_array_equal(neuron.perceptron_predict(X_GATE, w, b), y)


def test_perceptron_never_learns_xor():
    _, _, mistakes = neuron.perceptron_fit(X_GATE, [0, 1, 1, 0], epochs=500)
    assert len(mistakes) == 500 and min(mistakes) > 0


def test_perceptron_rule_moves_weights_only_on_mistakes():
    w, b, mistakes = neuron.perceptron_fit(np.array([[1.0, 2.0]]), [0], learning_rate=0.5, epochs=1)
    # step(0) = 1 is wrong for target 0: w -= 0.5 * x, b -= 0.5
    np.testing.assert_allclose(w, [-0.5, -1.0])
    assert b == -0.5 and mistakes == [1]


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"y": [0, 1, 2, 0]}, ValueError, r"y must hold only 0 and 1, got values \[0.0, 1.0, 2.0\]"),
        ({"y": [0, 1]}, ValueError, "same number of rows"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be > 0"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"epochs": 2.5}, TypeError, "epochs must be an integer"),
    ],
)
def test_perceptron_fit_rejects_bad_arguments(kwargs, error, pattern):
    args = {"X": X_GATE, "y": [0, 0, 0, 1], **kwargs}
    with pytest.raises(error, match=pattern):
        neuron.perceptron_fit(**args)


def test_perceptron_predict_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="w must have one weight per column of X"):
        neuron.perceptron_predict(X_GATE, [1.0, 1.0, 1.0], 0.0)


# --- train_small_networks: notebook 01's Keras training, for many starts at once ------------------------------
def test_train_small_networks_does_what_keras_fit_does():
    import keras

    from helpers import setup

    setup(3, quiet=True)
    y = np.array([0, 1, 1, 0])
    for hidden in (4, 2):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(hidden, activation="tanh"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.2), loss="binary_crossentropy")
        start = model.get_weights()
        history = model.fit(X_GATE, y, epochs=25, batch_size=4, verbose=0)
        ours = neuron.train_small_networks(X_GATE, y, hidden=hidden, runs=1, epochs=25, learning_rate=0.2,
                                           weights=tuple(w[None] for w in start))
        np.testing.assert_allclose(ours["loss"][0], history.history["loss"], atol=1e-4)
        np.testing.assert_allclose(ours["p"][0], model(X_GATE).numpy()[:, 0], atol=1e-4)
        for got, want in zip(ours["weights"], model.get_weights()):
            np.testing.assert_allclose(got[0], want, atol=1e-3)


def test_train_small_networks_runs_are_independent_and_seeded():
    y = [0, 1, 1, 0]
    many = neuron.train_small_networks(X_GATE, y, hidden=3, runs=5, epochs=30, seed=11)
    again = neuron.train_small_networks(X_GATE, y, hidden=3, runs=5, epochs=30, seed=11)
    np.testing.assert_array_equal(many["p"], again["p"])
    assert many["p"].shape == (5, 4) and many["loss"].shape == (5, 30)
    assert [w.shape for w in many["weights"]] == [(5, 2, 3), (5, 3), (5, 3, 1), (5, 1)]
    # run 2 alone, from the same start, gives the same result: nothing leaks between runs
    rng = np.random.default_rng(11)
    starts = [(neuron.glorot_uniform(2, 3, rng), np.zeros(3), neuron.glorot_uniform(3, 1, rng), np.zeros(1))
              for _ in range(5)]
    one = neuron.train_small_networks(X_GATE, y, hidden=3, runs=1, epochs=30,
                                      weights=tuple(np.stack([starts[2][k]]) for k in range(4)))
    np.testing.assert_allclose(one["p"][0], many["p"][2], atol=1e-12)
    # the loss it logs is binary cross-entropy of the probabilities before each update, falling overall
    assert np.all(many["loss"][:, -1] < many["loss"][:, 0])


def test_glorot_uniform_has_keras_limits():
    w = neuron.glorot_uniform(2, 4, np.random.default_rng(0))
    assert w.shape == (2, 4) and np.all(np.abs(w) <= 1.0)  # sqrt(6 / (2 + 4)) = 1
    big = neuron.glorot_uniform(300, 300, np.random.default_rng(1))
    assert np.abs(big).max() <= 0.1 and np.var(big) == pytest.approx(2 / 600, rel=0.05)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        neuron.glorot_uniform(2, 2, 0)
    with pytest.raises(ValueError, match="n_in must be >= 1"):
        neuron.glorot_uniform(0, 2, np.random.default_rng(0))


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"y": [0, 1, 2, 0]}, ValueError, r"y must hold only 0 and 1"),
        ({"y": [0, 1]}, ValueError, "same number of rows"),
        ({"hidden": 0}, ValueError, "hidden must be >= 1"),
        ({"runs": 2.5}, TypeError, "runs must be an integer"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be > 0"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"weights": (1, 2)}, TypeError, r"weights must be a tuple \(W1, b1, W2, b2\)"),
        ({"weights": (np.zeros((1, 2, 3)), np.zeros((1, 3)), np.zeros((1, 3, 1)), np.zeros((1, 1)))}, ValueError,
         r"weights\[0\] must have shape"),
    ],
)
def test_train_small_networks_rejects_bad_arguments(kwargs, error, pattern):
    args = {"X": X_GATE, "y": [0, 1, 1, 0], "runs": 1, "epochs": 2, **kwargs}
    with pytest.raises(error, match=pattern):
        neuron.train_small_networks(**args)


def test_shown_sources_teach_the_idea_not_the_checks():
    # notebook 01 shows these with helpers.show_source: the argument checks sit in one plumbing line
    import inspect

    for function, core in [(neuron.neuron, "np.dot(w, x) + b"), (neuron.dense, "f(X @ W + b)"),
                           (neuron.perceptron_fit, "w += learning_rate * error * x_i")]:
        source = inspect.getsource(function)
        assert core in source and "raise" not in source and source.count("_arguments(") == 1, function.__name__
