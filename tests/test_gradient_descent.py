"""Unit tests of helpers.gradient_descent (notebook 05): the update rule, the regression problem's gradient,
batch / stochastic / mini-batch gradient descent, epoch and iteration counts, and bad hyper-parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import checks
from helpers import gradient_descent as gd


@pytest.fixture(scope="module")
def problem():
    gen = np.random.default_rng(0)
    X = gen.normal(1.0, 1.0, size=(50, 2))
    y = X @ np.array([1.5, -2.0]) + 0.5 + gen.normal(0.0, 0.3, size=50)
    return X, y, np.array([0.2, -0.1, 0.3])


# --- gradient_descent: the update rule --------------------------------------------------------------------
@pytest.mark.parametrize("a", [0.02, 0.3, 0.5, 0.9, 1.1])
def test_gradient_descent_on_w_squared_follows_the_closed_form(a):
    path = gd.gradient_descent(lambda w: 2 * w, -4.0, a, 25)
    assert path.shape == (26,)
    np.testing.assert_allclose(path, (1 - 2 * a) ** np.arange(26) * -4.0, rtol=1e-12, atol=1e-300)


def test_gradient_descent_steps_against_the_slope_on_vectors():
    path = gd.gradient_descent(lambda w: np.array([2 * w[0], 8 * w[1]]), [1.0, -1.0], 0.1, 3)
    assert path.shape == (4, 2)
    np.testing.assert_allclose(path[1], [1.0 - 0.2, -1.0 + 0.8])
    assert np.all(np.abs(path[-1]) < np.abs(path[0]))


def test_gradient_descent_zero_steps_returns_the_start():
    np.testing.assert_array_equal(gd.gradient_descent(lambda w: 2 * w, 3.0, 0.1, 0), [3.0])


def test_gradient_descent_returns_divergence_quietly():
    path = gd.gradient_descent(lambda w: 2 * w, 1.0, 1e200, 3)
    assert not np.isfinite(path[-1])


# --- linear_mse and its gradient --------------------------------------------------------------------------
def test_linear_mse_value_and_grid(problem):
    X, y, theta = problem
    expected = np.mean((X @ theta[:2] + theta[2] - y) ** 2)
    assert gd.linear_mse(theta, X, y) == pytest.approx(expected, rel=1e-14)
    grid = np.stack([theta, 2 * theta, -theta]).reshape(3, 1, 3)
    values = gd.linear_mse(grid, X, y)
    assert values.shape == (3, 1)
    assert values[1, 0] == pytest.approx(gd.linear_mse(2 * theta, X, y), rel=1e-14)


def test_linear_mse_grad_against_finite_differences(problem):
    X, y, theta = problem
    numeric = checks.numerical_gradient(lambda t: gd.linear_mse(t, X, y), theta)
    np.testing.assert_allclose(gd.linear_mse_grad(theta, X, y), numeric, atol=1e-6)


def test_linear_mse_grad_against_gradient_tape(problem):
    import tensorflow as tf

    X, y, theta = problem
    t = tf.Variable(theta)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((tf.constant(X) @ t[:-1, None] + t[-1] - tf.constant(y)[:, None]) ** 2)
    np.testing.assert_allclose(gd.linear_mse_grad(theta, X, y), tape.gradient(loss, t).numpy(), atol=1e-12)


def test_linear_mse_grad_vanishes_at_least_squares(problem):
    X, y, _ = problem
    A = np.column_stack([X, np.ones(len(y))])
    theta_star = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(gd.linear_mse_grad(theta_star, X, y), 0.0, atol=1e-12)


# --- epochs and iterations --------------------------------------------------------------------------------
COUNTS = [(200, 200, 1), (200, 32, 7), (200, 1, 200), (1000, 64, 16), (10, 3, 4), (10, 5, 2), (1, 1, 1)]


@pytest.mark.parametrize("n, batch_size, expected", COUNTS)
def test_updates_per_epoch_is_ceil(n, batch_size, expected):
    assert gd.updates_per_epoch(n, batch_size) == expected == math.ceil(n / batch_size)
    assert gd.iterations(n, batch_size, 3) == 3 * expected
    assert gd.iterations(n, batch_size, 0) == 0


@pytest.mark.parametrize("batch_size", [1, 7, 16, 50])
def test_history_holds_one_row_per_update_and_per_epoch(problem, batch_size):
    X, y, theta = problem
    h = gd.minibatch_gradient_descent(X, y, theta, 0.01, batch_size, epochs=3, seed=1)
    per_epoch = gd.updates_per_epoch(len(y), batch_size)
    assert h["updates_per_epoch"] == per_epoch and h["batch_size"] == batch_size
    assert h["theta"].shape == (3 * per_epoch + 1, 3)
    for key in ("loss", "time", "epoch"):
        assert h[key].shape == (3 * per_epoch + 1,)
    assert h["epoch_theta"].shape == (4, 3)
    assert h["epoch_loss"].shape == h["epoch_time"].shape == (4,)
    np.testing.assert_array_equal(h["epoch_theta"][-1], h["theta"][-1])
    np.testing.assert_array_equal(h["epoch"][per_epoch::per_epoch], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(h["theta"][0], theta)
    assert np.all(np.diff(h["time"]) >= 0)
    np.testing.assert_allclose(h["loss"], [gd.linear_mse(t, X, y) for t in h["theta"]], rtol=1e-12)


def test_keras_fit_makes_the_same_number_of_updates_and_the_same_trajectory(problem):
    import keras

    X, y, theta = problem

    class Recorder(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.thetas = []

        def on_train_batch_end(self, batch, logs=None):
            kernel, bias = self.model.layers[-1].get_weights()
            self.thetas.append(np.append(kernel.ravel(), bias))

    model = keras.Sequential([keras.Input(shape=(2,), dtype="float64"),
                              keras.layers.Dense(1, dtype="float64")])
    model.layers[-1].set_weights([theta[:2, None], theta[2:]])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0625), loss="mse", jit_compile=False)
    recorder = Recorder()
    model.fit(X, y, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[recorder])
    ours = gd.minibatch_gradient_descent(X, y, theta, 0.0625, 16, epochs=2, shuffle=False)
    assert len(recorder.thetas) == len(ours["theta"]) - 1 == gd.iterations(50, 16, 2) == 8
    # 0.0625 is exact in float32, Keras's learning-rate dtype, so the trajectories agree to rounding
    np.testing.assert_allclose(np.array(recorder.thetas), ours["theta"][1:], atol=1e-12)


# --- the three variants -----------------------------------------------------------------------------------
def test_batch_gradient_descent_is_the_exact_full_gradient_step(problem):
    X, y, theta = problem
    h = gd.minibatch_gradient_descent(X, y, theta, 0.05, batch_size=len(y), epochs=3, seed=5)
    expected = theta
    for k in range(1, 4):
        expected = expected - 0.05 * gd.linear_mse_grad(expected, X, y)
        np.testing.assert_allclose(h["theta"][k], expected, atol=1e-13)
    plain = gd.gradient_descent(lambda t: gd.linear_mse_grad(t, X, y), theta, 0.05, 3)
    np.testing.assert_allclose(h["theta"], plain, atol=1e-13)


def test_stochastic_gradient_descent_uses_one_example_per_update(problem):
    X, y, theta = problem
    h = gd.minibatch_gradient_descent(X, y, theta, 0.01, batch_size=1, epochs=1, shuffle=False)
    first = theta - 0.01 * gd.linear_mse_grad(theta, X[:1], y[:1])
    np.testing.assert_allclose(h["theta"][1], first, atol=1e-15)


def test_last_partial_batch_uses_the_mean_over_its_own_examples(problem):
    X, y, theta = problem
    h = gd.minibatch_gradient_descent(X, y, theta, 0.01, batch_size=16, epochs=1, shuffle=False)  # 16+16+16+2
    before_last = h["theta"][3]
    expected = before_last - 0.01 * gd.linear_mse_grad(before_last, X[48:], y[48:])
    np.testing.assert_allclose(h["theta"][4], expected, atol=1e-15)


def test_shuffling_is_seeded_and_changes_the_path(problem):
    X, y, theta = problem
    a = gd.minibatch_gradient_descent(X, y, theta, 0.01, 8, epochs=2, seed=3)["theta"]
    b = gd.minibatch_gradient_descent(X, y, theta, 0.01, 8, epochs=2, seed=3)["theta"]
    c = gd.minibatch_gradient_descent(X, y, theta, 0.01, 8, epochs=2, seed=4)["theta"]
    d = gd.minibatch_gradient_descent(X, y, theta, 0.01, 8, epochs=2, seed=np.random.default_rng(3))["theta"]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, d)
    assert np.max(np.abs(a - c)) > 1e-6


@pytest.mark.parametrize("batch_size", [1, 10, 50])
def test_every_variant_approaches_the_least_squares_minimum(problem, batch_size):
    X, y, theta = problem
    A = np.column_stack([X, np.ones(len(y))])
    loss_star = gd.linear_mse(np.linalg.lstsq(A, y, rcond=None)[0], X, y)
    h = gd.minibatch_gradient_descent(X, y, theta, 0.02, batch_size, epochs=150, seed=0)
    assert h["epoch_loss"][-1] - loss_star < 0.05 * (h["epoch_loss"][0] - loss_star)


# --- bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lr", [0, -0.1])
def test_non_positive_learning_rate_is_rejected(problem, lr):
    X, y, theta = problem
    with pytest.raises(ValueError, match=r"learning_rate must be > 0"):
        gd.gradient_descent(lambda w: 2 * w, 1.0, lr, 3)
    with pytest.raises(ValueError, match=r"learning_rate must be > 0"):
        gd.minibatch_gradient_descent(X, y, theta, lr, 8, 1)


def test_non_finite_learning_rate_is_rejected(problem):
    X, y, theta = problem
    with pytest.raises(ValueError, match=r"learning_rate must be finite"):
        gd.minibatch_gradient_descent(X, y, theta, np.inf, 8, 1)


@pytest.mark.parametrize("bs, error, match", [(0, ValueError, r"batch_size must be >= 1, got 0"),
                                              (51, ValueError, r"batch_size must be <= 50, got 51"),
                                              (2.5, TypeError, r"batch_size must be an integer")])
def test_bad_batch_size_is_rejected(problem, bs, error, match):
    X, y, theta = problem
    with pytest.raises(error, match=match):
        gd.minibatch_gradient_descent(X, y, theta, 0.1, bs, 1)
    if error is ValueError:
        with pytest.raises(error, match=match):
            gd.updates_per_epoch(50, bs)


@pytest.mark.parametrize("start", [np.nan, np.inf])
def test_non_finite_start_is_rejected(problem, start):
    X, y, _ = problem
    with pytest.raises(ValueError, match=r"w0 must be finite"):
        gd.gradient_descent(lambda w: 2 * w, start, 0.1, 3)
    with pytest.raises(ValueError, match=r"theta0 must be finite"):
        gd.minibatch_gradient_descent(X, y, [0.0, start, 0.0], 0.1, 8, 1)


def test_mismatched_X_and_y_are_rejected(problem):
    X, y, theta = problem
    with pytest.raises(ValueError, match=r"X and y must have one row per example: X has 50 rows .* y has 49"):
        gd.minibatch_gradient_descent(X, y[:-1], theta, 0.1, 8, 1)
    with pytest.raises(ValueError, match=r"X and y must have one row per example"):
        gd.linear_mse_grad(theta, X[:10], y)
    with pytest.raises(ValueError, match=r"X must have 2 dimension\(s\)"):
        gd.linear_mse(theta, X[:, 0], y)


def test_theta_of_the_wrong_length_is_rejected(problem):
    X, y, _ = problem
    with pytest.raises(ValueError, match=r"theta0 must hold the 2 weight\(s\) and then the bias \(3 values"):
        gd.minibatch_gradient_descent(X, y, [0.0, 0.0], 0.1, 8, 1)
    with pytest.raises(ValueError, match=r"theta must hold the 2 weight\(s\)"):
        gd.linear_mse_grad([1.0, 2.0, 3.0, 4.0], X, y)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"epochs": 0}, ValueError, r"epochs must be >= 1, got 0"),
    ({"seed": -1}, ValueError, r"seed must be >= 0"),
    ({"seed": "a"}, TypeError, r"seed must be an integer"),
    ({"shuffle": "yes"}, TypeError, r"shuffle must be True or False"),
])
def test_other_bad_arguments_are_rejected(problem, kwargs, error, match):
    X, y, theta = problem
    args = {"epochs": 1, **kwargs}
    with pytest.raises(error, match=match):
        gd.minibatch_gradient_descent(X, y, theta, 0.1, 8, **args)


def test_gradient_descent_bad_arguments():
    with pytest.raises(TypeError, match=r"grad must be callable"):
        gd.gradient_descent(3.0, 1.0, 0.1, 3)
    with pytest.raises(ValueError, match=r"steps must be >= 0, got -1"):
        gd.gradient_descent(lambda w: 2 * w, 1.0, 0.1, -1)
    with pytest.raises(ValueError, match=r"epochs must be >= 0, got -2"):
        gd.iterations(10, 2, -2)
    with pytest.raises(ValueError, match=r"grad\(w\) must have the shape of w0 \(2,\), got \(3,\)"):
        gd.gradient_descent(lambda w: np.ones(3), [1.0, 2.0], 0.1, 2)
    with pytest.raises(ValueError, match=r"grad\(w\) must have the shape of w0 \(\), got \(1,\)"):
        gd.gradient_descent(lambda w: np.atleast_1d(2 * w), 1.0, 0.1, 2)


# --- line_data, epoch_batches, minibatch_runs, steps_to_reach ----------------------------------------------
def test_line_data_is_seeded_and_shaped():
    X, y = gd.line_data(50, seed=3)
    assert X.shape == (50, 1) and y.shape == (50,)
    X2, y2 = gd.line_data(50, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    gen = np.random.default_rng(3)  # x first, then the noise, from one generator
    x = gen.normal(1.0, 1.0, size=50)
    np.testing.assert_array_equal(X[:, 0], x)
    np.testing.assert_array_equal(y, 3.0 * x + 2.0 + gen.normal(0.0, 1.0, size=50))
    with pytest.raises(ValueError, match=r"n must be >= 2"):
        gd.line_data(1)
    with pytest.raises(TypeError, match=r"seed must be an integer"):
        gd.line_data(10, seed=1.5)


@pytest.mark.parametrize("n, batch_size, sizes", [(10, 3, [3, 3, 3, 1]), (10, 5, [5, 5]), (7, 7, [7]),
                                                  (1, 1, [1]), (5, 1, [1] * 5)])
def test_epoch_batches_partition_the_examples_ragged_last(n, batch_size, sizes):
    batches = gd.epoch_batches(n, batch_size, np.random.default_rng(0))
    assert [len(b) for b in batches] == sizes == [len(b) for b in gd.epoch_batches(n, batch_size)]
    assert len(batches) == gd.updates_per_epoch(n, batch_size)
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    np.testing.assert_array_equal(np.concatenate(batches), np.random.default_rng(0).permutation(n))
    np.testing.assert_array_equal(np.concatenate(gd.epoch_batches(n, batch_size)), np.arange(n))


def test_epoch_batches_bad_arguments():
    with pytest.raises(ValueError, match=r"batch_size must be <= 4, got 5"):
        gd.epoch_batches(4, 5)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator or None, got int"):
        gd.epoch_batches(4, 2, 3)


@pytest.mark.parametrize("batch_size", [1, 7, 16, 50])
def test_minibatch_runs_match_one_run_per_seed(problem, batch_size):
    X, y, theta = problem
    runs = gd.minibatch_runs(X, y, theta, 0.02, batch_size, epochs=3, seeds=[0, 4, 9])
    assert runs["epoch_theta"].shape == (3, 4, 3) and runs["epoch_loss"].shape == (3, 4)
    for k, seed in enumerate([0, 4, 9]):
        single = gd.minibatch_gradient_descent(X, y, theta, 0.02, batch_size, epochs=3, seed=seed)
        np.testing.assert_allclose(runs["epoch_theta"][k], single["epoch_theta"], rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(runs["epoch_loss"][k], single["epoch_loss"], rtol=1e-12)


def test_minibatch_runs_bad_arguments(problem):
    X, y, theta = problem
    with pytest.raises(TypeError, match=r"seeds must be a non-empty list of integers"):
        gd.minibatch_runs(X, y, theta, 0.1, 8, 1, seeds=[])
    with pytest.raises(ValueError, match=r"seeds\[1\] must be >= 0, got -1"):
        gd.minibatch_runs(X, y, theta, 0.1, 8, 1, seeds=[0, -1])
    with pytest.raises(ValueError, match=r"batch_size must be <= 50"):
        gd.minibatch_runs(X, y, theta, 0.1, 51, 1, seeds=[0])
    with pytest.raises(ValueError, match=r"learning_rate must be > 0"):
        gd.minibatch_runs(X, y, theta, 0.0, 8, 1, seeds=[0])


def test_steps_to_reach_counts_steps_on_w_squared():
    # L = w^2 from w = 1: one step multiplies w by 1 - 2a; within 0.05 after the first k with |1-2a|^k < 0.05
    rates = np.array([0.5, 0.25, 0.05, 1.5])
    needed = gd.steps_to_reach(lambda W: 2 * W, [1.0], [0.0], rates, tol=0.05, max_steps=100)
    expected = [1, int(np.ceil(np.log(0.05) / np.log(0.5)))]
    expected += [int(np.floor(np.log(0.05) / np.log(0.9))) + 1, 101]  # slow; diverging never arrives
    np.testing.assert_array_equal(needed, expected)
    assert needed.dtype.kind == "i"


def test_steps_to_reach_matches_gradient_descent():
    H = np.array([[3.0, 1.0], [1.0, 0.5]])
    target = np.array([1.0, -2.0])
    needed = gd.steps_to_reach(lambda W: (W - target) @ H, [0.0, 0.0], target, [0.3], tol=1e-3, max_steps=2000)[0]
    path = gd.gradient_descent(lambda w: H @ (w - target), [0.0, 0.0], 0.3, 2000)
    distance = np.linalg.norm(path - target, axis=1)
    assert needed == np.flatnonzero(distance < 1e-3)[0]


def test_steps_to_reach_bad_arguments():
    grad = lambda W: 2 * W  # noqa: E731
    with pytest.raises(ValueError, match=r"learning_rates must all be > 0, got -0.1"):
        gd.steps_to_reach(grad, [1.0], [0.0], [0.1, -0.1])
    with pytest.raises(ValueError, match=r"target must have shape \(1\)"):
        gd.steps_to_reach(grad, [1.0], [0.0, 0.0], [0.1])
    with pytest.raises(ValueError, match=r"grad must return an array of shape \(2, 1\)"):
        gd.steps_to_reach(lambda W: np.ones(3), [1.0], [0.0], [0.1, 0.2])
    with pytest.raises(TypeError, match=r"grad must be callable"):
        gd.steps_to_reach("grad", [1.0], [0.0], [0.1])
    with pytest.raises(ValueError, match=r"tol must be > 0"):
        gd.steps_to_reach(grad, [1.0], [0.0], [0.1], tol=0)
