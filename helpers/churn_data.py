"""The bank-churn data for notebook 08: a deterministic synthetic replica, a validating loader (plumbing).

The public "Churn_Modelling.csv" (10,000 bank customers, 14 columns) has no known licence, so the course
does not ship it. It ships a synthetic replica with the same columns, types and 10,000 rows, made by
:func:`make_replica` from the published figures of the real file (shares, means, quantiles, churn rates by
level and the structure between columns, see ``data/README.md``). :func:`load_churn` reads a real copy
when you give it one, and the replica otherwise; it validates what it reads and says which file it used.

How the replica is made (all from one ``numpy.random.Generator`` with a fixed seed):

1. Geography, Gender, HasCrCard, Tenure: independent draws with the real shares.
2. Age: a mixture of two log-normals (most customers near 37, a tail of older ones); IsActiveMember:
   more likely with age (older customers are mostly active, as in the real file).
3. CreditScore: normal with a lighter low tail (below 450 squeezed towards 450), rounded, capped at 850
   (where 2.3 % of customers sit) and floored at 350.
4. Balance: zero for about 48 % of French and Spanish customers and never in Germany, otherwise normal
   around 119,800. NumOfProducts depends on it: customers without a balance mostly hold 2 products.
5. EstimatedSalary: uniform on (0, 200,000): no signal, as in the real file.
6. Exited: a logistic model, ``P(exit) = sigmoid(z)``, whose score ``z`` adds a term for each
   (5-year age band, activity) cell (the age hump, much higher for inactive customers), Germany, Gender,
   the number of products (a U-shape: lowest at 2), a non-zero balance, a slight CreditScore slope, and
   an unobserved customer trait (normal noise no model can see). 8 % of the probability is then a
   constant 0.2 that no column explains. Holding 4 products or a CreditScore of 400 or less always means
   exit, as in the real file. The coefficients were calibrated once, by iterative proportional fitting to
   the published churn rates by level, and are written out below; the unexplained share then weakens every
   contrast a little (by about a tenth), because an additive model with the full contrasts is easier to
   predict than the real data (gradient boosting would reach a ROC AUC near 0.90 instead of 0.85).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .validation import as_float_array, check_bool, check_int

__all__ = [
    "COLUMNS",
    "REAL_SHA256",
    "REPLICA_SEED",
    "make_replica",
    "replica_csv_bytes",
    "write_replica",
    "validate_churn",
    "load_churn",
    "describe_columns",
    "read_churn_csv",
    "churn_score",
    "churn_probability",
]

COLUMNS = [
    "RowNumber",
    "CustomerId",
    "Surname",
    "CreditScore",
    "Geography",
    "Gender",
    "Age",
    "Tenure",
    "Balance",
    "NumOfProducts",
    "HasCrCard",
    "IsActiveMember",
    "EstimatedSalary",
    "Exited",
]
INTEGER_COLUMNS = [
    "RowNumber",
    "CustomerId",
    "CreditScore",
    "Age",
    "Tenure",
    "NumOfProducts",
    "HasCrCard",
    "IsActiveMember",
    "Exited",
]
FLOAT_COLUMNS = ["Balance", "EstimatedSalary"]
TEXT_COLUMNS = ["Surname", "Geography", "Gender"]
CATEGORIES = {"Geography": ["France", "Germany", "Spain"], "Gender": ["Female", "Male"]}
FLAGS = ["HasCrCard", "IsActiveMember", "Exited"]
MISSING_WORDS = ["nan", "na", "n/a", "null", "none"]  # read as missing in numeric columns only
# The values a genuine customer record can hold, (lowest, highest, what the column is). Wide on purpose: the real
# file lies well inside them (RowNumber 1-10,000; CustomerId 15,565,701-15,815,690; CreditScore 350-850; Age
# 18-92; Tenure 0-10; Balance 0-250,898.09; EstimatedSalary 11.58-199,992.48; ../shared/churn-facts.md), so any
# genuine copy loads, while a value no customer can have (an Age of 1,000,000,000, ages in months, a column
# shifted into its neighbour) is refused with the row that holds it.
PLAUSIBLE_RANGES = {
    "RowNumber": (1, 1_000_000_000, "a row number counts from 1"),
    "CustomerId": (1, 9_999_999_999, "a positive id of at most 10 digits"),
    "CreditScore": (300, 900, "a credit score (FICO-style scores run from 300 to 850)"),
    "Age": (16, 120, "an adult customer's age in years"),
    "Tenure": (0, 100, "years with the bank"),
    "Balance": (0, 100_000_000, "an account balance, not negative"),
    "NumOfProducts": (1, 4, "the bank sells 4 products"),
    "HasCrCard": (0, 1, "a flag"),
    "IsActiveMember": (0, 1, "a flag"),
    "EstimatedSalary": (0, 100_000_000, "a yearly salary, not negative"),
    "Exited": (0, 1, "a flag"),
}

# The original file, recognised by its hash (684,858 bytes, CRLF line endings). A copy whose line endings were
# turned into LF (as many git checkouts do) is recognised too: the hash is taken with CRLF line endings.
REAL_SHA256 = "3996cd1fa372e0db0cd9c0ebac35bbd4e8e3c65fb942bb010c826e7b1eeef0a0"
REPLICA_SEED = 20240607
REPLICA_FILE = "churn_replica.csv"
REAL_FILE = "Churn_Modelling.csv"
_ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------------------------------------
# The generator's parameters
# ---------------------------------------------------------------------------------------------------------
GEOGRAPHY_SHARES = {"France": 0.501, "Germany": 0.251, "Spain": 0.248}
MALE_SHARE = 0.546
HAS_CARD_SHARE = 0.706
TENURE_SHARES = np.array([0.041] + [0.91 / 9] * 9 + [0.049])  # 0, 1..9, 10
# Age: log(Age) ~ 0.897 N(3.582, 0.213) + 0.103 N(4.044, 0.193), rounded, within 18..92
AGE_MIXTURE = [(0.897, 3.582, 0.213), (0.103, 4.044, 0.193)]
# P(active) by age: about half below 50, most of the older customers
ACTIVE_SHARE = [(50, 0.493), (60, 0.58), (200, 0.81)]  # (up to this age, share)
CREDIT_MEAN, CREDIT_SD = 652.0, 97.0
# below 450 the distance to 450 is scaled by 0.7: the real low tail is lighter than a normal one
# (1 % quantile 432; 19 customers at 400 or less, where a normal would put about 48)
CREDIT_LOW_TAIL = (450.0, 0.7)
ZERO_BALANCE_SHARE = {"France": 0.482, "Germany": 0.0, "Spain": 0.482}
BALANCE_MEAN, BALANCE_SD = 119_827.0, 30_095.0
# P(NumOfProducts = 1, 2, 3, 4) for customers without and with a balance
PRODUCTS_IF_ZERO = [0.256, 0.720, 0.020, 0.004]
PRODUCTS_IF_BALANCE = [0.653, 0.310, 0.030, 0.007]

# The churn score z (log-odds): one term per (age band, IsActiveMember) cell, plus the terms below.
AGE_BANDS = [25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 200]  # upper ends of the bands 18-25, 26-30, ...
AGE_LOGIT = {  # band upper end: (inactive, active)
    25: (-2.73, -3.76),
    30: (-2.07, -3.16),
    35: (-1.74, -2.53),
    40: (-1.10, -2.23),
    45: (0.63, -1.12),
    50: (2.58, -0.29),
    55: (4.41, 0.45),
    60: (4.33, -0.02),
    65: (5.01, -0.02),
    70: (3.28, -2.07),
    200: (0.16, -3.54),
}
GEOGRAPHY_LOGIT = {"France": 0.0, "Germany": 1.49, "Spain": 0.12}
MALE_LOGIT = -1.0
PRODUCTS_LOGIT = {1: 0.0, 2: -2.9, 3: 4.06, 4: -0.33}  # 4 products: always exit (below)
BALANCE_LOGIT = -0.34  # for a non-zero balance (Germany and the product mix carry its raw association)
CREDIT_LOGIT = -0.1  # per 100 points above 650
TRAIT_SD = 1.0  # sd of the unobserved trait added to z
# A share of the churn probability that the data cannot explain (customers who leave for unrecorded reasons)
UNEXPLAINED_SHARE, UNEXPLAINED_RATE = 0.08, 0.2


def _features(rng: np.random.Generator, n: int) -> dict:
    """Draw every column except Exited (steps 1-5 of the module docstring)."""
    geo_names = list(GEOGRAPHY_SHARES)
    geography = np.array(geo_names)[rng.choice(3, size=n, p=list(GEOGRAPHY_SHARES.values()))]
    gender = np.where(rng.random(n) < MALE_SHARE, "Male", "Female")
    has_card = (rng.random(n) < HAS_CARD_SHARE).astype(np.int64)
    tenure = rng.choice(11, size=n, p=TENURE_SHARES / TENURE_SHARES.sum())

    component = rng.random(n) < AGE_MIXTURE[1][0]
    log_age = np.where(
        component,
        rng.normal(AGE_MIXTURE[1][1], AGE_MIXTURE[1][2], n),
        rng.normal(AGE_MIXTURE[0][1], AGE_MIXTURE[0][2], n),
    )
    age = np.clip(np.rint(np.exp(log_age)), 18, 92).astype(np.int64)
    p_active = np.select([age <= a for a, _ in ACTIVE_SHARE], [s for _, s in ACTIVE_SHARE])
    active = (rng.random(n) < p_active).astype(np.int64)

    credit = rng.normal(CREDIT_MEAN, CREDIT_SD, n)
    pivot, squeeze = CREDIT_LOW_TAIL
    credit = np.where(credit < pivot, pivot - (pivot - credit) * squeeze, credit)  # a lighter low tail
    credit = np.clip(np.rint(credit), 350, 850).astype(np.int64)

    p_zero = np.array([ZERO_BALANCE_SHARE[g] for g in geography])
    zero = rng.random(n) < p_zero
    amount = np.clip(rng.normal(BALANCE_MEAN, BALANCE_SD, n), 3_768.69, 250_898.09)
    balance = np.where(zero, 0.0, np.round(amount, 2))
    u = rng.random(n)
    cum_zero, cum_bal = np.cumsum(PRODUCTS_IF_ZERO), np.cumsum(PRODUCTS_IF_BALANCE)
    idx = np.where(
        zero,
        np.searchsorted(cum_zero, u * cum_zero[-1], side="right"),
        np.searchsorted(cum_bal, u * cum_bal[-1], side="right"),
    )
    products = 1 + np.minimum(idx, 3).astype(np.int64)

    salary = np.round(rng.uniform(11.58, 199_992.48, n), 2)
    return {
        "Geography": geography,
        "Gender": gender,
        "HasCrCard": has_card,
        "Tenure": tenure,
        "Age": age,
        "IsActiveMember": active,
        "CreditScore": credit,
        "Balance": balance,
        "NumOfProducts": products,
        "EstimatedSalary": salary,
    }


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array(AGE_BANDS), age, side="left")


SCORE_COLUMNS = ["Age", "IsActiveMember", "Geography", "Gender", "NumOfProducts", "Balance", "CreditScore"]


def _score_inputs(f, trait) -> tuple[dict, np.ndarray]:
    """Check the arguments of :func:`churn_score`: ``f`` maps each of :data:`SCORE_COLUMNS` to n values (a dict
    of arrays or a DataFrame), ``trait`` is n finite numbers (or one). Returns them as NumPy arrays."""
    if not (isinstance(f, Mapping) or hasattr(f, "columns")):
        raise TypeError(
            f"f must be a dict of columns (or a DataFrame) holding {SCORE_COLUMNS}, got {type(f).__name__}"
        )
    missing = [c for c in SCORE_COLUMNS if c not in f]
    if missing:
        raise ValueError(f"f must hold the columns {SCORE_COLUMNS}; missing: {missing}")
    cols = {}
    for c in SCORE_COLUMNS:
        value = np.asarray(f[c])
        if value.ndim != 1 or value.size == 0:
            raise ValueError(f"f[{c!r}] must be a non-empty 1-D array of values, one per customer, got shape "
                             f"{value.shape}")
        cols[c] = value
    n = len(cols["Age"])
    uneven = {c: len(v) for c, v in cols.items() if len(v) != n}
    if uneven:
        raise ValueError(f"every column of f must hold the same number of customers; f['Age'] holds {n}, "
                         f"but {uneven}")
    given = dict(cols)
    for c in ["Age", "IsActiveMember", "NumOfProducts", "Balance", "CreditScore"]:
        cols[c] = as_float_array(cols[c], f"f[{c!r}]")
    allowed = {
        "Geography": list(GEOGRAPHY_LOGIT),
        "Gender": ["Female", "Male"],
        "NumOfProducts": list(PRODUCTS_LOGIT),
        "IsActiveMember": [0, 1],
    }
    for c, values in allowed.items():
        unknown = sorted(set(given[c].tolist()) - set(values), key=str)
        if unknown:
            raise ValueError(f"f[{c!r}] must hold only {values}, got {unknown[:5]}")
    if (cols["Age"] < 0).any():
        raise ValueError(f"f['Age'] must hold ages (>= 0), got {cols['Age'].min()}")
    cols["IsActiveMember"] = cols["IsActiveMember"].astype(np.int64)
    cols["NumOfProducts"] = cols["NumOfProducts"].astype(np.int64)
    trait = as_float_array(trait, "trait", ndim=(0, 1))
    if trait.ndim == 1 and trait.shape != (n,):
        raise ValueError(f"trait must hold one value per customer ({n}), got shape {trait.shape}")
    return cols, trait


def churn_score(f: dict, trait: np.ndarray) -> np.ndarray:
    """The churn log-odds z of step 6 for the columns ``f`` and the unobserved trait (normal, sd 1).

    ``f`` maps each of :data:`SCORE_COLUMNS` to one value per customer (a dict of arrays, or a DataFrame such
    as :func:`make_replica`'s); ``trait`` is one number per customer (or one for all).
    """
    f, trait = _score_inputs(f, trait)
    cells = np.array([AGE_LOGIT[b] for b in AGE_BANDS])  # (bands, 2)
    z = cells[_age_band(f["Age"]), f["IsActiveMember"]]
    z = z + np.array([GEOGRAPHY_LOGIT[g] for g in f["Geography"]])
    z = z + MALE_LOGIT * (f["Gender"] == "Male")
    z = z + np.array([PRODUCTS_LOGIT[k] for k in f["NumOfProducts"]])
    z = z + BALANCE_LOGIT * (f["Balance"] > 0)
    z = z + CREDIT_LOGIT * (f["CreditScore"] - 650) / 100
    return z + TRAIT_SD * trait


def churn_probability(f: dict, trait: np.ndarray) -> np.ndarray:
    """P(exit) for the columns ``f``: sigmoid(:func:`churn_score`), blended with the unexplained share.

    The arguments are those of :func:`churn_score` and are checked the same way.
    """
    p = 1.0 / (1.0 + np.exp(-churn_score(f, trait)))
    return (1.0 - UNEXPLAINED_SHARE) * p + UNEXPLAINED_SHARE * UNEXPLAINED_RATE


def _surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """2,932 distinct made-up surnames (they carry no signal, as in the real file)."""
    starts = [
        "Ab",
        "Al",
        "Am",
        "An",
        "Ar",
        "Ba",
        "Be",
        "Bo",
        "Bu",
        "Ca",
        "Ch",
        "Co",
        "Cu",
        "Da",
        "De",
        "Do",
        "El",
        "Fa",
        "Fe",
        "Fo",
        "Ga",
        "Ge",
        "Go",
        "Gr",
        "Ha",
        "He",
        "Ho",
        "Hu",
        "Ja",
        "Jo",
        "Ka",
        "Ke",
        "Ki",
        "La",
        "Le",
        "Li",
        "Lo",
        "Ma",
        "Me",
        "Mi",
        "Mo",
        "Na",
        "Ne",
        "No",
        "Ob",
        "Ok",
        "Pa",
        "Pe",
        "Po",
        "Ra",
        "Re",
        "Ro",
        "Sa",
        "Se",
        "Sh",
        "So",
        "Ta",
        "Te",
        "To",
        "Va",
        "Ve",
        "Wa",
        "We",
        "Ya",
        "Yo",
        "Za",
        "Zh",
    ]
    ends = [
        "ber",
        "bury",
        "by",
        "chenko",
        "da",
        "den",
        "dell",
        "ford",
        "gan",
        "ger",
        "ham",
        "hill",
        "ini",
        "ins",
        "kin",
        "kov",
        "la",
        "ley",
        "lin",
        "lli",
        "ma",
        "man",
        "mer",
        "min",
        "na",
        "nder",
        "ney",
        "ng",
        "ni",
        "no",
        "nov",
        "ock",
        "ola",
        "on",
        "ov",
        "ra",
        "rd",
        "ri",
        "ro",
        "rs",
        "sen",
        "shaw",
        "son",
        "ton",
        "tt",
        "va",
        "wood",
        "yev",
    ]
    pool = np.array([s + e for s in starts for e in ends])
    pool = pool[rng.choice(len(pool), size=2932, replace=False)]
    picks = np.concatenate([np.arange(2932), rng.integers(0, 2932, n - 2932)])
    return pool[rng.permutation(picks)]


def make_replica(n: int = 10_000, seed: int = REPLICA_SEED):
    """Return the synthetic replica as a pandas DataFrame (the same for the same ``n`` and ``seed``).

    The committed ``data/churn_replica.csv`` is ``make_replica()`` written by :func:`replica_csv_bytes`,
    with the NumPy version pinned in ``requirements.txt``. NumPy keeps the bit stream of a seeded
    ``Generator`` stable, but not the algorithms of its distributions (``normal``, ``choice``, ...; NEP 19),
    so another NumPy version may give a (statistically equivalent) different table.
    """
    import pandas as pd

    n = check_int(n, "n", minimum=2932, maximum=250_000)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    f = _features(rng, n)
    trait = rng.standard_normal(n)
    p = churn_probability(f, trait)
    p[(f["NumOfProducts"] == 4) | (f["CreditScore"] <= 400)] = 1.0
    exited = (rng.random(n) < p).astype(np.int64)
    ids = 15_565_701 + rng.choice(250_000, size=n, replace=False)
    surnames = _surnames(rng, n)
    frame = pd.DataFrame(
        {"RowNumber": np.arange(1, n + 1), "CustomerId": ids, "Surname": surnames, **f, "Exited": exited}
    )
    return frame[COLUMNS]


def replica_csv_bytes(frame=None) -> bytes:
    """The replica as CSV bytes: a header, LF line endings, integers as integers, floats with 2 decimals.

    Written field by field (not with ``DataFrame.to_csv``) so that the bytes do not depend on the pandas
    version: regenerating the replica reproduces the committed file byte for byte.
    """
    frame = make_replica() if frame is None else frame
    cols = [frame[c].to_numpy() for c in COLUMNS]
    lines = [",".join(COLUMNS)]
    for row in zip(*cols, strict=True):
        fields = (f"{v:.2f}" if c in FLOAT_COLUMNS else str(v) for c, v in zip(COLUMNS, row, strict=True))
        lines.append(",".join(fields))
    return ("\n".join(lines) + "\n").encode("ascii")


def write_replica(path=None) -> Path:
    """Write the replica CSV (by default to ``data/churn_replica.csv``) and return its path."""
    path = Path(path) if path is not None else _ROOT / "data" / REPLICA_FILE
    path.write_bytes(replica_csv_bytes())
    return path


# ---------------------------------------------------------------------------------------------------------
# Loading and validating
# ---------------------------------------------------------------------------------------------------------
def describe_columns(frame) -> dict:
    """``{column: "integer" | "float" | "text"}``: the column types in words that do not depend on pandas."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame (for example load_churn()), got {type(frame).__name__}")
    kinds = {}
    for c in frame.columns:
        col = frame[c]
        kinds[c] = (
            "integer"
            if pd.api.types.is_integer_dtype(col)
            else "float"
            if pd.api.types.is_float_dtype(col)
            else "text"
        )
    return kinds


def _check_range(column: str, number: np.ndarray, text) -> None:
    """Refuse a value outside :data:`PLAUSIBLE_RANGES`, naming the column, the value and its data row."""
    low, high, what = PLAUSIBLE_RANGES[column]
    bad = (number < low) | (number > high)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        if low == 0 and high == 1:
            why = "not 0 or 1"
        elif number[i] < 0 <= low:
            why = f"negative; {what}: {low:,}-{high:,}"
        else:
            why = f"outside {low:,}-{high:,}: {what}"
        raise ValueError(
            f"column {column} has {int(bad.sum())} impossible value(s) ({why}), the first {text.iloc[i]} in "
            f"data row {i + 1}"
        )


def validate_churn(raw):
    """Check a table read as text (every cell a string) and return it with the proper column types.

    Raises ``ValueError`` naming the problem: a missing or extra column, no rows, missing values, a value of
    the wrong type, an unknown category, a value outside the column's :data:`PLAUSIBLE_RANGES` (with the data
    row that holds it), or a duplicated CustomerId.
    """
    import pandas as pd

    if not isinstance(raw, pd.DataFrame):
        raise TypeError(f"raw must be a pandas DataFrame, got {type(raw).__name__}")
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in COLUMNS]
    if missing or extra:
        raise ValueError(
            f"the churn data must have exactly the 14 columns {COLUMNS}; missing: {missing}, extra: {extra}"
        )
    if len(raw) == 0:
        raise ValueError("the churn data has a header but no rows")
    frame = raw[COLUMNS].copy()
    for c in COLUMNS:
        text = frame[c].astype(str).str.strip()
        blank = raw[c].isna().to_numpy() | (text == "").to_numpy()
        if c not in TEXT_COLUMNS:  # "NA", "nan", "null" mean missing only where a number is expected:
            blank |= text.str.lower().isin(MISSING_WORDS).to_numpy()  # "Na" and "Null" are real surnames
        if blank.any():
            rows = np.flatnonzero(blank)[:5] + 1
            raise ValueError(
                f"column {c} has {int(blank.sum())} missing value(s), first in data row(s) {rows.tolist()}"
            )
        if c in TEXT_COLUMNS:
            frame[c] = text.astype(object)
            continue
        number = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(number)
        if c in INTEGER_COLUMNS:
            bad |= np.isfinite(number) & (number != np.round(number))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            kind = "integers" if c in INTEGER_COLUMNS else "numbers"
            raise ValueError(
                f"column {c} must hold {kind}, but data row {i + 1} holds {text.iloc[i]!r} "
                f"({int(bad.sum())} bad value(s))"
            )
        _check_range(c, number, text)
        frame[c] = number.astype(np.int64) if c in INTEGER_COLUMNS else number
    for c, allowed in CATEGORIES.items():
        unknown = sorted(set(frame[c]) - set(allowed))
        if unknown:
            raise ValueError(f"column {c} must be one of {allowed}, got unknown value(s) {unknown}")
    dup = frame["CustomerId"].duplicated(keep=False)
    if dup.any():
        ids = sorted(set(frame.loc[dup, "CustomerId"].tolist()))[:5]
        raise ValueError(
            f"column CustomerId must be unique, but {int(dup.sum())} rows share an id, e.g. {ids}"
        )
    for c in TEXT_COLUMNS:
        frame[c] = frame[c].astype(str)
    return frame.reset_index(drop=True)


def read_churn_csv(data: bytes, name: str = "the file"):
    """Parse and validate CSV bytes (CRLF or LF line endings). Returns a DataFrame."""
    import pandas as pd

    if not isinstance(data, bytes):
        raise TypeError(f"data must be the bytes of a CSV file, got {type(data).__name__}")
    if not data.strip():
        raise ValueError(f"{name} is empty: expected a CSV file with a header line and 10,000 rows")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{name} is not UTF-8 text (byte {data[exc.start:exc.start + 1]!r} at position {exc.start}): "
            "the loader reads UTF-8 only: re-save the file as UTF-8"
        ) from None
    try:
        # every cell as text, and no cell turned into NaN by pandas (a surname "Na" stays "Na")
        raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    except pd.errors.ParserError as exc:
        raise ValueError(f"{name} is not a well-formed CSV file: {exc}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    if len(raw.columns) == 1:
        sep = next((s for s in (";", "\t", "|") if s in raw.columns[0]), None)
        if sep is not None:
            raise ValueError(
                f"{name} separates its columns with {sep!r}, not commas (a spreadsheet's export in some "
                "languages does): save it as CSV with commas, or read it with pandas and pass the frame to "
                "validate_churn"
            )
    return validate_churn(raw)


def _candidates():
    for folder in (_ROOT / "data", Path.cwd() / "data", Path.cwd().parent / "data"):
        yield folder / REAL_FILE


def load_churn(path=None, *, verbose: bool = True):
    """Load the churn data, validated, as a DataFrame with the 14 columns in their usual order.

    Where it looks, in this order: ``path`` if given; the environment variable ``CHURN_DATA``;
    ``data/Churn_Modelling.csv`` if you put a real copy there; else the synthetic replica. ``CHURN_DATA=replica``
    asks for the replica even where a real copy lies in ``data/``: the test suite and ``tools/notebooks.py`` set
    it, so that checked and stored outputs always come from the replica. The replica is
    ``data/churn_replica.csv`` (or, where the repository is not checked out, as in Colab, the replica
    regenerated in memory by :func:`make_replica`: byte for byte the committed file with the pinned NumPy;
    another NumPy version may draw different numbers, since NumPy does not promise that a ``Generator``'s
    distributions give the same stream across versions, NEP 19). It prints which one it used (unless ``verbose`` is
    False) and records it in ``frame.attrs["source"]``: ``"original"`` for a file whose SHA-256 is that
    of the original Churn_Modelling.csv, ``"file"`` for any other valid file, ``"replica"`` for the replica.
    """
    check_bool(verbose, "verbose")
    source, env = None, os.environ.get("CHURN_DATA", "")
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a string or a path, got {type(path).__name__}")
        source, how = Path(path), "the path you gave"
    elif env and env != "replica":
        source, how = Path(env), "the CHURN_DATA environment variable"
    elif not env:
        source = next((p for p in _candidates() if p.is_file()), None)
        how = "data/"
    if source is not None:
        if not source.is_file():
            raise FileNotFoundError(f"no churn data file at {source} (from {how})")
        data = source.read_bytes()
        frame = read_churn_csv(data, name=str(source))
        digest = hashlib.sha256(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")).hexdigest()
        verdict = (
            "the original Churn_Modelling.csv (sha256 matches, line endings aside)"
            if digest == REAL_SHA256
            else "not byte for byte the original Churn_Modelling.csv (sha256 differs), but valid"
        )
        frame.attrs["source"] = "original" if digest == REAL_SHA256 else "file"
        if verbose:
            print(f"Data: {source.name} from {how}: {verdict}; {len(frame):,} rows")
        return frame
    replica = _ROOT / "data" / REPLICA_FILE
    if replica.is_file():
        frame, where = read_churn_csv(replica.read_bytes(), name=str(replica)), f"data/{REPLICA_FILE}"
    else:
        frame, where = make_replica(), "regenerated in memory by helpers.churn_data.make_replica()"
    frame.attrs["source"] = "replica"
    if verbose:
        print(
            f"Data: the synthetic replica ({where}); {len(frame):,} rows. "
            "For the real file set CHURN_DATA or put it at data/Churn_Modelling.csv"
        )
    return frame
