"""Checks that hold hand-written code against a reference (used from notebook 01 on).

``compare`` is the one-line check the course prints whenever from-scratch code meets Keras or TensorFlow
(in the spirit of the ``cmp`` of nn-zero-to-hero), and ``numerical_gradient`` is the central finite
difference that every derivative in the course is checked against.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_callable, check_real

__all__ = ["compare", "claim", "max_abs_diff", "numerical_gradient", "check_exercise"]


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


def claim(name: str, value, *, low=None, high=None, fmt: str = ".3g") -> None:
    """Check one claim about a measured number and print it in one line: ``OK   name: 0.34 <= 0.6``.

    The line shows the measured value beside its bound, so that a claim is checked once and reads once (no
    ``assert`` followed by a ``print(..., True)``). The value usually comes from training and differs a
    little between CPUs, so cells that call ``claim`` are not compared as text by nbval; a claim that fails
    raises ``AssertionError``, which fails the notebook wherever it runs.

    Args:
        name: the claim, in words (for example "dropout leaves at most 60 % of the gap, worst seed").
        value: the measured number (a Python or NumPy real number).
        low: the smallest value the claim allows (inclusive), or ``None``.
        high: the largest value the claim allows (inclusive), or ``None``.
        fmt: the format of the printed numbers.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    if low is None and high is None:
        raise ValueError("claim needs a bound: give low, high or both")
    value = check_real(value, "value")
    low = None if low is None else check_real(low, "low")
    high = None if high is None else check_real(high, "high")
    if low is not None and high is not None and low > high:
        raise ValueError(f"low must not exceed high, got low={low} and high={high}")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format string such as '.3g', got {fmt!r}")
    ok = (low is None or value >= low) and (high is None or value <= high)
    shown = f"{value:{fmt}}"
    if low is not None and high is not None:
        bound = f"{low:{fmt}} <= {shown} <= {high:{fmt}}"
    elif low is not None:
        bound = f"{shown} >= {low:{fmt}}"
    else:
        bound = f"{shown} <= {high:{fmt}}"
    print(f"{'OK  ' if ok else 'FAIL'} {name}: {bound}")
    if not ok:
        raise AssertionError(f"{name}: measured {shown}, outside the claimed bound")


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


def check_exercise(name: str, answer, expected, tol: float = 1e-6) -> bool | None:
    """Tell a learner whether their exercise answer is right, without giving the answer away.

    Leave ``answer`` as ``None`` until you have one: the cell then says so and the notebook still runs top to
    bottom. Numbers and arrays are compared within ``tol`` (and must have the expected shape); anything else,
    such as the letter of a multiple-choice answer, must be equal. Returns ``True``, ``False``, or ``None``
    when not attempted.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    tol = check_real(tol, "tol", low=0)
    if answer is None:
        print(f"{name}: not attempted yet (replace None with your answer and run the cell again)")
        return None
    try:
        a = np.asarray(answer, dtype=float)
        e = np.asarray(expected, dtype=float)
        ok = a.shape == e.shape and bool(np.all(np.abs(a - e) <= tol))
    except (TypeError, ValueError):  # not numbers: a word, a choice such as "b", a mixed tuple
        try:
            ok = bool(answer == expected)
        except (TypeError, ValueError):  # an element-wise comparison of arrays
            ok = bool(np.array_equal(np.asarray(answer, dtype=object), np.asarray(expected, dtype=object)))
    print(f"{name}: {'correct, well done' if ok else 'not yet - look again (the solution is below, hidden)'}")
    return ok
