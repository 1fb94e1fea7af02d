"""Exercise checks of notebook 08 (the churn model): the expected answers live here, never in the notebook.

- 08.1 ``choose_threshold``: a cost-optimal threshold chosen on validation rows only, tried on scores that are
  not calibrated, for several cost pairs, with a test part whose best threshold differs; the check names the
  usual mistakes (chosen on the test rows or on all rows, the costs swapped, 0.5, the calibrated-probability
  rule applied to uncalibrated scores, an index instead of a threshold).
- 08.2 ``paired_bootstrap``: a 95 % paired-bootstrap interval of a difference in ROC AUC, held to a reference
  computed with many resamples; the check names an unpaired bootstrap, resamples without replacement, the
  difference taken the wrong way round and an interval of the wrong width.
- 08.3 the cost-optimal threshold for calibrated probabilities when a miss costs 10 false alarms.
- 08.4 the number of parameters of the classic 6-6-1 network on 18 inputs.
"""

from __future__ import annotations

import numpy as np

from . import Wrong, as_number, call, exercise

CANDIDATES = np.round(np.linspace(0.01, 0.99, 99), 2)
COST_PAIRS = [(5.0, 1.0), (10.0, 1.0), (2.0, 3.0)]  # (cost of a miss, cost of an alarm)


# ----------------------------------------------------------------------------------------------- 08.1
def _threshold_data(seed: int = 8):
    """Scores that are over-confident on the validation rows and differently so on the test rows."""
    rng = np.random.default_rng(seed)
    n = 3000
    y = (rng.random(n) < 0.25).astype(np.int64)
    z = rng.normal(1.7 * y - 0.5, 1.0)
    is_validation = rng.random(n) < 0.5
    p = np.where(is_validation, 1 / (1 + np.exp(-2.2 * z)), 1 / (1 + np.exp(-0.8 * z - 0.9)))
    return p, y, is_validation


def _costs(p, y, cost_miss, cost_alarm):
    """Total cost of every candidate threshold on the rows given."""
    flagged = p[None, :] >= CANDIDATES[:, None]
    return cost_miss * np.sum((y == 1) & ~flagged, axis=1) + cost_alarm * np.sum((y == 0) & flagged, axis=1)


def _best(costs) -> set:
    return {float(t) for t in CANDIDATES[np.isclose(costs, costs.min(), rtol=0, atol=1e-9)]}


@exercise("08.1", "a cost threshold chosen on validation rows")
def _choose_threshold(answer, report):
    p, y, is_validation = _threshold_data()
    for cost_miss, cost_alarm in COST_PAIRS:
        got = call(answer, p, y, is_validation, cost_miss, cost_alarm, name="choose_threshold")
        t = as_number(got, "the threshold choose_threshold returned")
        where = f"(costs: a miss {cost_miss:g}, an alarm {cost_alarm:g})"
        val_costs = _costs(p[is_validation], y[is_validation], cost_miss, cost_alarm)
        on_grid = np.isclose(CANDIDATES, t, rtol=0, atol=1e-9)
        if not on_grid.any():
            if float(t).is_integer() and 0 <= t < len(CANDIDATES):
                raise Wrong(f"you returned {t:g}, which looks like the position of the best candidate, not the "
                            f"threshold itself {where}: return candidates[i], not i")
            raise Wrong(f"you returned {t:g}, which is not one of the candidates 0.01, 0.02, ..., 0.99 {where}")
        t = float(CANDIDATES[on_grid][0])
        if t in _best(val_costs):
            report.note(f"costs {cost_miss:g} : {cost_alarm:g}: the lowest validation cost")
            continue
        excess = val_costs[on_grid][0] / val_costs.min() - 1
        if t in _best(_costs(p[~is_validation], y[~is_validation], cost_miss, cost_alarm)):
            raise Wrong(f"your threshold is the best one on the TEST rows {where}: choose it on the rows where "
                        "is_validation is True, and keep the test rows for the honest score")
        if t in _best(_costs(p, y, cost_miss, cost_alarm)):
            raise Wrong(f"your threshold is the best one on ALL rows {where}, test rows included: keep only the rows "
                        "where is_validation is True")
        if t in _best(_costs(p[is_validation], y[is_validation], cost_alarm, cost_miss)):
            raise Wrong(f"your threshold would be right if a false alarm cost what a miss costs {where}: the cost "
                        "ratio is inverted (a miss is a churner with p < t; an alarm a stayer with p >= t)")
        if np.isclose(t, 0.5):
            raise Wrong(f"0.5 ignores the costs {where}: price every candidate on the validation rows")
        if np.isclose(t, round(cost_alarm / (cost_alarm + cost_miss), 2)):
            raise Wrong(f"that is the rule for perfectly calibrated probabilities {where}; these scores are not "
                        "calibrated: search the candidates for the lowest cost on the validation rows")
        raise Wrong(f"your threshold costs {excess:.1%} more on the validation rows than the best candidate {where}")


# ----------------------------------------------------------------------------------------------- 08.2
def _bootstrap_data(seed: int = 80):
    """Two models that share most of their errors: a paired interval is much narrower than an unpaired one."""
    rng = np.random.default_rng(seed)
    n = 400
    y = (rng.random(n) < 0.3).astype(np.int64)
    shared = rng.normal(1.2 * y, 1.0)
    p_a = 1 / (1 + np.exp(-(shared + 0.25 * rng.normal(size=n))))
    p_b = 1 / (1 + np.exp(-(shared + 0.8 * rng.normal(size=n))))  # b: noisier, so a is better by a clear margin
    return y, p_a, p_b


def _reference_intervals(y, p_a, p_b, resamples: int = 2000):
    """The paired and the unpaired 95 % intervals of AUC(a) - AUC(b), from ``resamples`` resamples."""
    from ..evaluation import auc, bootstrap_weights, interval

    weights = bootstrap_weights(len(y), resamples, seed=12345)
    paired = interval(auc(y, p_a, weights) - auc(y, p_b, weights))
    other = bootstrap_weights(len(y), resamples, seed=54321)
    unpaired = interval(auc(y, p_a, weights) - auc(y, p_b, other))
    return paired, unpaired


@exercise("08.2", "a paired bootstrap interval")
def _paired_bootstrap(answer, report):
    from ..evaluation import auc

    y, p_a, p_b = _bootstrap_data()
    got = call(answer, y, p_a, p_b, auc, resamples=1000, seed=3, name="paired_bootstrap")
    try:
        low, high = (as_number(v, "each end of the interval") for v in got)
    except (TypeError, ValueError):
        raise Wrong("paired_bootstrap must return two numbers, (low, high)") from None
    (ref_low, ref_high), (un_low, un_high) = _reference_intervals(y, p_a, p_b)
    width, ref_width = high - low, ref_high - ref_low
    observed = auc(y, p_a) - auc(y, p_b)
    if low > high:
        raise Wrong("low is above high: return the 2.5th percentile first, then the 97.5th")
    if width < 0.05 * ref_width:
        raise Wrong("every resample gave (nearly) the same difference: draw len(y) rows WITH replacement, new rows in "
                    "each resample (rng.integers(0, len(y), size=len(y)))")
    tolerance = 0.25 * ref_width
    if abs(low + ref_high) < tolerance and abs(high + ref_low) < tolerance and abs(observed) > tolerance:
        raise Wrong("your interval is the mirror image of the right one: you computed metric(p_b) - metric(p_a); the "
                    "difference is metric(y, p_a) - metric(y, p_b)")
    if not low <= observed <= high:
        raise Wrong(f"your interval ({low:.4f}, {high:.4f}) does not contain the difference measured on all rows: it "
                    "should be the spread of that same difference over resamples")
    if width > 1.6 * ref_width and abs(width - (un_high - un_low)) < abs(width - ref_width):
        raise Wrong(f"your interval is {width / ref_width:.1f} times too wide, as wide as an UNPAIRED bootstrap: draw "
                    "one set of rows per resample and score both models on those same rows")
    if width < 0.7 * ref_width:
        raise Wrong(f"your interval is too narrow ({width / ref_width:.0%} of the right width): a 95 % interval runs "
                    "from the 2.5th to the 97.5th percentile of the resampled differences")
    if width > 1.3 * ref_width:
        raise Wrong(f"your interval is {width / ref_width:.1f} times too wide: a 95 % interval runs from the 2.5th "
                    "to the 97.5th percentile of the resampled differences")
    if abs(low - ref_low) > tolerance or abs(high - ref_high) > tolerance:
        raise Wrong("your interval has about the right width but sits in the wrong place: compute each resample's "
                    "difference on the resampled rows of y, p_a and p_b")
    report.note("paired, 95 %, about the right place and width (bootstrap noise allowed)")


# ----------------------------------------------------------------------------------------------- 08.3
@exercise("08.3", "the threshold for costs 10 : 1")
def _threshold_10_to_1(answer, report):
    t = as_number(answer, "answer_3")
    expected = 1 / 11
    if abs(t - expected) <= 1e-3:
        return
    if abs(t - 10 / 11) <= 1e-3:
        raise Wrong("that threshold would be right if a false alarm cost 10 misses: the cost ratio is inverted")
    if abs(t - 0.1) <= 1e-3:
        raise Wrong("1/10 is the ratio of the two costs, not the threshold: flag when p * 10 > (1 - p) * 1 and solve "
                    "for p")
    if abs(t - 1 / 6) <= 1e-3:
        raise Wrong("that is the threshold for costs 5 : 1; redo it for a miss costing 10 false alarms")
    if abs(t - 0.5) <= 1e-3:
        raise Wrong("0.5 is right only when both errors cost the same")
    if not 0 < t < 1:
        raise Wrong(f"a threshold on probabilities lies between 0 and 1, got {t:g}")
    raise Wrong("not yet: flag a customer when the expected cost of doing nothing, p * c_miss, exceeds that of "
                "acting, (1 - p) * c_alarm, and solve p * c_miss = (1 - p) * c_alarm")


# ----------------------------------------------------------------------------------------------- 08.4
@exercise("08.4", "parameters of the classic 6-6-1 network")
def _parameters(answer, report):
    n = as_number(answer, "answer_4")
    layers = [(18, 6), (6, 6), (6, 1)]
    expected = sum(i * o + o for i, o in layers)
    if n == expected:
        return
    if n == sum(i * o for i, o in layers):
        raise Wrong("you counted the weights but forgot the biases: one per unit")
    if n == sum(i * o + o for i, o in [(12, 6), (6, 6), (6, 1)]):
        raise Wrong("that counts 12 inputs; the network sees all 18 columns (12 plus the 6 engineered ones)")
    if n == sum(o for _, o in layers):
        raise Wrong("that counts the units; each unit has one weight per input and a bias")
    if not float(n).is_integer() or n <= 0:
        raise Wrong(f"a number of parameters is a positive whole number, got {n:g}")
    raise Wrong("not yet: a Dense layer from i inputs to o units has i * o weights and o biases; add the three layers")
