"""Optimizers written from scratch in NumPy (taught in notebook 06, reused by notebooks 07 and 08).

Every optimizer is one small, pure function with the same shape::

    new_params, new_state = adam(params, grads, state, learning_rate=0.001, ...)

``state`` is a dictionary that starts empty (``{}``) and holds whatever the optimizer remembers between
steps (a velocity, running averages, a step counter); the function never modifies its arguments and
returns a new state. The formulas are the ones ``keras.optimizers`` uses, term for term (where a textbook
writes it differently the docstring says so), and each trajectory matches its Keras counterpart to 1e-6
for hyper-parameters that are exact in float32, such as 2**-7 or 0.875 (``tests/test_optimizers.py``
holds them to it). Keras keeps the learning rate in a float32 variable and rounds the betas to float32
where it raises them to the power t, so values such as 0.001 or 0.9 leave a float32 rounding gap (about
1e-6 over 150 steps), not a different formula. The defaults are Keras's, except that :func:`momentum` and
:func:`nesterov` default to ``momentum=0.9`` (``keras.optimizers.SGD`` defaults to ``momentum=0.0``).

``make_optimizer(name, **hyper)`` checks the hyper-parameters once and returns a one-argument-shorter step
function ``step(params, grads, state)``; ``run(optimizer, grad, start, steps)`` is the training loop and
returns the path. ``run_many`` runs many independent starts at once (plumbing for learning-rate sweeps and
repeats over seeds): since every optimizer works coordinate by coordinate, a hyper-parameter may also be an
array with one value per run, such as ``learning_rate=rates[:, None]`` for starts of shape ``(len(rates), 2)``.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .validation import as_float_array, check_callable, check_choice, check_int, check_real

__all__ = [
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "adamw",
    "OPTIMIZERS", "make_optimizer", "run", "run_many", "keras_run",
]

# What each hyper-parameter may be: (low, high, low_open, high_open); None means unbounded.
_RULES = {
    "learning_rate": (0.0, None, True, False),  # > 0
    "momentum": (0.0, 1.0, False, True),  # [0, 1)
    "beta_1": (0.0, 1.0, False, True),
    "beta_2": (0.0, 1.0, False, True),
    "rho": (0.0, 1.0, False, True),
    "epsilon": (0.0, None, True, False),  # > 0
    "initial_accumulator_value": (0.0, None, False, False),  # >= 0
    "weight_decay": (0.0, None, False, False),  # >= 0
}


def _check(params, grads, state, **hyper):
    """Validate one step's arguments (plumbing): arrays of the same shape, a dict state, sane hyper-params."""
    if not (type(params) is np.ndarray and params.dtype == np.float64 and np.isfinite(params).all()):
        params = as_float_array(params, "params")  # the fast path above skips this inside run()'s loop
    if not (type(grads) is np.ndarray and grads.dtype == np.float64):
        grads = as_float_array(grads, "grads", finite=False)
    if grads.shape != params.shape:
        raise ValueError(f"grads must have the shape of params {params.shape}, got {grads.shape}")
    if not isinstance(state, dict):
        raise TypeError(f"state must be a dict (start with {{}}), got {type(state).__name__}")
    for key, value in state.items():
        if isinstance(value, np.ndarray) and value.shape != params.shape:
            raise ValueError(f"state[{key!r}] must have the shape of params {params.shape}, got {value.shape} "
                             "(a state from another problem? start with {})")
    for name, value in hyper.items():
        _check_hyper(name, value, params.shape)
    return params, grads


def _check_hyper(name, value, shape=None):
    """One hyper-parameter: a real number in its range, or (for :func:`run_many`) an array of them that
    broadcasts against params of ``shape``, one value per run."""
    low, high, low_open, high_open = _RULES[name]
    if type(value) is float and (value > low if low_open else value >= low) and (  # the fast path for a
            high is None and value < np.inf or high is not None and (value < high if high_open else value <= high)):
        return value  # plain float in range (NaN fails every comparison): the loop of run() calls this each step
    if not (isinstance(value, np.ndarray) and value.ndim > 0):
        return check_real(value, name, low=low, high=high, low_open=low_open, high_open=high_open)
    values = value if value.dtype == np.float64 else as_float_array(value, name, finite=False)
    smallest, largest = values.min(), values.max()  # two reductions: this runs at every step of a sweep
    if not np.isfinite(smallest) or not np.isfinite(largest):
        raise ValueError(f"every {name} must be finite, got {smallest if not np.isfinite(smallest) else largest}")
    if low is not None and (smallest < low or (low_open and smallest == low)):
        raise ValueError(f"every {name} must be {'>' if low_open else '>='} {low}, got {smallest}")
    if high is not None and (largest > high or (high_open and largest == high)):
        raise ValueError(f"every {name} must be {'<' if high_open else '<='} {high}, got {largest}")
    if shape is not None:
        try:
            np.broadcast_shapes(values.shape, shape)
        except ValueError:
            raise ValueError(f"{name} of shape {values.shape} does not broadcast against params of shape {shape} "
                             "(one value per run: shape (runs, 1) for params of shape (runs, d))") from None
    return values


def sgd(params, grads, state, *, learning_rate=0.01):
    """Plain (stochastic) gradient descent: a step down the gradient.

    theta <- theta - learning_rate * g
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate)
    return params - learning_rate * grads, {}


def momentum(params, grads, state, *, learning_rate=0.01, momentum=0.9):
    """Gradient descent with momentum (Keras: ``SGD(momentum=...)``).

    The velocity v is a running sum of past steps that decays by ``momentum`` each step:
        v <- momentum * v - learning_rate * g
        theta <- theta + v
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, momentum=momentum)
    velocity = state.get("velocity", np.zeros_like(params))
    velocity = momentum * velocity - learning_rate * grads
    return params + velocity, {"velocity": velocity}


def nesterov(params, grads, state, *, learning_rate=0.01, momentum=0.9):
    """Nesterov momentum, in the form Keras uses (``SGD(momentum=..., nesterov=True)``).

    Nesterov evaluates the gradient at the look-ahead point theta + momentum * v. Keras (like PyTorch)
    keeps the look-ahead point itself as the parameters, which turns the update into
        v <- momentum * v - learning_rate * g
        theta <- theta + momentum * v - learning_rate * g
    so the gradient g is taken at the stored parameters, as for every other optimizer.
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, momentum=momentum)
    velocity = state.get("velocity", np.zeros_like(params))
    velocity = momentum * velocity - learning_rate * grads
    return params + momentum * velocity - learning_rate * grads, {"velocity": velocity}


def adagrad(params, grads, state, *, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
    """AdaGrad: each coordinate's step is divided by the root of its summed squared gradients.

        s <- s + g**2                      (s starts at initial_accumulator_value, not 0, in Keras)
        theta <- theta - learning_rate * g / sqrt(s + epsilon)   (Keras puts epsilon inside the root)
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate,
                           initial_accumulator_value=initial_accumulator_value, epsilon=epsilon)
    s = state.get("s", np.full_like(params, initial_accumulator_value))
    s = s + grads**2
    return params - learning_rate * grads / np.sqrt(s + epsilon), {"s": s}


def rmsprop(params, grads, state, *, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    """RMSprop: like AdaGrad, but the squared gradients are a decaying average, so steps do not shrink to 0.

        s <- rho * s + (1 - rho) * g**2
        theta <- theta - learning_rate * g / sqrt(s + epsilon)   (Keras puts epsilon inside the root)
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, rho=rho, epsilon=epsilon)
    s = state.get("s", np.zeros_like(params))
    s = rho * s + (1 - rho) * grads**2
    return params - learning_rate * grads / np.sqrt(s + epsilon), {"s": s}


def adam(params, grads, state, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Adam: momentum (m) plus RMSprop-style scaling (v), both corrected for starting at zero.

        t <- t + 1
        m <- beta_1 * m + (1 - beta_1) * g
        v <- beta_2 * v + (1 - beta_2) * g**2
        alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        theta <- theta - alpha * m / (sqrt(v) + epsilon)

    This is the paper's "efficient version" that Keras uses. The textbook form
    m_hat / (sqrt(v_hat) + epsilon) with m_hat = m / (1 - beta_1**t), v_hat = v / (1 - beta_2**t) is the
    same except that its epsilon is effectively epsilon * sqrt(1 - beta_2**t) here.
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                           epsilon=epsilon)
    t = state.get("t", 0) + 1
    m = beta_1 * state.get("m", np.zeros_like(params)) + (1 - beta_1) * grads
    v = beta_2 * state.get("v", np.zeros_like(params)) + (1 - beta_2) * grads**2
    alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return params - alpha * m / (np.sqrt(v) + epsilon), {"t": t, "m": m, "v": v}


def adamax(params, grads, state, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Adamax: Adam with the root-mean-square of the gradients replaced by a decaying maximum of their sizes.

        t <- t + 1
        m <- beta_1 * m + (1 - beta_1) * g
        u <- max(beta_2 * u, |g|)
        theta <- theta - learning_rate / (1 - beta_1**t) * m / (u + epsilon)

    u needs no bias correction: a maximum does not start out too small the way an average from zero does.
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                           epsilon=epsilon)
    t = state.get("t", 0) + 1
    m = beta_1 * state.get("m", np.zeros_like(params)) + (1 - beta_1) * grads
    u = np.maximum(beta_2 * state.get("u", np.zeros_like(params)), np.abs(grads))
    return params - learning_rate / (1 - beta_1**t) * m / (u + epsilon), {"t": t, "m": m, "u": u}


def adamw(params, grads, state, *, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
          epsilon=1e-7):
    """AdamW: Adam with decoupled weight decay (Keras default ``weight_decay=0.004``).

    The weights first shrink by a fraction learning_rate * weight_decay, then take an ordinary Adam step
    with the gradient of the loss alone (the decay is not added to the gradient, unlike L2 regularisation):
        theta <- theta - learning_rate * weight_decay * theta,   then the adam() step
    """
    params, grads = _check(params, grads, state, learning_rate=learning_rate, weight_decay=weight_decay)
    params = params - learning_rate * weight_decay * params
    return adam(params, grads, state, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                epsilon=epsilon)


OPTIMIZERS = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamax": adamax,
    "adamw": adamw,
}


def make_optimizer(name: str, **hyper):
    """Return ``step(params, grads, state) -> (new_params, new_state)`` for the optimizer ``name``.

    ``hyper`` overrides the optimizer's defaults (Keras's, except momentum=0.9 for momentum and nesterov), e.g.
    ``make_optimizer("adam", learning_rate=0.1)``. Unknown names and bad values are rejected here, before
    any step is taken. A hyper-parameter may be an array of values, one per run, for :func:`run_many`.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'adam', got {type(name).__name__}")
    check_choice(name, "name", OPTIMIZERS)
    func = OPTIMIZERS[name]
    allowed = [p for p, spec in inspect.signature(func).parameters.items() if spec.kind == spec.KEYWORD_ONLY]
    for key, value in hyper.items():
        if key not in allowed:
            raise TypeError(f"{name} has no hyper-parameter {key!r}; it takes {allowed}")
        _check_hyper(key, value)
    step = functools.partial(func, **hyper)
    step.__name__ = name
    return step


def run(optimizer, grad, start, steps: int) -> np.ndarray:
    """Take ``steps`` optimizer steps from ``start`` and return the path, an array of shape (steps + 1, d).

    The optimizer only ever sees the gradient: ``grad(params)`` must return an array shaped like
    ``params``. If the parameters overflow (a learning rate far too large), the path stops at the last
    finite point, so a shorter path means the run diverged.

    Args:
        optimizer: a step function ``step(params, grads, state)``, e.g. ``make_optimizer("adam")``.
        grad: the gradient function of the loss, e.g. ``surfaces.rosenbrock_grad``.
        start: the starting point, a finite 1-D array (or a number for 1-D problems).
        steps: the number of updates, >= 0.
    """
    check_callable(optimizer, "optimizer")
    check_callable(grad, "grad")
    params = as_float_array(start, "start", ndim=(0, 1))
    steps = check_int(steps, "steps", minimum=0)
    path, state = [params], {}
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            params, state = optimizer(params, np.asarray(grad(params), dtype=float), state)
            if not np.all(np.isfinite(params)):
                break
            path.append(params)
    return np.array(path)


def run_many(optimizer, grad, starts, steps: int) -> np.ndarray:
    """Many independent runs at once (plumbing for sweeps and seeds): ``starts`` of shape (runs, d) gives
    paths of shape (steps + 1, runs, d), ``paths[:, i]`` being run i.

    The runs share one call per step, which is as fast as one run: every optimizer works coordinate by
    coordinate, so the runs never mix, and a hyper-parameter may hold one value per run (for example
    ``make_optimizer("sgd", learning_rate=rates[:, None])``). ``grad`` must accept a (runs, d) array (every
    gradient in ``helpers.surfaces`` does). A run that overflows holds NaN from then on; the others go on.
    """
    check_callable(optimizer, "optimizer")
    check_callable(grad, "grad")
    params = as_float_array(starts, "starts", ndim=2, min_size=1)
    steps = check_int(steps, "steps", minimum=0)
    paths = np.full((steps + 1, *params.shape), np.nan)
    paths[0], state = params, {}
    alive = np.ones((len(params), 1), dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(1, steps + 1):
            params, state = optimizer(params, np.asarray(grad(params), dtype=float), state)
            alive &= np.isfinite(params).all(axis=1, keepdims=True)
            if not alive.any():
                break
            params = np.where(alive, params, 0.0)  # a diverged run is parked at 0 and recorded as NaN
            paths[i] = np.where(alive, params, np.nan)
    return paths


def keras_run(keras_optimizer, f, start, steps: int) -> np.ndarray:
    """The reference for :func:`run`: the same loop with a ``keras.optimizers`` optimizer, on a float64
    Keras variable, with the gradient of ``f`` from ``tf.GradientTape``. Returns the path, (steps + 1, d).

    ``f`` must accept a TensorFlow tensor (every value function in ``helpers.surfaces`` does).
    """
    import keras
    import tensorflow as tf

    if not isinstance(keras_optimizer, keras.optimizers.Optimizer):
        got = type(keras_optimizer).__name__
        raise TypeError(f"keras_optimizer must be a keras.optimizers.Optimizer, got {got}")
    check_callable(f, "f")
    start = as_float_array(start, "start", ndim=(0, 1))
    steps = check_int(steps, "steps", minimum=0)
    var = keras.Variable(start, dtype="float64")

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(var.value)
            loss = f(var.value)
        keras_optimizer.apply_gradients([(tape.gradient(loss, var.value), var)])
        return var.value

    return np.array([start] + [step().numpy() for _ in range(steps)])
