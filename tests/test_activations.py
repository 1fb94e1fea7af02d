"""Unit tests of helpers.activations (notebook 02): values, shapes, every function against keras.activations,
every derivative against finite differences and tf.GradientTape (1e-6), extreme inputs without a single
floating-point warning, and bad arguments."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from helpers import activations as act
from helpers.checks import numerical_gradient

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

# 40 points from -4 to 4: none is 0, where ReLU's kink has no derivative to compare.
X = np.linspace(-4, 4, 40)
TOL = 1e-6

# name: (ours, our derivative, the Keras reference)
KERAS = {
    "linear": (act.linear, act.linear_grad, keras.activations.linear),
    "sigmoid": (act.sigmoid, act.sigmoid_grad, keras.activations.sigmoid),
    "tanh": (act.tanh, act.tanh_grad, keras.activations.tanh),
    "relu": (act.relu, act.relu_grad, keras.activations.relu),
    "leaky_relu": (
        act.leaky_relu,
        act.leaky_relu_grad,
        lambda t: keras.activations.leaky_relu(t, negative_slope=0.01),
    ),
    "elu": (act.elu, act.elu_grad, keras.activations.elu),
    "selu": (act.selu, act.selu_grad, keras.activations.selu),
    "softplus": (act.softplus, act.softplus_grad, keras.activations.softplus),
    "gelu": (act.gelu, act.gelu_grad, lambda t: keras.activations.gelu(t, approximate=False)),
    "silu": (act.silu, act.silu_grad, keras.activations.silu),
    "swish": (act.swish, act.swish_grad, keras.activations.swish),
}
# The same with non-default parameters.
KERAS_PARAMS = {
    "linear a=-2.5": (lambda x: act.linear(x, -2.5), lambda x: act.linear_grad(x, -2.5), lambda t: -2.5 * t),
    "leaky_relu alpha=0.3": (
        lambda x: act.leaky_relu(x, 0.3),
        lambda x: act.leaky_relu_grad(x, 0.3),
        lambda t: keras.activations.leaky_relu(t, negative_slope=0.3),
    ),
    "elu alpha=0.5": (
        lambda x: act.elu(x, 0.5),
        lambda x: act.elu_grad(x, 0.5),
        lambda t: keras.activations.elu(t, alpha=0.5),
    ),
}
ALL = {**KERAS, **KERAS_PARAMS}


def tape_derivative(fn, values):
    v = tf.Variable(values, dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = fn(v)
    return tape.gradient(y, v).numpy()


def finite_difference(f, values):
    return numerical_gradient(lambda v: np.sum(f(v)), values)


# --- values -------------------------------------------------------------------------------------------------
def test_closed_form_values():
    assert act.step(0.0) == 1.0 and act.step(-1e-12) == 0.0 and act.step_grad(3.0) == 0.0
    assert act.sigmoid(0.0) == 0.5 and act.sigmoid_grad(0.0) == 0.25
    assert act.sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2)), abs=1e-15)
    assert act.tanh(0.0) == 0.0 and act.tanh_grad(0.0) == 1.0
    assert act.relu(-2.0) == 0.0 and act.relu(2.0) == 2.0 and act.relu_grad(0.0) == 0.0
    assert act.leaky_relu(-2.0) == pytest.approx(-0.02) and act.leaky_relu_grad(-2.0) == 0.01
    assert act.elu(-1.0) == pytest.approx(math.exp(-1) - 1) and act.elu(3.0) == 3.0
    assert act.softplus(0.0) == pytest.approx(math.log(2)) and act.softplus_grad(0.0) == 0.5
    assert act.gelu(1.0) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), abs=1e-15)
    assert act.silu(1.0) == pytest.approx(1 / (1 + math.exp(-1)), abs=1e-15)
    assert act.linear(3.0, 2.0) == 6.0 and act.linear_grad(3.0, 2.0) == 2.0
    assert (
        act.prelu(-2.0, 0.25) == -0.5
        and act.prelu_grad(-2.0, 0.25) == 0.25
        and act.prelu_grad_alpha(-2.0) == -2.0
    )


def test_documented_facts_about_the_derivatives():
    grid = np.linspace(-10, 10, 20001)
    assert np.max(act.sigmoid_grad(grid)) == pytest.approx(0.25, abs=1e-12)
    assert np.all(act.sigmoid_grad(grid[np.abs(grid) > 3]) < 0.05)
    assert np.max(act.tanh_grad(grid)) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(act.tanh(grid), 2 * act.sigmoid(2 * grid) - 1, atol=1e-12)
    np.testing.assert_allclose(act.softplus_grad(grid), act.sigmoid(grid))


def second_derivative_by_tape(fn, values):
    v = tf.Variable(values, dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = fn(v)
        dy = inner.gradient(y, v)
    return outer.gradient(dy, v).numpy()


def test_elu_is_c1_but_not_c2_and_selu_has_a_kink():
    # notebook 02: ELU's derivative is continuous at 0 (both sides 1), its second derivative jumps from 1 to 0
    assert act.elu_grad(-1e-12) == pytest.approx(1.0, abs=1e-9) and act.elu_grad(1e-12) == 1.0
    sides = np.array([-1e-3, 1e-3])
    by_tape = second_derivative_by_tape(keras.activations.elu, sides)
    by_differences = (act.elu_grad(sides + 1e-6) - act.elu_grad(sides - 1e-6)) / 2e-6
    np.testing.assert_allclose(by_differences, by_tape, atol=1e-6)
    np.testing.assert_allclose(by_tape, [np.exp(-1e-3), 0.0], atol=1e-9)
    # SELU: slope lambda on the right, lambda * alpha on the left, and that is its lowest value's scale too
    assert act.SELU_SCALE == pytest.approx(1.0507009873554805) and act.SELU_ALPHA == pytest.approx(1.6732632423543772)
    assert act.selu_grad(1e-12) == pytest.approx(act.SELU_SCALE)
    assert act.selu_grad(-1e-12) == pytest.approx(act.SELU_SCALE * act.SELU_ALPHA)
    assert act.selu(-1000.0) == pytest.approx(-act.SELU_SCALE * act.SELU_ALPHA)
    np.testing.assert_allclose(act.selu(X), act.SELU_SCALE * act.elu(X, act.SELU_ALPHA), rtol=1e-15)


def test_gelu_and_silu_derivatives_leave_zero_one_where_notebook_02_says():
    # GELU'' = phi(x) (2 - x^2): its derivative is extreme at +-sqrt(2); SiLU's extremes are found on a grid
    root2 = np.sqrt(2.0)
    np.testing.assert_allclose(second_derivative_by_tape(lambda t: keras.activations.gelu(t, approximate=False),
                                                         np.array([-root2, root2])), 0.0, atol=1e-7)
    assert act.gelu_grad(-root2) == pytest.approx(-0.129, abs=5e-4)
    assert act.gelu_grad(root2) == pytest.approx(1.129, abs=5e-4)
    grid = np.linspace(-3, 3, 600_001)
    silu_slopes = act.silu_grad(grid)
    assert silu_slopes.min() == pytest.approx(-0.100, abs=5e-4) and silu_slopes.max() == pytest.approx(1.100, abs=5e-4)
    assert abs(grid[silu_slopes.argmax()] - 2.40) < 5e-3 and abs(grid[silu_slopes.argmin()] + 2.40) < 5e-3
    np.testing.assert_allclose(second_derivative_by_tape(keras.activations.silu, grid[[silu_slopes.argmin(),
                                                                                        silu_slopes.argmax()]]),
                               0.0, atol=1e-4)
    # and their lowest values, as the table prints them
    gelu_values, silu_values = act.gelu(grid), act.silu(grid)
    assert gelu_values.min() == pytest.approx(-0.170, abs=5e-4) and abs(grid[gelu_values.argmin()] + 0.752) < 5e-4
    assert silu_values.min() == pytest.approx(-0.278, abs=5e-4) and abs(grid[silu_values.argmin()] + 1.278) < 5e-4


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
@pytest.mark.parametrize("shape", [(), (5,), (2, 3, 4)])
def test_shapes_are_kept_and_a_scalar_gives_a_float(name, shape):
    f, f_grad = act.ACTIVATIONS[name]
    x = np.random.default_rng(0).normal(size=shape)
    for out in (f(x), f_grad(x)):
        if shape == ():
            assert isinstance(out, float)
        else:
            assert isinstance(out, np.ndarray) and out.shape == shape and out.dtype == np.float64


def test_inputs_of_any_numeric_kind_are_accepted():
    assert act.relu(3) == 3.0 and act.relu(True) == 1.0
    np.testing.assert_array_equal(act.relu([[-1, 2]]), [[0.0, 2.0]])
    np.testing.assert_allclose(act.sigmoid(np.float32(1.0)), act.sigmoid(1.0))


def test_registry_is_stable():
    # notebook 04 looks activations up by these names; keep them.
    assert list(act.ACTIVATIONS) == [
        "step",
        "linear",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "elu",
        "selu",
        "softplus",
        "gelu",
        "silu",
    ]
    for name, (f, f_grad) in act.ACTIVATIONS.items():
        assert f is getattr(act, name) and f_grad is getattr(act, f"{name}_grad")
    assert act.swish is act.silu and act.swish_grad is act.silu_grad


# --- against Keras and TensorFlow ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(ALL))
def test_function_matches_keras(name):
    f, _, keras_fn = ALL[name]
    np.testing.assert_allclose(f(X), keras_fn(tf.constant(X, tf.float64)).numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("name", list(ALL))
def test_derivative_matches_gradient_tape(name):
    _, f_grad, keras_fn = ALL[name]
    np.testing.assert_allclose(f_grad(X), tape_derivative(keras_fn, X), rtol=0, atol=TOL)


@pytest.mark.parametrize("name", list(ALL) + ["step"])
def test_derivative_matches_finite_differences(name):
    f, f_grad = (act.step, act.step_grad) if name == "step" else ALL[name][:2]
    np.testing.assert_allclose(f_grad(X), finite_difference(f, X), rtol=0, atol=TOL)


def test_derivatives_away_from_the_usual_range():
    far = np.array([-30.0, -12.5, -7.0, 7.0, 12.5, 30.0])
    for name, (_, f_grad, keras_fn) in KERAS.items():
        np.testing.assert_allclose(
            f_grad(far), tape_derivative(keras_fn, far), rtol=0, atol=TOL, err_msg=name
        )


def test_prelu_matches_keras_layer_with_one_slope_per_unit():
    alpha = np.linspace(0.05, 0.5, X.size)
    layer = keras.layers.PReLU(dtype="float64")
    layer.build((None, X.size))
    layer.set_weights([alpha])
    x = tf.Variable(X[None, :], dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = layer(x)
    dx, dalpha = tape.gradient(y, [x, layer.trainable_variables[0]])
    np.testing.assert_allclose(act.prelu(X, alpha), y.numpy()[0], atol=TOL)
    np.testing.assert_allclose(act.prelu_grad(X, alpha), dx.numpy()[0], atol=TOL)
    np.testing.assert_allclose(act.prelu_grad_alpha(X), dalpha.numpy(), atol=TOL)
    np.testing.assert_allclose(
        act.prelu_grad(X, 0.2), finite_difference(lambda v: act.prelu(v, 0.2), X), atol=TOL
    )
    np.testing.assert_allclose(
        act.prelu_grad_alpha(X),
        [(act.prelu(xi, 0.3 + 1e-6) - act.prelu(xi, 0.3 - 1e-6)) / 2e-6 for xi in X],
        atol=TOL,
    )


def test_softmax_matches_keras_on_any_axis_and_sums_to_one():
    scores = np.random.default_rng(1).normal(size=(4, 5, 3)) * 5
    for axis in (-1, 0, 1):
        ours = act.softmax(scores, axis=axis)
        np.testing.assert_allclose(ours.sum(axis=axis), 1.0, atol=1e-12)
        theirs = keras.activations.softmax(tf.constant(scores, tf.float64), axis=axis).numpy()
        np.testing.assert_allclose(ours, theirs, atol=TOL)
    np.testing.assert_allclose(
        act.softmax(np.column_stack([X, np.zeros_like(X)]))[:, 0], act.sigmoid(X), atol=1e-15
    )


def test_softmax_jacobian_matches_gradient_tape_and_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    v = tf.Variable(z, dtype=tf.float64)
    with tf.GradientTape() as tape:
        s = keras.activations.softmax(v[None, :])[0]
    jacobian = act.softmax_jacobian(z)
    assert jacobian.shape == (4, 4)
    np.testing.assert_allclose(jacobian, tape.jacobian(s, v).numpy(), atol=TOL)
    for i in range(4):
        np.testing.assert_allclose(
            jacobian[i], numerical_gradient(lambda u, i=i: act.softmax(u)[i], z), atol=TOL
        )


# --- extreme inputs -----------------------------------------------------------------------------------------
EXTREME = np.array([-1000.0, -745.0, -50.0, 50.0, 745.0, 1000.0])


def _all_functions():
    yield from act.ACTIVATIONS.items()
    yield "prelu", (lambda x: act.prelu(x, 0.2), lambda x: act.prelu_grad(x, 0.2))
    yield "elu alpha=2", (lambda x: act.elu(x, 2.0), lambda x: act.elu_grad(x, 2.0))


@pytest.mark.parametrize("name, pair", list(_all_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_extreme_inputs_are_finite_without_any_warning(name, pair):
    f, f_grad = pair
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        for values in (f(EXTREME), f_grad(EXTREME), f(1e300), f_grad(-1e300)):
            assert np.all(np.isfinite(values)), name


def test_extreme_values_are_correct():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert act.sigmoid(-1000.0) == 0.0 and act.sigmoid(1000.0) == 1.0
        assert act.softplus(1000.0) == 1000.0 and act.softplus(-1000.0) == 0.0
        assert act.tanh(-1000.0) == -1.0 and act.elu(-1000.0) == -1.0
        assert act.gelu(-1000.0) == 0.0 and act.gelu(1000.0) == 1000.0 and act.gelu_grad(1000.0) == 1.0
        assert act.silu(-1000.0) == 0.0 and act.silu_grad(1000.0) == 1.0
        np.testing.assert_array_equal(act.softmax(np.array([1000.0, 0.0, -1000.0])), [1.0, 0.0, 0.0])
        np.testing.assert_allclose(act.softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
        assert np.all(np.isfinite(act.softmax_jacobian(np.array([1000.0, -1000.0]))))


def test_the_literal_sigmoid_formula_would_overflow():
    # the reason sigmoid() is written the way it is: this test fails if NumPy ever stops overflowing here
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        1 / (1 + np.exp(-np.array([-1000.0])))


# --- bad arguments ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
@pytest.mark.parametrize("bad", ["3", None, [1, "a"], {"x": 1}, 1 + 2j])
def test_non_numeric_input_is_refused(name, bad):
    f, f_grad = act.ACTIVATIONS[name]
    for fn in (f, f_grad):
        with pytest.raises(TypeError, match=r"^x must"):
            fn(bad)


@pytest.mark.parametrize(
    "fn",
    [act.softmax, act.softmax_jacobian, lambda v: act.prelu(v, 0.25), lambda v: act.prelu_grad(v, 0.25),
     act.prelu_grad_alpha],
    ids=["softmax", "softmax_jacobian", "prelu", "prelu_grad", "prelu_grad_alpha"],
)
@pytest.mark.parametrize("bad", ["3", None, [1, "a"], {"x": 1}, 1 + 2j, [1 + 2j, 3]])
def test_non_numeric_input_is_refused_by_the_vector_and_parametric_functions(fn, bad):
    with pytest.raises(TypeError, match=r"^x must"):
        fn(bad)


def test_ragged_input_is_refused():
    with pytest.raises(ValueError, match="x must be a rectangular array"):
        act.relu([[1, 2], [3]])


@pytest.mark.parametrize("fn", [act.leaky_relu, act.leaky_relu_grad, act.elu, act.elu_grad])
def test_negative_or_non_numeric_alpha_is_refused(fn):
    with pytest.raises(ValueError, match=r"alpha must be >= 0, got -0.1"):
        fn(X, -0.1)
    with pytest.raises(TypeError, match="alpha must be a real number"):
        fn(X, "0.1")
    with pytest.raises(ValueError, match="alpha must be finite"):
        fn(X, float("nan"))


def test_bad_linear_slope_is_refused():
    with pytest.raises(TypeError, match="a must be a real number"):
        act.linear(X, [1, 2])
    with pytest.raises(ValueError, match="a must be finite"):
        act.linear_grad(X, float("inf"))


def test_prelu_refuses_a_slope_that_does_not_broadcast():
    with pytest.raises(
        ValueError, match=r"alpha of shape \(3,\) does not broadcast against x of shape \(40,\)"
    ):
        act.prelu(X, [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="alpha of shape"):
        act.prelu_grad(X, [0.1, 0.2, 0.3])
    with pytest.raises(TypeError, match="alpha must"):
        act.prelu(X, "0.1")


def test_softmax_refuses_a_scalar_a_bad_axis_and_a_matrix_jacobian():
    with pytest.raises(ValueError, match="at least 1 dimension"):
        act.softmax(3.0)
    with pytest.raises(ValueError, match="axis must be <= 1, got 2"):
        act.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        act.softmax(np.ones(3), axis=0.5)
    with pytest.raises(ValueError, match=r"x must have 1 dimension\(s\), got shape \(2, 2\)"):
        act.softmax_jacobian(np.ones((2, 2)))
    with pytest.raises(ValueError, match="x must have at least 1 element"):
        act.softmax_jacobian([])
