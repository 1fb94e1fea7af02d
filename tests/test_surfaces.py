"""Tests of helpers.surfaces: values, analytic gradients against tf.GradientTape and finite differences,
the noisy wrapper, the contour plot, the race table, and bad input."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import helpers
from helpers import checks, optimizers, surfaces

helpers.setup(quiet=True)
import tensorflow as tf  # noqa: E402

matplotlib.use("Agg")

PAIRS = [(f, g) for f, g, *_ in surfaces.SURFACES.values()]
POINTS = np.array([[0.3, -0.7], [-1.2, 0.4], [1.1, 1.3], [0.0, 0.0], [-0.5, 2.0]])


@pytest.mark.parametrize("f,grad", PAIRS, ids=list(surfaces.SURFACES))
def test_gradient_matches_finite_differences_and_autodiff(f, grad):
    for p in POINTS:
        np.testing.assert_allclose(grad(p), checks.numerical_gradient(f, p), atol=1e-5)
    var = tf.Variable(POINTS, dtype=tf.float64)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(f(var))  # one value per row: the rows' gradients do not mix
    np.testing.assert_allclose(grad(POINTS), tape.gradient(total, var).numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("f,grad", PAIRS, ids=list(surfaces.SURFACES))
def test_grids_and_points_agree(f, grad):
    grid = POINTS.reshape(5, 1, 2)
    assert f(grid).shape == (5, 1) and grad(grid).shape == (5, 1, 2)
    np.testing.assert_allclose(f(grid)[:, 0], [f(p) for p in POINTS])


def test_known_values_and_stationary_points():
    assert surfaces.saddle((1.0, 2.0)) == -3.0
    assert surfaces.rosenbrock((1.0, 1.0)) == 0.0 and surfaces.rosenbrock((0.0, 0.0)) == 1.0
    assert surfaces.ravine((1.0, 1.0)) == 50.5
    assert surfaces.quartic_saddle((0.0, 1.0)) == -0.25
    for name, (_, grad, minima, _, _) in surfaces.SURFACES.items():
        for m in minima:
            np.testing.assert_allclose(grad(m), [0.0, 0.0], atol=1e-12, err_msg=name)
    (gx, _), (lx, _) = surfaces.SURFACES["two_minima"][2]
    assert gx < 0 < lx and surfaces.two_minima((gx, 0)) < surfaces.two_minima((lx, 0)) - 0.5
    np.testing.assert_allclose(surfaces.saddle_grad((0.0, 0.0)), [0.0, 0.0])


def test_saddle_hessian_has_eigenvalues_of_opposite_sign():
    var = tf.Variable([0.0, 0.0], dtype=tf.float64)
    for f, expected in [(surfaces.saddle, [-2.0, 2.0]), (surfaces.quartic_saddle, [-1.0, 2.0])]:
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                value = f(var)
            g = inner.gradient(value, var)
        hessian = outer.jacobian(g, var).numpy()
        np.testing.assert_allclose(np.linalg.eigvalsh(hessian), expected, atol=1e-12)


def test_noisy_is_seeded_and_unbiased():
    a = surfaces.noisy(surfaces.ravine_grad, 0.5, seed=3)
    b = surfaces.noisy(surfaces.ravine_grad, 0.5, seed=3)
    p = np.array([1.0, 1.0])
    first = a(p)
    np.testing.assert_array_equal(first, b(p))
    assert not np.array_equal(first, a(p))  # fresh noise on every call
    mean = np.mean([a(p) for _ in range(4000)], axis=0)
    np.testing.assert_allclose(mean, surfaces.ravine_grad(p), atol=0.05)
    np.testing.assert_array_equal(surfaces.noisy(surfaces.ravine_grad, 0.0)(p), surfaces.ravine_grad(p))


def test_steps_to_tolerance_and_race():
    path = np.array([[2.0, 2.0], [1.1, 1.0], [1.0005, 1.0]])
    assert surfaces.steps_to_tolerance(path, "rosenbrock", tol=0.2) == 1
    assert surfaces.steps_to_tolerance(path, "rosenbrock", tol=1e-3) == 2
    assert surfaces.steps_to_tolerance(path, "rosenbrock", tol=1e-6) is None
    sgd = optimizers.make_optimizer("sgd", learning_rate=0.019)
    slow = optimizers.make_optimizer("sgd", learning_rate=0.001)
    table = surfaces.race({"sgd": {"ravine": sgd}, "slow": {"ravine": slow}}, {"ravine": (1.0, 1.0)},
                          steps=500, tol=1e-3)
    assert list(table.index) == ["sgd", "slow"] and list(table.columns) == ["ravine"]
    assert 300 < table.loc["sgd", "ravine"] < 400 and table.isna().loc["slow", "ravine"]


def test_steps_to_tolerance_counts_every_equally_low_minimum_and_not_local_ones():
    # quartic_saddle has two global minima, (0, -1) and (0, 1): reaching either one counts
    up = np.array([[1.0, 0.5], [0.2, 0.9], [0.0, 1.0]])
    assert surfaces.steps_to_tolerance(up, "quartic_saddle", tol=1e-6) == 2
    assert surfaces.steps_to_tolerance(up * [1, -1], "quartic_saddle", tol=1e-6) == 2
    assert surfaces.steps_to_tolerance(up, "quartic_saddle", tol=0.25) == 1
    # two_minima: a path that ends in the LOCAL minimum never arrives
    gd = optimizers.make_optimizer("sgd", learning_rate=0.05)
    path = optimizers.run(gd, surfaces.two_minima_grad, (1.5, 1.0), 400)
    (gx, gy), (lx, ly) = surfaces.SURFACES["two_minima"][2]
    np.testing.assert_allclose(path[-1], [lx, ly], atol=1e-6)
    assert surfaces.steps_to_tolerance(path, "two_minima", tol=1e-3) is None
    assert surfaces.steps_to_tolerance(path[::-1] * [-1.0, 1.0] + [gx + lx, 0.0], "two_minima", tol=1e-3) == 0


def test_race_runs_noisy_surfaces_with_fresh_seeded_noise_and_per_surface_tolerances():
    step = optimizers.make_optimizer("sgd", learning_rate=0.01)
    starts = {"ravine": (-2.0, 0.5), "noisy_ravine": (-2.0, 0.5)}
    both = {"a": {"ravine": step, "noisy_ravine": step}, "b": {"ravine": step, "noisy_ravine": step}}
    table = surfaces.race(both, starts, steps=600, tol={"ravine": 0.01, "noisy_ravine": 0.2})
    assert list(table.columns) == ["ravine", "noisy_ravine"]
    assert table.loc["a"].equals(table.loc["b"])  # each run gets the same, freshly seeded noise
    sigma = surfaces.NOISY_SURFACES["noisy_ravine"][1]
    by_hand = optimizers.run(step, surfaces.noisy(surfaces.ravine_grad, sigma, 0), starts["noisy_ravine"], 600)
    assert table.loc["a", "noisy_ravine"] == surfaces.steps_to_tolerance(by_hand, "ravine", tol=0.2)
    assert table.loc["a", "noisy_ravine"] < table.loc["a", "ravine"]  # looser tolerance, reached sooner
    other = surfaces.race(both, starts, steps=600, tol={"ravine": 0.01, "noisy_ravine": 0.2}, seed=3)
    assert other.loc["a", "ravine"] == table.loc["a", "ravine"]


def test_race_rejects_bad_input_before_running():
    step = optimizers.make_optimizer("sgd", learning_rate=0.01)
    starts = {"ravine": (1.0, 1.0), "rosenbrock": (0.0, 0.0)}
    with pytest.raises(ValueError, match=r"optimizers\['b'\] has no step function for surface\(s\) \['rosenbrock'\]"):
        surfaces.race({"a": {"ravine": step, "rosenbrock": step}, "b": {"ravine": step}}, starts)
    with pytest.raises(TypeError, match=r"optimizers\['a'\] must be a dict"):
        surfaces.race({"a": step}, starts)
    with pytest.raises(ValueError, match=r"tol must be > 0"):
        surfaces.race({"a": {"ravine": step}}, {"ravine": (1.0, 1.0)}, tol=-1.0)
    with pytest.raises(ValueError, match=r"tol\['ravine'\] must be > 0"):
        surfaces.race({"a": {"ravine": step}}, {"ravine": (1.0, 1.0)}, tol={"ravine": 0.0})
    with pytest.raises(ValueError, match=r"tol must give a tolerance for each surface in starts"):
        surfaces.race({"a": {"ravine": step}}, {"ravine": (1.0, 1.0)}, tol={"rosenbrock": 0.1})
    with pytest.raises(ValueError, match=r"starts has a surface 'banana'"):
        surfaces.race({"a": {"banana": step}}, {"banana": (1.0, 1.0)})
    with pytest.raises(ValueError, match=r"surface 'saddle' has no minimum to reach"):
        surfaces.race({"a": {"saddle": step}}, {"saddle": (1.0, 1.0)})
    with pytest.raises(ValueError, match=r"seed must be >= 0"):
        surfaces.race({"a": {"ravine": step}}, {"ravine": (1.0, 1.0)}, seed=-1)
    with pytest.raises(TypeError, match=r"optimizers and starts must be dicts"):
        surfaces.race([step], starts)


def test_plot_paths_draws_every_path():
    import matplotlib.pyplot as plt

    paths = {"a": np.array([[1.0, 1.0], [0.5, 0.2]]), "b": np.array([[-1.0, 1.0], [0.0, 0.0]])}
    ax = surfaces.plot_paths("ravine", paths, title="t")
    assert ax.get_title() == "t" and [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert ax.get_xlim() == surfaces.SURFACES["ravine"][3]
    ax = surfaces.plot_paths("ravine", paths, xlim=(-0.5, 0.5), ylim=(-0.2, 0.2))
    assert ax.get_xlim() == (-0.5, 0.5) and ax.get_ylim() == (-0.2, 0.2) and ax.get_title() == "ravine"
    ax = surfaces.plot_paths("ravine", paths, styles={"a": {"ls": "--", "lw": 3.0}})
    line_a = [line for line in ax.get_lines() if line.get_label() == "a"][0]
    assert line_a.get_linestyle() == "--" and line_a.get_linewidth() == 3.0
    ends = [line for line in ax.get_lines() if line.get_marker() == "X"]  # every path's end point is marked
    assert sorted(tuple(line.get_xydata()[0]) for line in ends) == [(0.0, 0.0), (0.5, 0.2)]
    plt.close("all")


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match=r"p must have shape \(2,\) or \(\.\.\., 2\)"):
        surfaces.rosenbrock([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"p must be finite"):
        surfaces.saddle_grad([np.nan, 0.0])
    with pytest.raises(TypeError, match=r"p must be a number or an array of numbers"):
        surfaces.ravine("1, 2")
    with pytest.raises(ValueError, match=r"sigma must be >= 0"):
        surfaces.noisy(surfaces.ravine_grad, -1.0)
    with pytest.raises(TypeError, match=r"grad must be callable"):
        surfaces.noisy(3.0, 1.0)
    with pytest.raises(ValueError, match=r"surface must be one of .*got 'banana'"):
        surfaces.plot_paths("banana", {})
    with pytest.raises(TypeError, match=r"paths must be a dict"):
        surfaces.plot_paths("ravine", [np.zeros((2, 2))])
    with pytest.raises(ValueError, match=r"paths\['a'\] must have shape \(any, 2\)"):
        surfaces.plot_paths("ravine", {"a": np.zeros((3, 3))})
    with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high, got \(1.0, 0.0\)"):
        surfaces.plot_paths("ravine", {}, xlim=(1.0, 0.0))
    with pytest.raises(ValueError, match=r"ylim must have shape \(2\)"):
        surfaces.plot_paths("ravine", {}, ylim=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"surface 'saddle' has no minimum to reach"):
        surfaces.steps_to_tolerance(np.zeros((2, 2)), "saddle")
    with pytest.raises(ValueError, match=r"levels must be >= 2, got 1"):
        surfaces.plot_paths("ravine", {}, levels=1)
    with pytest.raises(TypeError, match=r"levels must be an integer"):
        surfaces.plot_paths("ravine", {}, levels=2.5)
    with pytest.raises(ValueError, match=r"resolution must be >= 10, got 5"):
        surfaces.plot_paths("ravine", {}, resolution=5)
    with pytest.raises(ValueError, match=r"resolution must be <= 1000"):
        surfaces.plot_paths("ravine", {}, resolution=5000)
    with pytest.raises(ValueError, match=r"styles has a label 'c' that is not in paths"):
        surfaces.plot_paths("ravine", {"a": np.zeros((2, 2))}, styles={"c": {}})
    with pytest.raises(TypeError, match=r"styles\['a'\] must be a dict"):
        surfaces.plot_paths("ravine", {"a": np.zeros((2, 2))}, styles={"a": "--"})
    with pytest.raises(TypeError, match=r"styles must be a dict"):
        surfaces.plot_paths("ravine", {}, styles=["--"])
    with pytest.raises(ValueError, match=r"tol must be > 0"):
        surfaces.steps_to_tolerance(np.zeros((2, 2)), "ravine", tol=0.0)


# --- sweeps ---------------------------------------------------------------------------------------------------
def test_steps_to_tolerance_takes_many_paths_and_ignores_diverged_runs():
    rates = np.array([0.01, 0.019, 0.03])
    paths = optimizers.run_many(optimizers.make_optimizer("sgd", learning_rate=rates[:, None]), surfaces.ravine_grad,
                                np.tile([-2.0, 0.5], (3, 1)), 1500)
    counts = surfaces.steps_to_tolerance(paths, "ravine", 0.01)
    single = [surfaces.steps_to_tolerance(optimizers.run(optimizers.make_optimizer("sgd", learning_rate=float(r)),
                                                         surfaces.ravine_grad, (-2.0, 0.5), 1500), "ravine", 0.01)
              for r in rates]
    assert counts == single and counts[2] is None and counts[0] == 528


def test_sweep_counts_steps_for_every_learning_rate():
    rates = np.array([0.001, 0.01, 0.0158, 0.03])
    steps = surfaces.sweep("sgd", rates, "ravine", (-2.0, 0.5), steps=1500, tol=0.01)
    assert steps.shape == (4,) and np.isnan(steps[0]) and np.isnan(steps[3])  # too slow; diverged
    assert steps[1] == 528 and steps[2] < steps[1]
    # equal effective steps lr / (1 - momentum): momentum is only a little faster than SGD on the ravine
    mom = surfaces.sweep("momentum", rates[1:3] * 0.1, "ravine", (-2.0, 0.5), steps=1500, tol=0.01, momentum=0.9)
    assert np.all(1.0 < steps[1:3] / mom) and np.all(steps[1:3] / mom < 1.25)


def test_sweep_rejects_bad_input():
    with pytest.raises(ValueError, match=r"rates must all be > 0, got -0.1"):
        surfaces.sweep("sgd", [0.1, -0.1], "ravine", (0.0, 1.0))
    with pytest.raises(ValueError, match=r"rates must have 1 dimension"):
        surfaces.sweep("sgd", 0.1, "ravine", (0.0, 1.0))
    with pytest.raises(ValueError, match=r"surface 'saddle' has no minimum to reach"):
        surfaces.sweep("sgd", [0.1], "saddle", (0.0, 1.0))
    with pytest.raises(ValueError, match=r"name must be one of"):
        surfaces.sweep("sgdd", [0.1], "ravine", (0.0, 1.0))
    with pytest.raises(TypeError, match=r"sgd has no hyper-parameter 'momentum'"):
        surfaces.sweep("sgd", [0.1], "ravine", (0.0, 1.0), momentum=0.9)
    with pytest.raises(ValueError, match=r"start must have shape \(2\)"):
        surfaces.sweep("sgd", [0.1], "ravine", (0.0, 1.0, 2.0))
    with pytest.raises(ValueError, match=r"path must have shape \(steps, 2\) or \(steps, runs, 2\)"):
        surfaces.steps_to_tolerance(np.zeros((3, 4, 3)), "ravine")


# --- the network surface ---------------------------------------------------------------------------------------
def _moons():
    from sklearn.datasets import make_moons

    return make_moons(n_samples=60, noise=0.2, random_state=0)


def test_net_loss_gradient_matches_finite_differences_and_gradient_tape():
    X, y = _moons()
    theta = surfaces.net_init(2, 5, seed=3) + 0.1  # nonzero biases too
    for penalty in (0.0, 0.01):
        loss, grad = surfaces.net_loss(theta, X, y, penalty=penalty)
        numeric = checks.numerical_gradient(lambda t, lam=penalty: surfaces.net_loss(t, X, y, penalty=lam)[0], theta)
        np.testing.assert_allclose(grad, numeric, atol=1e-7)
    t = tf.Variable(theta)
    with tf.GradientTape() as tape:
        W1, b1 = tf.reshape(t[:10], (2, 5)), t[10:15]
        z = tf.linalg.matvec(tf.tanh(X @ W1 + b1), t[15:20]) + t[20]
        value = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(tf.constant(y, tf.float64), z))
        value += 0.01 / 2 * tf.reduce_sum(t**2)
    np.testing.assert_allclose(loss, value.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad, tape.gradient(value, t).numpy(), atol=1e-12)
    p = surfaces.net_predict(theta, X)
    np.testing.assert_allclose(p, tf.sigmoid(z).numpy(), atol=1e-12)
    assert surfaces.net_predict(theta * 1e4, X).min() >= 0  # no overflow for huge logits


def test_net_init_draws_glorot_weights_and_zero_biases():
    theta = surfaces.net_init(2, 16, seed=0)
    assert theta.shape == (2 * 16 + 16 + 16 + 1,)
    assert np.abs(theta[:32]).max() <= np.sqrt(6 / 18) and np.abs(theta[48:64]).max() <= np.sqrt(6 / 17)
    assert np.all(theta[32:48] == 0) and theta[-1] == 0
    np.testing.assert_array_equal(theta, surfaces.net_init(2, 16, seed=0))
    assert not np.array_equal(theta, surfaces.net_init(2, 16, seed=1))


def test_minimize_net_converges_with_a_penalty_and_not_without():
    X, y = _moons()
    theta, losses = surfaces.minimize_net(surfaces.net_init(2, 4, seed=0), X, y, penalty=1e-2, gtol=1e-9)
    assert np.linalg.norm(surfaces.net_loss(theta, X, y, penalty=1e-2)[1]) < 1e-7
    assert losses.ndim == 1 and np.all(np.diff(losses) <= 1e-12)  # L-BFGS never goes uphill
    free, free_losses = surfaces.minimize_net(surfaces.net_init(2, 8, seed=0), X, y, max_steps=300)
    assert free_losses[-1] < 1e-3 and np.abs(free).max() > 10  # separable: the loss falls as the weights grow


def test_match_units_undoes_permutations_and_sign_flips():
    X, _ = _moons()
    theta = surfaces.net_init(2, 6, seed=2) + np.linspace(-0.3, 0.3, 25)
    W1, b1, W2 = theta[:12].reshape(2, 6), theta[12:18], theta[18:24]
    perm, sign = np.array([3, 0, 5, 1, 4, 2]), np.array([1, -1, -1, 1, 1, -1])
    other = np.concatenate([(W1[:, perm] * sign).ravel(), b1[perm] * sign, W2[perm] * sign, theta[-1:]])
    np.testing.assert_allclose(surfaces.net_predict(other, X), surfaces.net_predict(theta, X), atol=1e-12)
    assert np.abs(other - theta).max() > 0.1
    np.testing.assert_allclose(surfaces.match_units(theta, other, 2), theta, atol=1e-15)
    matched = surfaces.match_units(theta, surfaces.net_init(2, 6, seed=9), 2)  # another network: same function
    np.testing.assert_allclose(surfaces.net_predict(matched, X),
                               surfaces.net_predict(surfaces.net_init(2, 6, seed=9), X), atol=1e-12)


def test_network_helpers_reject_bad_input():
    X, y = _moons()
    theta = surfaces.net_init(2, 4, seed=0)
    with pytest.raises(ValueError, match=r"theta must hold \(d \+ 2\) \* hidden \+ 1 numbers for d = 2"):
        surfaces.net_loss(theta[:-1], X, y)
    with pytest.raises(ValueError, match=r"y must have shape \(60\)"):
        surfaces.net_loss(theta, X, y[:-1])
    with pytest.raises(ValueError, match=r"penalty must be >= 0"):
        surfaces.net_loss(theta, X, y, penalty=-1.0)
    with pytest.raises(ValueError, match=r"X must have 2 dimension"):
        surfaces.net_predict(theta, X[:, 0])
    with pytest.raises(ValueError, match=r"hidden must be >= 1"):
        surfaces.net_init(2, 0, seed=0)
    with pytest.raises(ValueError, match=r"other must have shape \(17\)"):
        surfaces.match_units(theta, theta[:-1], 2)
    with pytest.raises(ValueError, match=r"max_steps must be >= 1"):
        surfaces.minimize_net(theta, X, y, max_steps=0)
    with pytest.raises(ValueError, match=r"gtol must be > 0"):
        surfaces.minimize_net(theta, X, y, gtol=0.0)
