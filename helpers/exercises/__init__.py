"""Exercise checks for every notebook (plumbing): the expected answers live here, never in a notebook.

A notebook's exercise is three cells: the task (Markdown), a stub the learner fills in, and a check cell::

    def dense_forward(X, W, b):
        ...  # your code here

    exercises.check("01.1", dense_forward)

:func:`check` finds the exercise by its key (notebook number, dot, exercise number), runs the learner's
answer on inputs the learner never sees, and prints one verdict:

- ``not attempted yet``: the answer is still ``...``/``None``, or the function is still a stub (its body is
  ``...`` or raises ``NotImplementedError``), so the notebook runs top to bottom untouched;
- ``correct``;
- ``not yet``: with what is wrong, in a way that teaches (a shape, a sign, a constant factor, the inputs on
  which it fails), never the expected value itself.

The reference answers are computed in the module of each notebook (``helpers.exercises.nb01`` ...
``nb08``), from a reference implementation or a stored value, so that no cell of a notebook contains or prints
an expected answer. Hashing or hiding them would be obfuscation, not secrecy: a learner who opens these files
finds the answers, and that is allowed; the checks are there to teach, not to grade.

Writing a check (for maintainers): decorate a function with :func:`exercise`; it receives the learner's
answer and a :class:`Report`; it raises :class:`Wrong` with a teaching message, or calls ``report.compare``
for each quantity (one ``cmp``-style line each), and returns normally when the answer is right. Call the
learner's function through :func:`call`, which copies the inputs, recognises an untouched stub and turns the
learner's own exception into a readable verdict.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import numbers
import re
from collections.abc import Callable

import numpy as np

__all__ = [
    "check",
    "evaluate",
    "last_result",
    "keys",
    "exercise",
    "call",
    "Report",
    "Result",
    "Wrong",
    "NotAttempted",
    "diagnose",
    "as_number",
]

_KEY = re.compile(r"^(\d\d)\.(\d+)$")
_REGISTRY: dict[str, tuple[str, Callable]] = {}
_LAST: dict[str, Result] = {}


class NotAttempted(Exception):
    """The answer is still the placeholder (``...``, ``None`` or a stub function)."""


class Wrong(Exception):
    """The answer is wrong; the message says what is wrong without giving the answer away."""


class LearnerError(Exception):
    """The learner's own code raised an exception; the message names it."""


@dataclasses.dataclass
class Result:
    """The outcome of one check: ``status`` is ``"correct"``, ``"wrong"`` or ``"not attempted"``."""

    key: str
    title: str
    status: str
    message: str
    lines: list[str] = dataclasses.field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def text(self) -> str:
        head = f"Exercise {self.key} ({self.title}): {self.message}"
        return "\n".join([head, *("    " + line for line in self.lines)])


def exercise(key: str, title: str):
    """Register ``function(answer, report)`` as the check of exercise ``key`` (for example ``"04.2"``)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"key must look like '04.2' (notebook, dot, exercise number), got {key!r}")
    if not isinstance(title, str) or not title:
        raise TypeError(f"title must be a non-empty string, got {title!r}")

    def register(function):
        _REGISTRY[key] = (title, function)
        return function

    return register


def _load(key: str):
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"the exercise key must look like '04.2' (notebook, dot, exercise number), got {key!r}")
    notebook = key.split(".")[0]
    try:
        importlib.import_module(f"{__name__}.nb{notebook}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.nb{notebook}":
            raise
    if key not in _REGISTRY:
        known = ", ".join(sorted(k for k in _REGISTRY if k.startswith(notebook + "."))) or "none"
        raise ValueError(f"there is no exercise {key!r}; notebook {notebook} has: {known}")
    return _REGISTRY[key]


def keys(notebook: str | None = None) -> list[str]:
    """The keys of every registered exercise, or of one notebook's (``keys("04")``), in order."""
    if notebook is not None:
        if not isinstance(notebook, str) or not re.fullmatch(r"\d\d", notebook):
            raise ValueError(f"notebook must be two digits such as '04', got {notebook!r}")
        try:
            importlib.import_module(f"{__name__}.nb{notebook}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.nb{notebook}":
                raise
    found = [k for k in _REGISTRY if notebook is None or k.startswith(notebook + ".")]
    return sorted(found, key=lambda k: (k.split(".")[0], int(k.split(".")[1])))


def _is_placeholder(answer) -> bool:
    return answer is None or answer is Ellipsis


def evaluate(key: str, answer) -> Result:
    """Run the check of exercise ``key`` on ``answer`` and return the :class:`Result` (prints nothing)."""
    title, function = _load(key)
    report = Report()
    if _is_placeholder(answer):
        result = Result(key, title, "not attempted",
                        "not attempted yet: replace the placeholder with your answer, then run this cell again")
    else:
        try:
            function(answer, report)
        except NotAttempted as exc:
            result = Result(key, title, "not attempted", f"not attempted yet: {exc}")
        except (Wrong, LearnerError) as exc:
            result = Result(key, title, "wrong", f"not yet. {exc}")
        else:
            if report.failures:
                result = Result(key, title, "wrong", f"not yet: {report.failures} of {len(report.lines)} "
                                "checks below are wrong")
            else:
                result = Result(key, title, "correct", "correct, well done")
        result.lines = list(report.lines)
    _LAST[key] = result
    return result


def check(key: str, answer) -> None:
    """Check a learner's answer to exercise ``key`` and print the verdict (see the module's docstring)."""
    print(evaluate(key, answer).text())


def last_result(key: str) -> Result | None:
    """The :class:`Result` of the latest check of ``key`` in this session (for tests), or ``None``."""
    return _LAST.get(key)


# --- tools for writing checks ------------------------------------------------------------------------------------
def _stub_return(function) -> bool:
    """True if ``function`` still has a stub body: only a docstring and ``...``/``pass``."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False

    def _empty(): ...

    def _empty_doc():
        """doc"""

    return code.co_code in (_empty.__code__.co_code, _empty_doc.__code__.co_code)


def call(function, *args, name: str | None = None, **kwargs):
    """Call the learner's ``function`` on copies of the inputs and return its result.

    Raises :class:`NotAttempted` for an untouched stub (or ``NotImplementedError``), :class:`LearnerError`
    naming the learner's exception, and :class:`Wrong` when the function returns ``None`` although it has a
    body (a forgotten ``return``).
    """
    label = name or getattr(function, "__name__", "your function")
    if not callable(function):
        raise Wrong(f"{label} must be a function (def ...), got {type(function).__name__}")
    args = copy.deepcopy(args)
    kwargs = copy.deepcopy(kwargs)
    try:
        result = function(*args, **kwargs)
    except NotImplementedError:
        raise NotAttempted(f"{label} still raises NotImplementedError: write its body") from None
    except Exception as exc:  # the learner's bug: name it, without a traceback into the checker
        raise LearnerError(f"{label} raised {type(exc).__name__}: {exc}") from None
    if result is None:
        if _stub_return(function):
            raise NotAttempted(f"{label} is still a stub: write its body") from None
        raise Wrong(f"{label} returned None: did you forget the `return` line?")
    return result


def _as_array(value, label: str) -> np.ndarray:
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, (str, bytes)):
        raise Wrong(f"{label} is a string ({value!r}); a number or an array of numbers is needed")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{label} must be a number or an array of numbers, got {type(value).__name__}") from None
    return arr


def diagnose(got, expected, *, label: str = "your answer", rtol: float = 1e-6, atol: float = 1e-9,
             regions: dict | None = None, factors: dict | None = None) -> str | None:
    """Return ``None`` if ``got`` matches ``expected``, else a sentence that says what is wrong.

    The sentence never states the expected values. It recognises a wrong shape (and a transposed answer),
    NaN or infinity, a flipped sign, a constant factor (``factors`` maps a factor to its likely cause, for
    example ``{4: "you multiplied by the batch size"}``) and an answer that is right except on one named
    region of the inputs (``regions`` maps a description such as ``"x < 0"`` to a boolean mask of the
    elements there).
    """
    got = _as_array(got, label)
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        if got.ndim == 2 and got.T.shape == expected.shape and np.allclose(got.T, expected, rtol=rtol, atol=atol):
            return f"{label} is transposed: shape {got.shape} where {expected.shape} is needed"
        if got.size == expected.size and np.allclose(got.reshape(expected.shape), expected, rtol=rtol, atol=atol):
            return (f"{label} has the right numbers in the wrong shape: {got.shape} where {expected.shape} is needed "
                    "(check reshape and keepdims)")
        return f"{label} has shape {got.shape}, but {expected.shape} is needed"
    if not np.all(np.isfinite(got)):
        return f"{label} holds {int(np.sum(~np.isfinite(got)))} NaN or infinite value(s)"
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if np.all(close):
        return None
    if np.allclose(-got, expected, rtol=rtol, atol=atol):
        return f"{label} has the wrong sign everywhere"
    big = np.abs(expected) > max(atol, 1e-12) * 10
    if np.any(big):
        ratios = got[big] / expected[big]
        ratio = float(np.median(ratios))
        if ratio != 0 and np.isfinite(ratio) and np.allclose(got, ratio * expected, rtol=max(rtol, 1e-6), atol=atol):
            for factor, cause in (factors or {}).items():
                if np.isclose(ratio, factor, rtol=1e-6):
                    return f"{label} is off by a constant factor of {ratio:.4g}: {cause}"
            return f"{label} is off by a constant factor of {ratio:.4g}"
    for where, mask in (regions or {}).items():
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), expected.shape)
        if mask.any() and np.all(close[~mask]) and not np.all(close[mask]):
            return f"{label} is right everywhere except where {where}"
    wrong = int(np.sum(~close))
    worst = float(np.max(np.abs(got - expected)))
    return f"{label} is wrong in {wrong} of {got.size} element(s) (largest difference {worst:.3g})"


class Report:
    """The lines a multi-part check prints, one per quantity (``exact``, ``close`` or ``wrong``)."""

    def __init__(self):
        self.lines: list[str] = []
        self.failures = 0

    def compare(self, name: str, got, expected, *, rtol: float = 1e-6, atol: float = 1e-9, **hints) -> bool:
        """Add one ``cmp`` line for ``name`` and return whether it matched; ``hints`` go to :func:`diagnose`."""
        try:
            problem = diagnose(got, expected, label=name, rtol=rtol, atol=atol, **hints)
        except Wrong as exc:
            problem = str(exc)
        if problem is None:
            diff = float(np.max(np.abs(np.asarray(got, dtype=float) - np.asarray(expected, dtype=float)),
                                initial=0.0))
            verdict = "exact" if diff == 0.0 else "close"
            self.lines.append(f"{name:<6} {verdict:<6} (largest difference {diff:.1e})")
            return True
        self.failures += 1
        self.lines.append(f"{name:<6} wrong  {problem}")
        return False

    def note(self, text: str) -> None:
        """Add a line of explanation that is neither a pass nor a failure."""
        self.lines.append(text)


def as_number(answer, label: str = "your answer") -> float:
    """The learner's answer as a Python float (NumPy scalars and 0-d arrays included), or :class:`Wrong`."""
    if isinstance(answer, bool):
        raise Wrong(f"{label} must be a number, got a bool ({answer})")
    if hasattr(answer, "numpy"):
        answer = answer.numpy()
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.reshape(()).item()
    if isinstance(answer, np.generic):
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        raise Wrong(f"{label} must be a number, got {type(answer).__name__} {answer!r}")
    value = float(answer)
    if not np.isfinite(value):
        raise Wrong(f"{label} is {value}, not a finite number")
    return value
