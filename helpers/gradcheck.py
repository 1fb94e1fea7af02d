"""Gradient checking: the from-scratch backward pass held against finite differences and TensorFlow
(taught in notebook 04).

:func:`gradient_check` computes the gradient of the network of ``helpers.mlp`` three ways on the same
float64 weights - the analytic backward pass, central finite differences, and ``tf.GradientTape`` on the same
network written with TensorFlow ops and ``keras.losses`` - and prints one line per parameter. It raises an
``AssertionError`` naming every parameter whose gradient is off, so a wrong backward pass fails loudly.
"""

from __future__ import annotations

import numpy as np

from . import mlp
from .checks import numerical_gradient
from .validation import as_float_array, check_bool, check_callable, check_real

__all__ = ["relative_difference", "numerical_grads", "tensorflow_grads", "gradient_check"]


def relative_difference(a, b) -> float:
    """``max |a - b|`` divided by the largest entry of either, ``max(|a|, |b|)``: 1e-10 means the two agree
    to about ten significant digits, whatever the scale of the gradient.

    The measure is normwise, relative to the LARGEST entry: an entry much smaller than the largest may be
    wrong by more than its own size and still pass. Compare such entries element by element as well.
    """
    a, b = as_float_array(a, "a", finite=False), as_float_array(b, "b", finite=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def numerical_grads(params, X, y, activations, loss, eps=1e-5):
    """Central finite differences of the loss for every parameter: two forward passes per number.

    The error has two parts: truncation, which shrinks like ``eps**2``, and round-off in the difference of
    two nearly equal losses, which grows like ``1e-16 / eps``. In float64 their sum is smallest near
    ``eps = 1e-5`` (notebook 04 measures it), the default here; ``helpers.checks.numerical_gradient``, which this
    calls and which notebooks 02 and 03 use on single functions, defaults to ``1e-6``.

    Near a kink (ReLU at 0) a difference whose two points straddle the kink blends two slopes: a pre-activation
    within ``eps`` of 0 gives a false failure, not a wrong backward pass.
    """
    mlp.compute_loss(params, X, y, activations, loss)  # checks every argument once, with a clear message
    eps = check_real(eps, "eps", low=0, low_open=True)
    grads = {}
    for name in params:
        def loss_at(value, name=name):
            return mlp.compute_loss({**params, name: value}, X, y, activations, loss)

        grads[name] = numerical_gradient(loss_at, params[name], eps=eps)
    return grads


def tensorflow_grads(params, X, y, activations, loss):
    """The same network and loss in TensorFlow (float64), differentiated by ``tf.GradientTape``."""
    import keras
    import tensorflow as tf

    output_np, _ = mlp.forward(params, X, activations)  # also checks params, X and activations
    y = mlp._check_targets(y, output_np, loss)
    tf_activations = {
        "step": lambda z: tf.cast(z >= 0, z.dtype), "linear": tf.identity, "sigmoid": tf.sigmoid,
        "tanh": tf.tanh, "relu": tf.nn.relu, "elu": tf.nn.elu, "softplus": tf.nn.softplus, "silu": tf.nn.silu,
        "softmax": tf.nn.softmax,
        # written out: tf.nn.leaky_relu and tf.nn.gelu use float32 constants (errors of about 1e-9) in float64
        "leaky_relu": lambda z: tf.where(z >= 0, z, 0.01 * z),
        "gelu": lambda z: 0.5 * z * (1.0 + tf.math.erf(z / np.sqrt(2.0))),
    }
    tf_losses = {
        "mse": lambda t, p: tf.reduce_mean(keras.losses.mean_squared_error(t, p)),
        "mae": lambda t, p: tf.reduce_mean(keras.losses.mean_absolute_error(t, p)),
        "binary_cross_entropy": lambda t, p: tf.reduce_mean(keras.losses.binary_crossentropy(t, p)),
        "categorical_cross_entropy": lambda t, p: tf.reduce_mean(keras.losses.categorical_crossentropy(t, p)),
    }
    variables = {name: tf.Variable(value, dtype=tf.float64) for name, value in params.items()}
    with tf.GradientTape() as tape:
        A = tf.constant(X, dtype=tf.float64)
        for layer, name in enumerate(activations, start=1):
            A = tf_activations[name](A @ variables[f"W{layer}"] + variables[f"b{layer}"])
        value = tf_losses[loss](tf.constant(y, dtype=tf.float64), A)
    gradients = tape.gradient(value, list(variables.values()))
    return {name: g.numpy() for name, g in zip(variables, gradients, strict=True)}


def gradient_check(params, X, y, activations, loss, *, backward_fn=mlp.backward, tol=1e-7,
                   use_tensorflow=True, verbose=True):
    """Compare ``backward_fn``'s gradients with finite differences and ``tf.GradientTape``; print one line
    per parameter and raise ``AssertionError`` if any relative difference exceeds ``tol``.

    Each line reads ``OK   W1 (2, 4)  exact: False  approximate: True  max rel diff: finite diff 3e-10,
    TensorFlow 2e-16``: *exact* means bit-for-bit equal to TensorFlow, *approximate* means both relative
    differences (see :func:`relative_difference`, normwise per parameter) are within ``tol``. Use float64
    weights: in float32 the finite differences alone are off by about 1e-3.

    Args:
        params, X, y, activations, loss: the network and data, as for :func:`helpers.mlp.backward`.
        backward_fn: the backward pass under test, called as ``backward_fn(params, cache, y, loss)``.
        tol: the largest relative difference accepted.
        use_tensorflow: also compare with TensorFlow (imports it).
        verbose: print the lines.

    Returns:
        ``{name: (relative difference to finite differences, to TensorFlow or None)}``.
    """
    tol = _check_options(backward_fn, tol, use_tensorflow, verbose)  # argument checks (plumbing)
    _, cache = mlp.forward(params, X, activations)
    analytic = backward_fn(params, cache, y, loss)
    if not isinstance(analytic, dict) or set(analytic) != set(params):
        raise ValueError(f"backward_fn must return a dict with the keys of params, {sorted(params)}")
    numeric = numerical_grads(params, X, y, activations, loss)
    reference = tensorflow_grads(params, X, y, activations, loss) if use_tensorflow else None
    results, failed = {}, []
    for name in params:
        rel_fd = relative_difference(analytic[name], numeric[name])
        rel_tf = None if reference is None else relative_difference(analytic[name], reference[name])
        ok = rel_fd <= tol and (rel_tf is None or rel_tf <= tol)
        exact = reference is not None and bool(np.array_equal(analytic[name], reference[name]))
        results[name] = (rel_fd, rel_tf)
        failed += [] if ok else [name]
        if verbose:
            diffs = f"finite diff {rel_fd:.0e}" + ("" if rel_tf is None else f", TensorFlow {rel_tf:.0e}")
            print(f"{'OK  ' if ok else 'FAIL'} {name:<3} {str(np.shape(params[name])):<8} "
                  f"exact: {exact!s:<5} approximate: {ok!s:<5} max rel diff: {diffs}")
    if failed:
        worst = ", ".join(f"{n} {max(r for r in results[n] if r is not None):.1e}" for n in failed)
        raise AssertionError(f"gradient check failed for {', '.join(failed)} "
                             f"(relative difference > tol {tol:.0e}: {worst})")
    return results


def _check_options(backward_fn, tol, use_tensorflow, verbose):
    check_callable(backward_fn, "backward_fn")
    check_bool(use_tensorflow, "use_tensorflow")
    check_bool(verbose, "verbose")
    return check_real(tol, "tol", low=0, low_open=True)
