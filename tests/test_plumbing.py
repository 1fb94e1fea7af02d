"""Unit tests of the plumbing every notebook relies on: setup, validation, checks and plots."""

from __future__ import annotations

import random

import matplotlib
import numpy as np
import pytest

import helpers
from helpers import checks, plots, validation

matplotlib.use("Agg")


# --- helpers.setup -----------------------------------------------------------------------------------------
def test_setup_seeds_python_numpy_and_keras_reproducibly(capsys):
    import keras

    rng = helpers.setup(7)
    first = (random.random(), np.random.rand(), rng.random(), float(keras.random.uniform(()).numpy()))
    rng = helpers.setup(7)
    second = (random.random(), np.random.rand(), rng.random(), float(keras.random.uniform(()).numpy()))
    assert first == second
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("Python ") and "TensorFlow" in line and "Keras" in line and line.endswith("seed 7")


def test_setup_keeps_tensorflow_banner_out_of_stdout_and_quiet_prints_nothing(capsys):
    helpers.setup(0, quiet=True)
    assert capsys.readouterr().out == ""


def test_setup_without_tensorflow(capsys):
    helpers.setup(3, tensorflow=False)
    assert "TensorFlow" not in capsys.readouterr().out


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (1.5, TypeError), ("42", TypeError), (True, TypeError)])
def test_setup_rejects_bad_seed(bad, error):
    with pytest.raises(error, match="seed"):
        helpers.setup(bad)


# --- helpers.validation -----------------------------------------------------------------------------------
def test_as_float_array_converts_and_checks():
    arr = validation.as_float_array([[1, 2], [3, 4]], "X", ndim=2, shape=(None, 2))
    assert arr.dtype == np.float64 and arr.shape == (2, 2)
    assert validation.as_float_array(np.array([True, False]), "mask").tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    "value, kwargs, error, pattern",
    [
        ("abc", {}, TypeError, "X must be a number"),
        (None, {}, TypeError, "X must be a number"),
        ([1, "a"], {}, TypeError, "X must contain numbers"),
        ([[1, 2], [3]], {}, ValueError, "rectangular"),
        ([1, np.nan], {}, ValueError, r"X must be finite.*index \(1,\)"),
        ([1, np.inf], {}, ValueError, "finite"),
        ([1, 2], {"ndim": 2}, ValueError, r"X must have 2 dimension\(s\), got shape \(2,\)"),
        ([[1, 2, 3]], {"shape": (None, 2)}, ValueError, r"X must have shape \(any, 2\), got shape \(1, 3\)"),
        ([], {"min_size": 1}, ValueError, "at least 1"),
        ([1 + 2j], {}, TypeError, "real"),
    ],
)
def test_as_float_array_rejects_bad_input_naming_it(value, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        validation.as_float_array(value, "X", **kwargs)


def test_scalar_checks():
    assert validation.check_int(np.int64(3), "n", minimum=0) == 3
    assert validation.check_real(np.float32(0.5), "lr", low=0, low_open=True) == 0.5
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        validation.check_real(0.0, "learning_rate", low=0, low_open=True)
    with pytest.raises(ValueError, match="beta must be < 1"):
        validation.check_real(1.0, "beta", low=0, high=1, high_open=True)
    with pytest.raises(ValueError, match="lr must be finite"):
        validation.check_real(float("nan"), "lr")
    with pytest.raises(TypeError, match="lr must be a real number"):
        validation.check_real("0.1", "lr")
    with pytest.raises(TypeError, match="n must be an integer"):
        validation.check_int(2.0, "n")
    with pytest.raises(ValueError, match="n must be <= 5"):
        validation.check_int(6, "n", maximum=5)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\].*1.5"):
        validation.check_probability([0, 1.5], "y")
    with pytest.raises(ValueError, match=r"a and b must have the same shape, got \(2,\) and \(3,\)"):
        validation.check_same_shape(np.zeros(2), np.zeros(3), "a", "b")
    with pytest.raises(TypeError, match="f must be callable"):
        validation.check_callable(3, "f")
    with pytest.raises(ValueError, match=r"mode must be one of \['a', 'b'\]"):
        validation.check_choice("c", "mode", {"a", "b"})
    assert validation.check_bool(np.bool_(True), "flag") is True and validation.check_bool(False, "flag") is False
    for bad in (1, "yes", None):
        with pytest.raises(TypeError, match=r"flag must be True or False, got .* \(type "):
            validation.check_bool(bad, "flag")


# --- helpers.checks ----------------------------------------------------------------------------------------
def test_compare_prints_a_verdict_and_returns_the_gap(capsys):
    assert checks.compare("w", np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])) is None
    assert checks.max_abs_diff([1.0, 2.0], [1.0, 2.0 + 1e-9]) == pytest.approx(1e-9, rel=1e-3)
    out = capsys.readouterr().out
    assert out.startswith("OK") and "w" in out and "tol 1e-06" in out


def test_compare_fails_loudly_or_reports_when_asked(capsys):
    with pytest.raises(AssertionError, match="exceeds tol"):
        checks.compare("w", [1.0], [1.1])
    checks.compare("w", [1.0], [1.1], raise_error=False)
    assert capsys.readouterr().out.splitlines()[-1].startswith("FAIL")
    with pytest.raises(AssertionError):
        checks.compare("nan", [np.nan], [np.nan])


def test_compare_accepts_tensors_and_rejects_mismatched_shapes():
    import tensorflow as tf

    checks.compare("tensor", tf.constant([1.0, 2.0], tf.float64), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="same shape"):
        checks.compare("w", np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match="name"):
        checks.compare(3, [1.0], [1.0])
    with pytest.raises(ValueError, match="tol must be >= 0"):
        checks.compare("w", [1.0], [1.0], tol=-1)


def test_numerical_gradient_matches_an_analytic_gradient_and_tensorflow():
    import tensorflow as tf

    x = np.array([[0.3, -1.2], [2.0, 0.5]])

    def f(v):
        return np.sum(np.sin(v) * v**2)

    analytic = np.cos(x) * x**2 + 2 * x * np.sin(x)
    numeric = checks.numerical_gradient(f, x)
    np.testing.assert_allclose(numeric, analytic, atol=1e-8)
    xt = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.sin(xt) * xt**2)
    np.testing.assert_allclose(numeric, tape.gradient(y, xt).numpy(), atol=1e-8)
    assert np.array_equal(x, [[0.3, -1.2], [2.0, 0.5]]), "x must not be modified"


def test_numerical_gradient_rejects_bad_arguments():
    with pytest.raises(TypeError, match="f must be callable"):
        checks.numerical_gradient("f", [1.0])
    with pytest.raises(ValueError, match="eps must be > 0"):
        checks.numerical_gradient(np.sum, [1.0], eps=0)
    with pytest.raises(ValueError, match="x must be finite"):
        checks.numerical_gradient(np.sum, [np.nan])


# --- helpers.plots -----------------------------------------------------------------------------------------
def test_plot_draws_one_line_per_curve():
    x = np.linspace(0, 1, 5)
    ax = plots.plot(x, [x, x**2], labels=["x", "x^2"], xlabel="x", logy=False, styles=["-", "--"])
    assert len(ax.lines) == 2 and ax.get_xlabel() == "x"
    ax = plots.plot(x, np.vstack([x, x]))
    assert len(ax.lines) == 2
    ax = plots.plot(x, x, logy=True)
    assert ax.get_yscale() == "log"


def test_plot_rejects_mismatched_input():
    x = np.linspace(0, 1, 5)
    with pytest.raises(ValueError, match="same length as x"):
        plots.plot(x, np.zeros(4))
    with pytest.raises(ValueError, match="labels must have one entry per curve"):
        plots.plot(x, [x, x], labels=["only one"])
    with pytest.raises(TypeError, match="x must"):
        plots.plot("x", x)


def test_plot_decision_boundary_shades_two_regions():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 0, 1])
    ax = plots.plot_decision_boundary(lambda P: P[:, 0], X, y, resolution=20, title="t")
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="one value per input row"):
        plots.plot_decision_boundary(lambda P: P[:3, 0], X, y, resolution=20)
    with pytest.raises(ValueError, match="same number of rows"):
        plots.plot_decision_boundary(lambda P: P[:, 0], X, y[:3])
    with pytest.raises(ValueError, match=r"X must have shape \(any, 2\)"):
        plots.plot_decision_boundary(lambda P: P[:, 0], np.zeros((4, 3)), y)
    with pytest.raises(TypeError, match="predict must be callable"):
        plots.plot_decision_boundary(None, X, y)


def test_draw_network_draws_every_unit_and_checks_sizes():
    ax = plots.draw_network([3, 4, 1], title="net")
    assert len(ax.collections) == 8 and len(ax.lines) == 3 * 4 + 4 * 1
    with pytest.raises(ValueError, match="at least two"):
        plots.draw_network([3])
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be <= 12"):
        plots.draw_network([3, 40])
    with pytest.raises(ValueError, match="layer_names must have one name per layer"):
        plots.draw_network([3, 1], layer_names=["in"])


def test_show_source_renders_a_helper_and_rejects_other_objects():
    md = helpers.show_source(plots.plot)
    assert md.data.startswith("```python\ndef plot(")
    with pytest.raises(TypeError, match="obj must be a function"):
        helpers.show_source(3)


# --- helpers.plots.draw_neuron and label checks -----------------------------------------------------------
def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_neuron_shows_inputs_weights_bias_sum_and_output():
    import matplotlib.pyplot as plt

    ax = plots.draw_neuron([0.5, -1.0, 0.25], 0.5, x=[1.0, 2.0, 3.0], activation="sigmoid", title="t")
    texts = _texts(ax)
    for expected in ["$x_{1} = 1$", "$x_{3} = 3$", "$w_{2} = -1$", "$w_{3} = 0.25$", "bias $b = 0.5$",
                     "$z = -0.25$", "sigmoid", "$a = 0.4378$"]:
        assert expected in texts, (expected, texts)
    assert ax.get_title() == "t"
    plt.close(ax.figure)
    ax = plots.draw_neuron([1.0, 2.0], 0.0)  # symbolic: no input values, so no numbers for z and a
    texts = _texts(ax)
    assert "$x_{1}$" in texts and "$a = f(z)$" in texts and "f" in texts
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "args, kwargs, error, pattern",
    [(([],), {}, ValueError, "w must have at least 1 element"),
     ((np.ones(9),), {}, ValueError, "w must hold at most 8 weights"),
     (([[1.0]],), {}, ValueError, r"w must have 1 dimension"),
     (([1.0], "b"), {}, TypeError, "b must be a real number"),
     (([1.0], float("inf")), {}, ValueError, "b must be finite"),
     (([1.0, 2.0], 0.0), {"x": [1.0]}, ValueError, r"x must have one value per weight.*\(2,\).*\(1,\)"),
     (([1.0], 0.0), {"x": ["a"]}, TypeError, "x must contain numbers"),
     (([1.0], 0.0), {"activation": 3}, TypeError, "activation must be a non-empty string")],
)
def test_draw_neuron_rejects_bad_arguments(args, kwargs, error, pattern):
    if len(args) == 1:
        args = (*args, 0.0)
    with pytest.raises(error, match=pattern):
        plots.draw_neuron(*args, **kwargs)


def test_plot_decision_boundary_refuses_labels_other_than_0_and_1():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"y must hold only the labels 0 and 1, got values \[0.0, 1.0, 2.0\]"):
        plots.plot_decision_boundary(lambda P: P[:, 0], X, [0, 1, 2])
    with pytest.raises(ValueError, match=r"y must hold only the labels 0 and 1"):
        plots.plot_decision_boundary(lambda P: P[:, 0], X, [-1, 1, 1])
