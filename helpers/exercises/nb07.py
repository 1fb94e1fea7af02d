"""Exercise checks of notebook 07 (dropout). The expected answers live here, never in the notebook.

- 07.1: the value of a kept unit under ``Dropout(0.25)`` (a number);
- 07.2: inverted dropout written with the keep probability, as TensorFlow 1 and the original paper wrote it
  (a function), checked for its kept fraction, its scale and its masks;
- 07.3: the variance dropout adds to a unit (a number);
- 07.4: plain dropout, the original paper's recipe: no scaling in training, ``(1 - p) h`` at test time
  (a function).

The code checks draw their own activations (positive, so that a zero output can only be a dropped unit) and
their own seeds, which the learner never sees.
"""

from __future__ import annotations

import numpy as np

from . import Wrong, as_number, call, diagnose, exercise

__all__ = []

_N_ROWS, _N_COLS = 300, 200  # 60 000 activations: a kept fraction is measured to about +-0.2 percentage points


def _close(a: float, b: float, rtol: float = 1e-6) -> bool:
    return bool(np.isclose(a, b, rtol=rtol, atol=1e-12))


def _number_diagnosis(value: float, causes: dict[float, str], fallback: str) -> None:
    """Raise :class:`Wrong` naming the cause of a known wrong number, or the fallback hint."""
    for wrong, cause in causes.items():
        if _close(value, wrong):
            raise Wrong(cause)
    raise Wrong(fallback)


# --- 07.1 ------------------------------------------------------------------------------------------------------
@exercise("07.1", "the value of a kept unit")
def _kept_value(answer, report):
    h, rate = 3.0, 0.25
    value = as_number(answer)
    expected = h / (1 - rate)
    if _close(value, expected):
        return
    _number_diagnosis(value, {
        h: "that is the unit's value unchanged. During training a kept unit is divided by the keep probability, "
           "so that its expected value stays h.",
        h * (1 - rate): "you multiplied by the keep probability: that is plain dropout's rule at TEST time. "
                        "Inverted dropout divides a kept unit by the keep probability during training.",
        h / rate: "you divided by the drop rate. Keras's rate is the probability of DROPPING a unit; divide by "
                  "the probability of keeping it.",
        h * rate: "you multiplied by the drop rate; a kept unit is divided by the keep probability.",
        0.0: "0 is the value of a dropped unit; the question asks for a kept one.",
    }, f"{value:g} is not the value of a kept unit. Write it as h times a factor: which factor keeps the unit's "
       "expected value equal to h, when the unit survives only some of the time?")


# --- 07.3 ------------------------------------------------------------------------------------------------------
@exercise("07.3", "the variance dropout adds")
def _variance(answer, report):
    h, p = 2.0, 0.5
    value = as_number(answer)
    expected = h**2 * p / (1 - p)
    if _close(value, expected):
        return
    if value < 0:
        raise Wrong("a variance is never negative.")
    _number_diagnosis(value, {
        (h / (1 - p)) ** 2 * (1 - p): "that is the mean of the squared output, E[out^2]; the variance subtracts "
                                      "the square of the mean, E[out]^2.",
        h**2 * p * (1 - p): "that is the variance of plain dropout, without the 1/(1 - p) scaling. Inverted "
                            "dropout's kept value is h/(1 - p).",
        h: "that is the mean of the output (inverted dropout keeps it at h), not its variance.",
        (h / (1 - p)) ** 2: "that is the square of a kept unit's value. The output is that value only with "
                            "probability 1 - p, and 0 otherwise.",
        0.0: "the output is random (0 or h/(1 - p)), so its variance is not 0.",
    }, f"{value:g} is not the variance. The output is h/(1 - p) with probability 1 - p and 0 with probability "
       "p: compute its mean and the mean of its square.")


# --- helpers of the two code checks ----------------------------------------------------------------------------
def _activations(rng) -> np.ndarray:
    return rng.uniform(0.5, 2.0, size=(_N_ROWS, _N_COLS))


def _output(answer, h, *args, label, **kwargs) -> np.ndarray:
    out = call(answer, h, *args, name=label, **kwargs)
    if isinstance(out, tuple):
        raise Wrong(f"{label} returned a tuple of {len(out)}; return only the output array.")
    if hasattr(out, "numpy"):
        out = out.numpy()
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{label} must return an array of numbers, got {type(out).__name__}") from None
    if out.shape != h.shape:
        raise Wrong(f"{label} returned shape {out.shape} for activations of shape {h.shape}: the output has the "
                    "activations' shape (one mask entry per activation).")
    if not np.all(np.isfinite(out)):
        raise Wrong(f"{label} returned NaN or infinite values.")
    return out


def _check_mask_draws(answer, h, args, label, *, kwargs=None) -> None:
    """The masks come from ``rng`` (a seed reproduces them), one entry per activation, fresh for each row."""
    kwargs = kwargs or {}
    first = _output(answer, h, *args, np.random.default_rng(11), label=label, **kwargs)
    again = _output(answer, h, *args, np.random.default_rng(11), label=label, **kwargs)
    other = _output(answer, h, *args, np.random.default_rng(12), label=label, **kwargs)
    if not np.array_equal(first, again):
        raise Wrong("two calls with generators of the same seed gave different masks: draw the mask from the rng "
                    "argument (rng.random(...)), not from np.random, so that a seed reproduces it.")
    if np.array_equal(first, other):
        raise Wrong("generators of different seeds gave the same output: the mask must be random, drawn from rng.")
    dropped = first == 0
    if np.all(dropped == dropped[:1]):
        raise Wrong("every row (every example) got the same mask: draw one random number per activation, "
                    "with the shape of h.")


def _kept_fraction(out: np.ndarray, keep: float, label: str, flipped_cause: str) -> np.ndarray:
    kept = out != 0
    fraction = float(kept.mean())
    se = np.sqrt(keep * (1 - keep) / out.size)
    if abs(fraction - keep) <= 6 * se:
        return kept
    if abs(fraction - (1 - keep)) <= 6 * se:
        raise Wrong(f"with a keep probability of {keep:g}, {label} kept {fraction:.1%} of the units: "
                    f"{flipped_cause}")
    if fraction == 1.0:
        raise Wrong(f"{label} kept every unit: nothing was dropped.")
    raise Wrong(f"with a keep probability of {keep:g}, {label} kept {fraction:.1%} of the units, too many or too "
                "few to be chance: each unit must be kept with the keep probability, independently.")


def _common_scale(out: np.ndarray, h: np.ndarray, kept: np.ndarray, label: str) -> float:
    ratios = out[kept] / h[kept]
    scale = float(np.median(ratios))
    if not np.allclose(ratios, scale, rtol=1e-9, atol=0):
        raise Wrong(f"{label} does not multiply every kept unit by the same number: a kept unit is h times one "
                    "constant factor, the same for all units.")
    return scale


# --- 07.2 ------------------------------------------------------------------------------------------------------
@exercise("07.2", "inverted dropout with a keep probability")
def _dropout_keep(answer, report):
    label = "dropout_keep"
    rng = np.random.default_rng(702)
    h = _activations(rng)
    _check_mask_draws(answer, h, (0.5,), label)
    report.note("masks: drawn from rng, one number per activation")
    for keep_prob in (0.8, 0.3):
        out = _output(answer, h, keep_prob, np.random.default_rng(int(rng.integers(1_000_000))), label=label)
        kept = _kept_fraction(out, keep_prob, label,
                              "it drops each unit with probability keep_prob instead of keeping it. keep_prob is "
                              "the probability of KEEPING a unit (Keras's rate is 1 - keep_prob).")
        scale = _common_scale(out, h, kept, label)
        if _close(scale, 1 / keep_prob):
            continue
        causes = {
            1.0: "forgot to scale: kept units come out unchanged, so the layer's expected output shrinks to "
                 "keep_prob * h. Divide the kept units by the keep probability.",
            keep_prob: "kept units are multiplied by keep_prob: that is the old test-time rule. Inverted dropout "
                       "DIVIDES kept units by the keep probability during training.",
            1 / (1 - keep_prob): "kept units are divided by 1 - keep_prob, the drop probability. Divide by the "
                                 "probability of keeping a unit.",
            1 - keep_prob: "kept units are multiplied by 1 - keep_prob, the drop probability; divide them by the "
                           "keep probability instead.",
        }
        for factor, cause in causes.items():
            if _close(scale, factor):
                raise Wrong(f"with keep_prob = {keep_prob:g}: {cause}")
        raise Wrong(f"with keep_prob = {keep_prob:g}, kept units are multiplied by {scale:.4g}, which does not keep "
                    "the expected output equal to h.")
    report.note("kept fraction: right, for both keep probabilities tried")
    report.note("scale of the kept units: right")


# --- 07.4 ------------------------------------------------------------------------------------------------------
@exercise("07.4", "plain dropout, the original recipe")
def _plain_dropout(answer, report):
    label = "plain_dropout"
    rng = np.random.default_rng(704)
    h = _activations(rng)
    rate = 0.3
    test_out = _output(answer, h, rate, np.random.default_rng(1), label=label, training=False)
    problem = diagnose(test_out, (1 - rate) * h, label="the test-time output", factors={
        1 / (1 - rate): "you returned h unchanged. Plain dropout trained the network on outputs that are (1 - p) h "
                        "on average, so at test time it multiplies by the keep probability 1 - p.",
        rate / (1 - rate): "you multiplied by the drop rate p; multiply by the keep probability 1 - p.",
        1 / (1 - rate) ** 2: "you divided by the keep probability: that is inverted dropout's training scale. Plain "
                             "dropout multiplies by 1 - p at test time.",
    })
    if problem:
        raise Wrong(problem)
    report.note("test time: right")
    _check_mask_draws(answer, h, (0.5,), label, kwargs={"training": True})
    report.note("masks: drawn from rng, one number per activation")
    for rate in (0.3, 0.8):
        out = _output(answer, h, rate, np.random.default_rng(int(rng.integers(1_000_000))), label=label,
                      training=True)
        kept = _kept_fraction(out, 1 - rate, label,
                              "it drops each unit with probability 1 - p. rate is the probability of DROPPING a "
                              "unit, as in Keras.")
        scale = _common_scale(out, h, kept, label)
        if _close(scale, 1.0):
            continue
        if _close(scale, 1 / (1 - rate)):
            raise Wrong(f"with rate = {rate:g}, kept units are divided by 1 - p during training: that is inverted "
                        "dropout. Plain dropout leaves kept units unchanged in training and scales at test time "
                        "instead.")
        if _close(scale, 1 - rate):
            raise Wrong(f"with rate = {rate:g}, kept units are multiplied by 1 - p during training: plain dropout "
                        "scales only at test time; in training a kept unit stays h.")
        raise Wrong(f"with rate = {rate:g}, kept units are multiplied by {scale:.4g} during training; in plain "
                    "dropout a kept unit stays h.")
    report.note("training: kept fraction and unscaled kept units right, for both rates tried")
