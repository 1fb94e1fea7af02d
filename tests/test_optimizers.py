"""Tests of helpers.optimizers: every from-scratch optimizer against keras.optimizers, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import optimizers as opt
from helpers import surfaces

helpers.setup(quiet=True)
import keras  # noqa: E402

# Keras keeps the learning rate in a float32 variable and rounds momentum, Adam's betas and the weight
# decay to float32 in places; these values are exact in float32, so the two paths agree to rounding.
M, B2, LR = 0.875, 1 - 2**-10, 2**-7
K = keras.optimizers
CASES = {
    "sgd": (dict(learning_rate=LR), lambda: K.SGD(learning_rate=LR)),
    "momentum": (dict(learning_rate=LR, momentum=M), lambda: K.SGD(learning_rate=LR, momentum=M)),
    "nesterov": (dict(learning_rate=LR, momentum=M),
                 lambda: K.SGD(learning_rate=LR, momentum=M, nesterov=True)),
    "adagrad": (dict(learning_rate=8 * LR, initial_accumulator_value=0.5),
                lambda: K.Adagrad(learning_rate=8 * LR, initial_accumulator_value=0.5)),
    "rmsprop": (dict(learning_rate=LR, rho=M), lambda: K.RMSprop(learning_rate=LR, rho=M)),
    "adam": (dict(learning_rate=4 * LR, beta_1=M, beta_2=B2),
             lambda: K.Adam(learning_rate=4 * LR, beta_1=M, beta_2=B2)),
    "adamax": (dict(learning_rate=4 * LR, beta_1=M, beta_2=B2),
               lambda: K.Adamax(learning_rate=4 * LR, beta_1=M, beta_2=B2)),
    "adamw": (dict(learning_rate=4 * LR, beta_1=M, beta_2=B2, weight_decay=0.125),
              lambda: K.AdamW(learning_rate=4 * LR, beta_1=M, beta_2=B2, weight_decay=0.125)),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("surface,start", [("two_minima", (1.5, 1.0)), ("ravine", (-2.0, 1.0))])
def test_same_trajectory_as_keras(name, surface, start):
    hyper, make_keras = CASES[name]
    f, grad = surfaces.SURFACES[surface][:2]
    ours = opt.run(opt.make_optimizer(name, **hyper), grad, start, 120)
    ref = opt.keras_run(make_keras(), f, start, 120)
    assert ours.shape == ref.shape == (121, 2)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-6)
    assert np.abs(ours[-1] - ours[0]).max() > 0.1  # the check means something: the point moved


def _f32(value):
    return float(np.float32(value))


def _adam_as_keras(params, grads, state, learning_rate=0.05, beta_1=0.9, beta_2=0.999):
    """adam() with Keras's float32 roundings: the learning rate (a float32 variable) and the betas inside
    beta**t (``ops.power(ops.cast(beta, dtype), t)`` turns the Python float into float32 first); the
    factors 1 - beta stay unrounded."""
    new, new_state = opt.adam(params, grads, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)
    t = new_state["t"]
    exact = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    rounded = _f32(learning_rate) * np.sqrt(1 - _f32(beta_2) ** t) / (1 - _f32(beta_1) ** t)
    return params + rounded / exact * (new - params), new_state


@pytest.mark.parametrize("surface,start", [("ravine", (-2.0, 1.0)), ("two_minima", (1.5, 1.0))])
def test_keras_defaults_agree_up_to_float32_rounding(surface, start):
    """With Keras's own defaults (0.05, 0.9, 0.999 are not exact in float32) the whole gap is Keras's float32
    rounding of the learning rate and of the betas in beta**t: made the same way, the paths agree to 1e-12."""
    f, grad = surfaces.SURFACES[surface][:2]
    ref = opt.keras_run(K.Adam(learning_rate=0.05), f, start, 120)
    exact = opt.run(opt.make_optimizer("adam", learning_rate=0.05), grad, start, 120)
    rounded = opt.run(_adam_as_keras, grad, start, 120)
    assert np.abs(exact - ref).max() > 1e-8  # the gap is real...
    np.testing.assert_allclose(rounded, ref, rtol=0, atol=1e-12)  # ...and it is only the rounding


def test_momentum_defaults_differ_from_keras_sgd():
    import inspect

    assert inspect.signature(opt.momentum).parameters["momentum"].default == 0.9
    assert inspect.signature(opt.nesterov).parameters["momentum"].default == 0.9
    assert K.SGD().momentum == 0.0


def test_hand_computed_first_steps():
    p, g = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    new, state = opt.sgd(p, g, {}, learning_rate=0.1)
    np.testing.assert_allclose(new, [0.95, -2.4])
    assert state == {}
    new, state = opt.momentum(p, g, {"velocity": np.array([1.0, 0.0])}, learning_rate=0.1, momentum=0.5)
    np.testing.assert_allclose(state["velocity"], [0.45, -0.4])
    np.testing.assert_allclose(new, [1.45, -2.4])
    new, _ = opt.nesterov(p, g, {"velocity": np.array([1.0, 0.0])}, learning_rate=0.1, momentum=0.5)
    np.testing.assert_allclose(new, p + 0.5 * np.array([0.45, -0.4]) - 0.1 * g)
    # Adam's first step is learning_rate * sign(g) (up to epsilon), whatever the gradient's size
    new, state = opt.adam(p, g, {}, learning_rate=0.01, epsilon=1e-12)
    np.testing.assert_allclose(new, p - 0.01 * np.sign(g), atol=1e-9)
    assert state["t"] == 1


def test_steps_are_pure():
    p, g, state = np.array([1.0, 2.0]), np.array([0.1, 0.2]), {}
    _, s1 = opt.adam(p, g, state)
    assert state == {} and p.tolist() == [1.0, 2.0]
    _, s2 = opt.adam(p, g, s1)
    assert s1["t"] == 1 and s2["t"] == 2


def test_run_returns_the_path_and_stops_on_divergence():
    path = opt.run(opt.make_optimizer("sgd", learning_rate=0.1), surfaces.ravine_grad, (1.0, 1.0), 5)
    assert path.shape == (6, 2)
    np.testing.assert_allclose(path[1], [0.9, 1 - 10.0])
    diverged = opt.run(opt.make_optimizer("sgd", learning_rate=10.0), surfaces.ravine_grad, (1.0, 1.0), 1000)
    assert 2 < len(diverged) < 1001 and np.all(np.isfinite(diverged))
    assert opt.run(opt.make_optimizer("adam"), lambda p: 2 * p, 3.0, 4).shape == (5,)


def test_make_optimizer_names_and_signature():
    step = opt.make_optimizer("nesterov", learning_rate=0.05)
    assert step.__name__ == "nesterov"
    assert set(opt.OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "adamw"}


@pytest.mark.parametrize(
    "name,hyper,error,match",
    [
        ("sgd", {"learning_rate": 0.0}, ValueError, r"learning_rate must be > 0.0, got 0.0"),
        ("adam", {"learning_rate": -1e-3}, ValueError, r"learning_rate must be > 0.0"),
        ("momentum", {"momentum": 1.0}, ValueError, r"momentum must be < 1.0, got 1.0"),
        ("momentum", {"momentum": -0.1}, ValueError, r"momentum must be >= 0.0"),
        ("adam", {"beta_1": 1.0}, ValueError, r"beta_1 must be < 1.0"),
        ("adam", {"beta_2": 1.5}, ValueError, r"beta_2 must be <= 1.0|beta_2 must be < 1.0"),
        ("rmsprop", {"rho": -0.5}, ValueError, r"rho must be >= 0.0"),
        ("adam", {"epsilon": 0.0}, ValueError, r"epsilon must be > 0.0"),
        ("adagrad", {"initial_accumulator_value": -1.0}, ValueError,
         r"initial_accumulator_value must be >= 0"),
        ("adamw", {"weight_decay": -0.1}, ValueError, r"weight_decay must be >= 0"),
        ("sgd", {"learning_rate": float("nan")}, ValueError, r"learning_rate must be finite"),
        ("sgd", {"learning_rate": "0.1"}, TypeError, r"learning_rate must be a real number"),
        ("sgd", {"momentum": 0.9}, TypeError, r"sgd has no hyper-parameter 'momentum'"),
        ("adma", {}, ValueError, r"name must be one of \[.*'adam'.*\], got 'adma'"),
        (3, {}, TypeError, r"name must be a string"),
    ],
)
def test_make_optimizer_rejects_bad_hyper_parameters(name, hyper, error, match):
    with pytest.raises(error, match=match):
        opt.make_optimizer(name, **hyper)


def test_step_functions_reject_bad_input():
    with pytest.raises(ValueError, match=r"learning_rate must be > 0.0"):
        opt.sgd([1.0], [1.0], {}, learning_rate=-0.1)
    with pytest.raises(ValueError, match=r"beta_1 must be < 1.0"):
        opt.adam([1.0], [1.0], {}, beta_1=1.0)
    with pytest.raises(ValueError, match=r"grads must have the shape of params \(2,\), got \(3,\)"):
        opt.momentum([1.0, 2.0], [1.0, 2.0, 3.0], {})
    with pytest.raises(TypeError, match=r"state must be a dict"):
        opt.rmsprop([1.0], [1.0], None)
    with pytest.raises(ValueError, match=r"params must be finite"):
        opt.adagrad([np.nan], [1.0], {})
    with pytest.raises(ValueError, match=r"state\['velocity'\] must have the shape of params \(2,\), got \(3,\)"):
        opt.momentum([1.0, 2.0], [1.0, 2.0], {"velocity": np.zeros(3)})
    _, state = opt.adam([1.0, 2.0], [1.0, 2.0], {})
    with pytest.raises(ValueError, match=r"state\['m'\] must have the shape of params \(3,\), got \(2,\)"):
        opt.adam([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], state)
    with pytest.raises(ValueError, match=r"state\['s'\] must have the shape of params"):
        opt.rmsprop([1.0], [1.0], {"s": np.ones((1, 1))})


def test_run_rejects_bad_input():
    step = opt.make_optimizer("sgd")
    with pytest.raises(ValueError, match=r"start must be finite"):
        opt.run(step, surfaces.ravine_grad, (np.inf, 0.0), 3)
    with pytest.raises(ValueError, match=r"start must be finite"):
        opt.run(step, surfaces.ravine_grad, (np.nan, 0.0), 3)
    with pytest.raises(ValueError, match=r"steps must be >= 0, got -1"):
        opt.run(step, surfaces.ravine_grad, (1.0, 0.0), -1)
    with pytest.raises(TypeError, match=r"optimizer must be callable"):
        opt.run("adam", surfaces.ravine_grad, (1.0, 0.0), 3)
    with pytest.raises(TypeError, match=r"grad must be callable"):
        opt.run(step, None, (1.0, 0.0), 3)
    with pytest.raises(TypeError, match=r"keras_optimizer must be a keras.optimizers.Optimizer"):
        opt.keras_run("adam", surfaces.ravine, (1.0, 0.0), 3)


def test_adamax_by_hand_and_against_keras_defaults():
    """Adamax's first step is learning_rate * sign(g) (u = |g|, the bias correction turns m into g); with Keras's
    own defaults (0.9, 0.999 not exact in float32) the paths still agree to float32 rounding of beta_1**t."""
    p, g = np.array([1.0, -2.0]), np.array([0.5, -4.0])
    new, state = opt.adamax(p, g, {}, learning_rate=0.01, epsilon=1e-12)
    np.testing.assert_allclose(new, p - 0.01 * np.sign(g), atol=1e-9)
    np.testing.assert_allclose(state["u"], np.abs(g))
    _, state2 = opt.adamax(new, np.array([0.1, 0.1]), state, beta_2=0.5)
    np.testing.assert_allclose(state2["u"], [0.25, 2.0])  # max(beta_2 * u, |g|): the old maximum, decayed
    ours = opt.run(opt.make_optimizer("adamax", learning_rate=0.05), surfaces.ravine_grad, (-2.0, 1.0), 100)
    ref = opt.keras_run(K.Adamax(learning_rate=0.05), surfaces.ravine, (-2.0, 1.0), 100)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-5)


def test_run_many_runs_independent_runs_at_once():
    starts = np.array([[-2.0, 1.0], [1.5, -0.5], [0.3, 0.2]])
    step = opt.make_optimizer("adam", learning_rate=0.05)
    paths = opt.run_many(step, surfaces.ravine_grad, starts, 40)
    assert paths.shape == (41, 3, 2)
    for i, start in enumerate(starts):
        np.testing.assert_allclose(paths[:, i], opt.run(step, surfaces.ravine_grad, start, 40), rtol=0, atol=1e-15)


def test_run_many_takes_one_hyper_parameter_per_run_and_marks_diverged_runs():
    rates = np.array([0.005, 0.01, 0.019, 0.05])  # the last is above SGD's limit 2/100 on the ravine
    step = opt.make_optimizer("sgd", learning_rate=rates[:, None])
    paths = opt.run_many(step, surfaces.ravine_grad, np.tile([1.0, 1.0], (4, 1)), 1000)
    for i, rate in enumerate(rates[:3]):
        single = opt.run(opt.make_optimizer("sgd", learning_rate=float(rate)), surfaces.ravine_grad, (1.0, 1.0), 1000)
        np.testing.assert_allclose(paths[:, i], single, rtol=0, atol=1e-15)
    assert np.isfinite(paths[:, :3]).all()
    assert np.isnan(paths[-1, 3]).all() and np.isfinite(paths[0, 3]).all()  # diverged: NaN from then on
    mom = opt.make_optimizer("momentum", learning_rate=0.01, momentum=np.array([[0.0], [0.9]]))
    both = opt.run_many(mom, surfaces.ravine_grad, np.tile([1.0, 1.0], (2, 1)), 50)
    np.testing.assert_allclose(both[:, 0], opt.run(opt.make_optimizer("sgd", learning_rate=0.01),
                                                   surfaces.ravine_grad, (1.0, 1.0), 50), atol=1e-15)
    all_dead = opt.run_many(opt.make_optimizer("sgd", learning_rate=10.0), surfaces.ravine_grad, [[1.0, 1.0]], 500)
    assert all_dead.shape == (501, 1, 2) and np.isnan(all_dead[-1]).all()


@pytest.mark.parametrize("hyper,error,match", [
    ({"learning_rate": np.array([[0.1], [-0.1]])}, ValueError, r"every learning_rate must be > 0.0, got -0.1"),
    ({"learning_rate": np.array([[0.1], [np.nan]])}, ValueError, r"every learning_rate must be finite"),
    ({"learning_rate": np.array([[0.1], [np.inf]])}, ValueError, r"every learning_rate must be finite"),
    ({"momentum": np.array([[0.5], [1.0]])}, ValueError, r"every momentum must be < 1.0, got 1.0"),
    ({"learning_rate": np.array(["a", "b"])}, TypeError, r"learning_rate must contain numbers"),
])
def test_array_hyper_parameters_are_checked(hyper, error, match):
    name = "momentum" if "momentum" in hyper else "sgd"
    with pytest.raises(error, match=match):
        opt.make_optimizer(name, **hyper)


def test_array_hyper_parameters_must_broadcast_and_run_many_rejects_bad_input():
    with pytest.raises(ValueError, match=r"learning_rate of shape \(3, 1\) does not broadcast against params of "
                                         r"shape \(2, 2\)"):
        opt.sgd(np.ones((2, 2)), np.ones((2, 2)), {}, learning_rate=np.full((3, 1), 0.1))
    step = opt.make_optimizer("sgd")
    with pytest.raises(ValueError, match=r"starts must have 2 dimension\(s\), got shape \(2,\)"):
        opt.run_many(step, surfaces.ravine_grad, [1.0, 1.0], 3)
    with pytest.raises(ValueError, match=r"starts must be finite"):
        opt.run_many(step, surfaces.ravine_grad, [[1.0, np.nan]], 3)
    with pytest.raises(ValueError, match=r"steps must be >= 0"):
        opt.run_many(step, surfaces.ravine_grad, [[1.0, 1.0]], -1)
    with pytest.raises(TypeError, match=r"grad must be callable"):
        opt.run_many(step, "ravine", [[1.0, 1.0]], 3)
