"""Checks that hold hand-written code against a reference (used from notebook 01 on).

``compare`` is the one-line check the course prints whenever from-scratch code meets Keras or TensorFlow
(in the spirit of the ``cmp`` of nn-zero-to-hero), and ``numerical_gradient`` is the central finite
difference that every derivative in the course is checked against.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_callable, check_real

__all__ = ["compare", "max_abs_diff", "numerical_gradient", "claim"]


def _to_numpy(x, name):
    if hasattr(x, "numpy"):  # a TensorFlow tensor or variable
        x = x.numpy()
    return as_float_array(x, name, finite=False)


def max_abs_diff(a, b) -> float:
    """The largest absolute difference between two arrays of the same shape."""
    a = _to_numpy(a, "a")
    b = _to_numpy(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)))


def compare(name: str, ours, reference, tol: float = 1e-6, *, raise_error: bool = True) -> None:
    """Print one line saying whether ``ours`` matches ``reference`` within ``tol``.

    The line reads ``OK   name   max |diff| = 3.1e-09 <= tol 1e-06`` (or ``FAIL``). The largest absolute
    difference depends on the CPU's floating-point order, so the notebooks' nbval sanitize file masks that
    number and the stored output compares only the verdict. It returns ``None`` so that a cell ending in a
``compare`` call shows nothing CPU-dependent; use :func:`max_abs_diff` for the number itself.

    Args:
        name: what is compared, for the printed line.
        ours: the hand-written result (array, number or TensorFlow tensor).
        reference: the result of the reference implementation, same shape.
        tol: the largest absolute difference accepted.
        raise_error: raise ``AssertionError`` on a mismatch (the default, so a broken check fails loudly).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    tol = check_real(tol, "tol", low=0)
    a = _to_numpy(ours, "ours")
    b = _to_numpy(reference, "reference")
    if a.shape != b.shape:
        raise ValueError(f"ours and reference must have the same shape, got {a.shape} and {b.shape}")
    diff = max_abs_diff(a, b)
    ok = bool(np.all(np.isfinite(a)) and np.all(np.isfinite(b)) and diff <= tol)
    print(f"{'OK  ' if ok else 'FAIL'} {name:<24} max |diff| = {diff:.1e} {'<=' if ok else '>'} tol {tol:.0e}")
    if raise_error and not ok:
        raise AssertionError(f"{name}: max |diff| = {diff:.3e} exceeds tol {tol:.1e}")


def numerical_gradient(f, x, eps: float = 1e-6) -> np.ndarray:
    """Central finite-difference gradient of a scalar function ``f`` at the array ``x``.

    Each coordinate ``i`` is nudged both ways: ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``, whose error
    shrinks like ``eps**2``. ``x`` is not modified.
    """
    check_callable(f, "f")
    eps = check_real(eps, "eps", low=0, low_open=True)
    x = as_float_array(x, "x").copy()
    grad = np.zeros_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + eps
        f_plus = float(f(x))
        flat_x[i] = old - eps
        f_minus = float(f(x))
        flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def claim(name: str, value, *, low=None, high=None, fmt: str = ".3g", raise_error: bool = True) -> None:
    """Print one line holding a measured value against the bound a claim needs, and whether it holds.

    The line reads ``OK   name   0.197 >= 0.1`` (or ``in [a, b]``, ``<= b``; ``FAIL`` when it does not
    hold), so a claim is checked once and reads once: the measured number beside its verdict. Booleans are
    claims too: ``claim("every seed", bool(...))`` holds when the value is True.

    Args:
        name: the claim, in words.
        value: the measured number (or a bool).
        low, high: the bounds it must meet (inclusive); at least one for a number.
        fmt: the format of the numbers printed (``"d"`` prints them rounded to whole numbers).
        raise_error: raise ``AssertionError`` when the claim fails (the default).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if isinstance(value, (bool, np.bool_)):
        if low is not None or high is not None:
            raise ValueError("a bool claim takes no bounds")
        ok, shown = bool(value), str(bool(value))
    else:
        if isinstance(value, (str, bytes)) or np.ndim(value) != 0:
            raise TypeError(f"value must be a number or a bool, got {value!r}")
        value = float(as_float_array(value, "value", finite=False))
        if low is None and high is None:
            raise ValueError(f"claim {name!r} needs a bound: low=..., high=... or both")
        low = None if low is None else check_real(low, "low")
        high = None if high is None else check_real(high, "high")
        ok = bool(np.isfinite(value) and (low is None or value >= low) and (high is None or value <= high))

        def show(number):
            return f"{round(number):{fmt}}" if fmt.endswith("d") else f"{number:{fmt}}"

        if low is not None and high is not None:
            bound = f"in [{show(low)}, {show(high)}]"
        elif low is not None:
            bound = f">= {show(low)}"
        else:
            bound = f"<= {show(high)}"
        shown = f"{show(value)} {'' if ok else 'not '}{bound}"
    print(f"{'OK  ' if ok else 'FAIL'} {name:<44} {shown}")
    if raise_error and not ok:
        raise AssertionError(f"claim failed: {name}: {shown}")
