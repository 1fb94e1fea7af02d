"""Activation functions and their derivatives, in NumPy (taught in notebook 02, used from notebook 01 on).

Every function takes a number or an array of any shape and returns the same shape (a Python ``float`` for
a scalar input). Each ``*_grad`` function is the derivative with respect to the input, evaluated at ``x``.
They are numerically safe: ``sigmoid(-1000)`` is 0 and ``softplus(1000)`` is 1000, with no overflow
warning. Non-numeric input raises a ``TypeError`` that names the argument.

``ACTIVATIONS`` maps a name to ``(function, derivative)``; the from-scratch network of notebook 04 looks
activations up there.
"""

from __future__ import annotations

import math

import numpy as np

from .validation import as_float_array, check_int, check_real

__all__ = [
    "step", "step_grad", "linear", "linear_grad", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
    "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "prelu", "prelu_grad", "prelu_grad_alpha",
    "elu", "elu_grad", "selu", "selu_grad", "SELU_ALPHA", "SELU_SCALE", "softplus", "softplus_grad",
    "gelu", "gelu_grad", "silu", "silu_grad", "swish",
    "swish_grad", "softmax", "softmax_jacobian", "ACTIVATIONS",
]

_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _x(x, name: str = "x") -> np.ndarray:
    return as_float_array(x, name, finite=False)


def _out(values: np.ndarray):
    return float(values) if values.ndim == 0 else values


# --- the classics -----------------------------------------------------------------------------------------
def step(x):
    """Binary step: 1 where ``x >= 0``, else 0."""
    x = _x(x)
    return _out(np.where(x >= 0, 1.0, 0.0))


def step_grad(x):
    """The step's derivative: 0 everywhere (undefined at 0, where we also return 0)."""
    return _out(np.zeros_like(_x(x)))


def linear(x, a: float = 1.0):
    """Linear (identity when ``a == 1``): ``a * x``."""
    a = check_real(a, "a")
    return _out(a * _x(x))


def linear_grad(x, a: float = 1.0):
    """Derivative of ``a * x``: the constant ``a``."""
    a = check_real(a, "a")
    return _out(np.full_like(_x(x), a))


def sigmoid(x):
    """Logistic sigmoid ``1 / (1 + exp(-x))``, computed without overflow for large ``|x|``."""
    x = _x(x)  # an array of floats (plumbing: refuses non-numbers)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return _out(np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)))


def sigmoid_grad(x):
    """``sigmoid(x) * (1 - sigmoid(x))``; at most 0.25, at ``x = 0``."""
    s = np.asarray(sigmoid(x))
    return _out(s * (1.0 - s))


def tanh(x):
    """Hyperbolic tangent, zero-centred, range (-1, 1)."""
    return _out(np.tanh(_x(x)))


def tanh_grad(x):
    """``1 - tanh(x)**2``; at most 1, at ``x = 0``."""
    t = np.tanh(_x(x))
    return _out(1.0 - t * t)


def relu(x):
    """Rectified linear unit ``max(0, x)``."""
    return _out(np.maximum(_x(x), 0.0))


def relu_grad(x):
    """1 where ``x > 0``, else 0 (the kink at 0 gets 0, as in TensorFlow)."""
    return _out(np.where(_x(x) > 0, 1.0, 0.0))


def leaky_relu(x, alpha: float = 0.01):
    """``x`` where ``x >= 0``, else ``alpha * x``: a small slope keeps negative units alive."""
    alpha = check_real(alpha, "alpha", low=0)
    x = _x(x)
    return _out(np.where(x >= 0, x, alpha * x))


def leaky_relu_grad(x, alpha: float = 0.01):
    """1 where ``x > 0``, else ``alpha``."""
    alpha = check_real(alpha, "alpha", low=0)
    return _out(np.where(_x(x) > 0, 1.0, alpha))


def prelu(x, alpha):
    """Parametric ReLU: a leaky ReLU whose negative slope ``alpha`` is learned (a number or an array that
    broadcasts against ``x``, one slope per unit as in ``keras.layers.PReLU``)."""
    x = _x(x)
    alpha = as_float_array(alpha, "alpha")
    try:
        return _out(np.where(x >= 0, x, alpha * x))
    except ValueError:
        raise ValueError(
            f"alpha of shape {alpha.shape} does not broadcast against x of shape {x.shape}"
        ) from None


def prelu_grad(x, alpha):
    """Derivative of PReLU with respect to ``x``: 1 where ``x > 0``, else ``alpha``."""
    x = _x(x)
    alpha = as_float_array(alpha, "alpha")
    try:
        return _out(np.where(x > 0, 1.0, alpha * np.ones_like(x)))
    except ValueError:
        raise ValueError(
            f"alpha of shape {alpha.shape} does not broadcast against x of shape {x.shape}"
        ) from None


def prelu_grad_alpha(x):
    """Derivative of PReLU with respect to its slope ``alpha``: ``x`` where ``x < 0``, else 0."""
    x = _x(x)
    return _out(np.where(x < 0, x, 0.0))


def elu(x, alpha: float = 1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise; saturating at
    ``-alpha``. For ``alpha = 1`` its derivative is continuous at 0 (the function is C1), but its second
    derivative jumps there (from 1 to 0), so it is not infinitely smooth."""
    alpha = check_real(alpha, "alpha", low=0)
    x = _x(x)
    return _out(np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))))


def elu_grad(x, alpha: float = 1.0):
    """1 for ``x > 0``, ``alpha * exp(x)`` otherwise."""
    alpha = check_real(alpha, "alpha", low=0)
    x = _x(x)
    return _out(np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))))


# Keras's and TensorFlow's constants (Klambauer et al., 2017), chosen so that activations keep mean 0 and
# variance 1 through many layers of suitably initialised weights.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """Scaled ELU: ``SELU_SCALE * elu(x, SELU_ALPHA)``; its slope is ``SELU_SCALE`` (about 1.05) for
    ``x > 0`` and up to ``SELU_SCALE * SELU_ALPHA`` (about 1.76) just left of 0: a kink at 0."""
    x = _x(x)
    return _out(SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))))


def selu_grad(x):
    """``SELU_SCALE`` for ``x > 0``, ``SELU_SCALE * SELU_ALPHA * exp(x)`` otherwise."""
    x = _x(x)
    return _out(SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0))))


# --- the modern ones ----------------------------------------------------------------------------------------
def softplus(x):
    """``log(1 + exp(x))``, a smooth ReLU, computed as ``logaddexp(0, x)`` so that it never overflows."""
    return _out(np.logaddexp(0.0, _x(x)))


def softplus_grad(x):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(x)


def _erf(x: np.ndarray) -> np.ndarray:
    try:
        from scipy.special import erf
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        return np.vectorize(math.erf, otypes=[float])(x)
    return erf(x)


def gelu(x):
    """Gaussian error linear unit ``x * Phi(x)``, with ``Phi`` the standard normal CDF (the exact form,
    ``keras.activations.gelu(x, approximate=False)``)."""
    x = _x(x)
    return _out(0.5 * x * (1.0 + _erf(x / _SQRT_2)))


def gelu_grad(x):
    """``Phi(x) + x * phi(x)``, with ``phi`` the standard normal density."""
    x = _x(x)
    cdf = 0.5 * (1.0 + _erf(x / _SQRT_2))
    clipped = np.clip(x, -40.0, 40.0)  # phi(40) is 1e-348, 0 in float64; clipping keeps x*x from overflowing
    pdf = np.exp(-0.5 * clipped * clipped) / _SQRT_2PI
    return _out(cdf + x * pdf)


def silu(x):
    """Sigmoid linear unit, also called swish: ``x * sigmoid(x)``."""
    x = _x(x)
    return _out(x * np.asarray(sigmoid(x)))


def silu_grad(x):
    """``sigmoid(x) * (1 + x * (1 - sigmoid(x)))``."""
    x = _x(x)
    s = np.asarray(sigmoid(x))
    return _out(s * (1.0 + x * (1.0 - s)))


swish = silu
swish_grad = silu_grad


# --- the output layer ---------------------------------------------------------------------------------------
def softmax(x, axis: int = -1):
    """Softmax along ``axis``: positive values that sum to 1, for a multi-class output layer.

    The maximum is subtracted first, which changes nothing mathematically and prevents overflow.
    """
    x, axis = _softmax_arguments(x, axis)  # plumbing: an array of scores, a valid axis
    shifted = x - np.max(x, axis=axis, keepdims=True)  # the largest score becomes 0: exp never overflows
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_arguments(x, axis):
    x = _x(x)
    if x.ndim == 0:
        raise ValueError("x must have at least 1 dimension for softmax (one score per class), got a scalar")
    return x, check_int(axis, "axis", minimum=-x.ndim, maximum=x.ndim - 1)


def softmax_jacobian(x):
    """The Jacobian of softmax for one score vector ``x`` of length k: ``diag(s) - s s^T``, shape (k, k)."""
    x = as_float_array(x, "x", ndim=1, min_size=1, finite=False)
    s = softmax(x)
    return np.diag(s) - np.outer(s, s)


ACTIVATIONS = {
    "step": (step, step_grad),
    "linear": (linear, linear_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "selu": (selu, selu_grad),
    "softplus": (softplus, softplus_grad),
    "gelu": (gelu, gelu_grad),
    "silu": (silu, silu_grad),
}
"""Name -> ``(function, derivative)`` for the element-wise activations with default parameters."""
