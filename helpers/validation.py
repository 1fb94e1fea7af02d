"""Argument checks shared by every module (plumbing, not taught).

Every public helper checks what it is given and raises a ``TypeError`` or ``ValueError`` that names the
argument, the value it got and what it expected, so that a learner's mistake never turns into a deep
traceback from inside NumPy or, worse, a silent wrong answer.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_float_array",
    "check_int",
    "check_real",
    "check_bool",
    "check_probability",
    "check_same_shape",
    "check_callable",
    "check_choice",
]


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def as_float_array(x, name: str, *, ndim=None, shape=None, finite: bool = True, min_size: int = 0) -> np.ndarray:
    """Return ``x`` as a float64 NumPy array, or raise an error that names ``name``.

    Args:
        x: a number, a nested list or an array of numbers. Booleans are accepted (as 0/1), strings and
            objects are not.
        name: the argument's name, used in error messages.
        ndim: the required number of dimensions, an int or a tuple of allowed ints, or ``None`` for any.
        shape: the required shape; ``None`` in a position accepts any length there.
        finite: reject NaN and infinity.
        min_size: the fewest elements accepted.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got {_describe(x)}")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers; NumPy says: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must contain numbers, got an array of dtype {arr.dtype}: {_describe(x)}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must contain real numbers, got complex values")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            expected = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {expected} dimension(s), got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {wanted}, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got {arr.size}")
    if finite and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        where = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(
            f"{name} must be finite, but it holds {int(bad.shape[0]) if arr.ndim else 1} NaN or infinite "
            f"value(s), the first at index {where}: {arr[where] if arr.ndim else arr}"
        )
    return arr


def check_int(value, name: str, *, minimum=None, maximum=None) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not a bool) within the bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(value, name: str, *, low=None, high=None, low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite ``float`` inside the interval given by ``low`` and ``high``.

    ``low_open``/``high_open`` exclude the end point: ``check_real(lr, "learning_rate", low=0, low_open=True)``
    accepts any positive number.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and np.issubdtype(value.dtype, np.number):
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_probability(x, name: str) -> np.ndarray:
    """Return ``x`` as a float array after checking every value lies in [0, 1]."""
    arr = as_float_array(x, name)
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        bad = arr[(arr < 0) | (arr > 1)].ravel()[0]
        raise ValueError(f"{name} must lie in [0, 1], but it holds {bad}")
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise a ``ValueError`` naming both arguments when two arrays differ in shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {np.shape(a)} and {np.shape(b)}"
        )


def check_bool(value, name: str) -> bool:
    """Return ``value`` as a ``bool`` if it is ``True`` or ``False`` (NumPy's too), else raise a ``TypeError``
    naming it: a flag given as ``"yes"`` or ``1`` is a mistake, not a truth value."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} (type {type(value).__name__})")
    return bool(value)


def check_callable(f, name: str):
    """Return ``f`` if it can be called, else raise a ``TypeError`` naming it."""
    if not callable(f):
        raise TypeError(f"{name} must be callable (a function), got {_describe(f)}")
    return f


def check_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise a ``ValueError`` listing them."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value
