"""The checks of notebook 06's exercises (optimizers). The expected answers are computed here, never shown.

- 06.1 Adam's first step (a value): computed with ``helpers.optimizers.adam``.
- 06.2 The ravine's speed limit (a value): the largest stable learning rate of plain gradient descent.
- 06.3 Escaping the saddle (a value): the first step at which ``|y|`` passes 0.5.
- 06.4 ``classify_critical_point(hessian)`` (code): minimum, maximum or saddle from the Hessian's eigenvalues,
  tried on hidden symmetric matrices, rotated so that their diagonals do not tell.
- 06.5 ``amsgrad(params, grads, state, ...)`` (code): Adam with a running maximum of v, run for several
  steps on hidden gradients and held against ``keras.optimizers.Adam(amsgrad=True)``.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import exercises
from ..optimizers import adam
from ..surfaces import RAVINE_CONDITION

__all__: list[str] = []  # checks only: they register themselves with helpers.exercises

# --- 06.1 ------------------------------------------------------------------------------------------------------
_ADAM_GRADIENT = np.array([0.001, 1000.0])


@exercises.exercise("06.1", "Adam's first step")
def _adam_first_step(answer, report):
    got = np.asarray(exercises._as_array(answer, "answer_1"), dtype=float)
    expected = adam(np.zeros(2), _ADAM_GRADIENT, {}, learning_rate=0.1)[0]
    if got.shape != expected.shape:
        raise exercises.Wrong(f"answer_1 must be an array of two numbers (one update per coordinate), got shape "
                              f"{got.shape}")
    if not np.all(np.isfinite(got)):
        raise exercises.Wrong("answer_1 holds NaN or infinity")
    if np.allclose(got, expected, rtol=0, atol=1e-3):
        return
    if np.allclose(got, -expected, rtol=0, atol=1e-3):
        raise exercises.Wrong("the sign is wrong: an update goes against the gradient, and both gradients are "
                              "positive")
    if np.allclose(got, -0.1 * _ADAM_GRADIENT, rtol=1e-2):
        raise exercises.Wrong("that is plain gradient descent's update, -learning_rate * g: Adam divides m by "
                              "sqrt(v), which makes the update's size nearly independent of the gradient's")
    uncorrected = -0.1 * (0.1 * _ADAM_GRADIENT) / (np.sqrt(0.001) * np.abs(_ADAM_GRADIENT))
    if np.allclose(got, uncorrected, rtol=2e-2):
        raise exercises.Wrong("both updates are about 3.2 times too large: at t = 1 the bias corrections "
                              "divide m by 1 - beta_1 and v by 1 - beta_2; did you leave them out?")
    ratio = got / expected
    if np.all(np.sign(got) == np.sign(expected)) and abs(ratio[0] / ratio[1] - 1) > 0.5:
        raise exercises.Wrong("the two updates differ a lot in size; at t = 1, m / sqrt(v) is g / |g| (up to "
                              "epsilon), whatever the size of g")
    raise exercises.Wrong("not within 0.001 of Adam's first update in every coordinate; work it out from m and v "
                          "at t = 1, then check with adam(np.zeros(2), np.array([0.001, 1000.0]), {}, "
                          "learning_rate=0.1)")


# --- 06.2 ------------------------------------------------------------------------------------------------------
@exercises.exercise("06.2", "the ravine's speed limit")
def _ravine_limit(answer, report):
    rate = exercises.as_number(answer, "answer_2")
    limit = 2 / RAVINE_CONDITION
    if np.isclose(rate, limit, rtol=1e-9, atol=0):
        return
    factor = 1 - RAVINE_CONDITION * rate
    if rate <= 0:
        raise exercises.Wrong(f"a learning rate must be positive, got {rate}")
    if rate > limit:
        raise exercises.Wrong(f"too large: at {rate} one step multiplies y by 1 - 100 * {rate} = {factor:.4g}, "
                              "more than 1 in size, so y grows without bound")
    if np.isclose(rate, 1 / RAVINE_CONDITION, rtol=1e-6):
        raise exercises.Wrong(f"at {rate} the factor 1 - 100 * rate is 0: that is where y starts to change sign "
                              "every step (the zig-zag of section 8), not where it diverges; the factor may "
                              "go further below 0, as long as its size stays under 1")
    raise exercises.Wrong(f"still stable: at {rate} the factor 1 - 100 * rate = {factor:.4g} is smaller than 1 in "
                          "size, so y still shrinks; the limit is where its size reaches 1")


# --- 06.3 ------------------------------------------------------------------------------------------------------
@exercises.exercise("06.3", "escaping the saddle")
def _saddle_escape(answer, report):
    value = exercises.as_number(answer, "answer_3")
    if value != int(value):
        raise exercises.Wrong(f"a number of steps is a whole number, got {value}")
    steps = int(value)
    y = lambda t: 1e-8 * 1.2**t  # noqa: E731 - |y| after t steps
    if steps < 0:
        raise exercises.Wrong(f"a number of steps cannot be negative, got {steps}")
    if y(steps) <= 0.5:
        raise exercises.Wrong(f"too few: after {steps} steps |y| = 1e-8 * 1.2**{steps} = {y(steps):.3g}, not yet "
                              "above 0.5")
    if y(steps - 1) > 0.5:
        raise exercises.Wrong(f"too many: after {steps} steps |y| = {y(steps):.3g}, but it passed 0.5 at an "
                              "earlier step; the question asks for the first step at which |y| > 0.5")


# --- 06.4 ------------------------------------------------------------------------------------------------------
def _rotation(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _hessians():
    """Hidden test matrices: symmetric, no eigenvalue near 0, most of them rotated so that the diagonal misleads."""
    rng = np.random.default_rng(20260606)
    cases = [np.diag([2.0, 3.0]), np.diag([-1.0, -4.0]), np.diag([2.0, -2.0]),
             np.array([[1.0, 2.0], [2.0, 1.0]]),  # positive diagonal, yet a saddle (eigenvalues 3 and -1)
             np.array([[-1.0, -2.0], [-2.0, -1.0]]),  # negative diagonal, yet a saddle
             np.array([[-3.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 2.0]])]  # 3-D: det > 0, yet a saddle
    for n, signs in [(2, [1, 1]), (2, [-1, -1]), (2, [1, -1]), (3, [1, 1, 1]), (3, [-1, -1, -1]),
                     (3, [1, 1, -1]), (3, [1, -1, -1]), (4, [1, 1, 1, -1]), (4, [-1, -1, -1, -1])]:
        q = _rotation(rng, n)
        cases.append(q @ np.diag(np.array(signs) * rng.uniform(0.5, 3.0, n)) @ q.T)
    cases = [(h + h.T) / 2 for h in cases]
    return cases


def _kind(hessian):
    eig = np.linalg.eigvalsh(hessian)
    return "minimum" if eig.min() > 0 else "maximum" if eig.max() < 0 else "saddle"


@exercises.exercise("06.4", "classify a critical point from its Hessian")
def _classify(answer, report):
    cases = _hessians()
    wrong = {"diagonal": 0, "rotated": 0, "3-D or larger": 0}
    failures = 0
    for h in cases:
        got = exercises.call(answer, h.copy(), name="classify_critical_point")
        if not isinstance(got, str):
            raise exercises.Wrong(f"classify_critical_point must return a string ('minimum', 'maximum' or "
                                  f"'saddle'), got {type(got).__name__} {got!r}")
        got = got.strip().lower()
        if got not in ("minimum", "maximum", "saddle"):
            raise exercises.Wrong(f"classify_critical_point returned {got!r}; it must return 'minimum', "
                                  "'maximum' or 'saddle'")
        if got != _kind(h):
            failures += 1
            if len(h) > 2:
                wrong["3-D or larger"] += 1
            elif np.allclose(h, np.diag(np.diag(h))):
                wrong["diagonal"] += 1
            else:
                wrong["rotated"] += 1
    if not failures:
        return
    where = ", ".join(f"{count} {label}" for label, count in wrong.items() if count)
    message = f"wrong on {failures} of {len(cases)} hidden Hessians ({where})."
    if wrong["diagonal"] == 0 and wrong["rotated"]:
        message += (" Right on diagonal matrices but not on rotated ones: the diagonal entries are the curvatures "
                    "along the x and y axes only, and a saddle can curve down along a diagonal direction. The "
                    "eigenvalues give the curvature along every direction.")
    elif wrong["diagonal"] == 0 and wrong["3-D or larger"] and not wrong["rotated"]:
        message += (" Right in 2-D but not in more dimensions: a positive determinant does not mean a minimum "
                    "when there are more than two eigenvalues (two negative ones multiply to a positive number).")
    else:
        message += " Look at the signs of all the eigenvalues (np.linalg.eigvalsh)."
    raise exercises.Wrong(message)


# --- 06.5 ------------------------------------------------------------------------------------------------------
_LR, _BETA_1, _BETA_2, _EPSILON = 2**-7, 0.875, 1 - 2**-10, 1e-7  # exact in float32, so Keras rounds nothing


def _reference_amsgrad(params, grads, state, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """AMSGrad as Keras writes it (``keras.optimizers.Adam(amsgrad=True)``): Adam, except that the step divides
    by the square root of the largest v so far, v_max, instead of v (the diagnosis of exercise 06.5 uses it)."""
    t = state.get("t", 0) + 1
    m = beta_1 * state.get("m", np.zeros_like(params)) + (1 - beta_1) * grads
    v = beta_2 * state.get("v", np.zeros_like(params)) + (1 - beta_2) * grads**2
    v_max = np.maximum(state.get("v_max", np.zeros_like(params)), v)
    alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return params - alpha * m / (np.sqrt(v_max) + epsilon), {"t": t, "m": m, "v": v, "v_max": v_max}


def _gradients():
    """Hidden gradients: large ones first, then small, so that the running maximum of v matters."""
    rng = np.random.default_rng(606)
    big = rng.normal(0.0, 3.0, size=(4, 5))
    small = rng.normal(0.0, 0.2, size=(10, 5))
    return rng.normal(0.0, 1.0, size=5), np.concatenate([big, small])


def _keras_amsgrad_path(start, gradients):
    import keras

    variable = keras.Variable(start, dtype="float64")
    optimizer = keras.optimizers.Adam(learning_rate=_LR, beta_1=_BETA_1, beta_2=_BETA_2, epsilon=_EPSILON,
                                      amsgrad=True)
    path = []
    for g in gradients:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g, dtype="float64"), variable)])
        path.append(np.array(variable.numpy(), dtype=float))
    return np.array(path)


@functools.lru_cache(maxsize=1)
def _keras_reference():
    """Keras's AMSGrad path on the hidden gradients, computed once per session (a few tenths of a second)."""
    start, gradients = _gradients()
    path = _keras_amsgrad_path(start, gradients)
    path.flags.writeable = False
    return path


def _numpy_path(step, start, gradients):
    params, state, path = start.copy(), {}, []
    for g in gradients:
        params, state = step(params, g, state, learning_rate=_LR, beta_1=_BETA_1, beta_2=_BETA_2, epsilon=_EPSILON)
        path.append(params)
    return np.array(path)


@exercises.exercise("06.5", "AMSGrad as a step function, against Keras")
def _amsgrad(answer, report):
    start, gradients = _gradients()
    params, state, path = start.copy(), {}, []
    for k, g in enumerate(gradients):
        result = exercises.call(answer, params, g, state, learning_rate=_LR, beta_1=_BETA_1, beta_2=_BETA_2,
                                epsilon=_EPSILON, name="amsgrad")
        if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
            raise exercises.Wrong("amsgrad must return two things, (new_params, new_state), with new_state a dict, "
                                  "like every optimizer in helpers.optimizers")
        params, state = result
        params = exercises._as_array(params, f"new_params after step {k + 1}")
        if params.shape != start.shape:
            raise exercises.Wrong(f"new_params has shape {params.shape} after step {k + 1}; it must keep the shape "
                                  f"of params, {start.shape}")
        path.append(params)
    path = np.array(path)
    keras_path = _keras_reference()
    if np.allclose(path, keras_path, rtol=0, atol=1e-9):
        report.compare("path", path, keras_path, rtol=0, atol=1e-9)
        return
    first_wrong = int(np.argmax(~np.all(np.isclose(path, keras_path, rtol=0, atol=1e-9), axis=1)))
    hint = ""
    if np.allclose(path, _numpy_path(adam, start, gradients), rtol=0, atol=1e-9):
        hint = ("these are plain Adam's steps: the step must divide by the square root of v_max, the largest v "
                "so far (kept in the state), not by that of v")
    elif np.allclose(path[0], keras_path[0], rtol=0, atol=1e-9) and first_wrong > 0:
        hint = ("the first step is right and a later one is not: is everything the next step needs (t, m, v and "
                "v_max) in the state you return, and does v keep its own running average, apart from v_max?")
    elif np.allclose(path, 2 * start - keras_path, rtol=0, atol=1e-9):
        hint = "every step goes the wrong way: subtract the update, do not add it"
    else:
        hint = ("compare your formulas with Adam's (section 1) term by term; AMSGrad changes one line: "
                "v_max = max(v_max, v), and the step uses sqrt(v_max)")
    report.compare("path", path, keras_path, rtol=0, atol=1e-9)
    raise exercises.Wrong(f"your path leaves Keras's at step {first_wrong + 1} of {len(gradients)}: {hint}")
