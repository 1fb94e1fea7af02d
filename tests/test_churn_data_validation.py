"""Bad input to ``helpers.churn_data``, tried as a new user would (issue 13, item 11).

``describe_columns`` with something that is not a DataFrame, ``churn_score`` / ``churn_probability`` with
wrong columns, shapes or values, and a sweep of malformed churn files: every one gives a clear error that names
the argument or the column, and for a file the data row that breaks it. The loader's plausible ranges are held
against the real file's published extremes (``../shared/churn-facts.md``) so that a genuine copy still loads.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
from helpers import churn_data  # noqa: E402

REPLICA = churn_data._ROOT / "data" / churn_data.REPLICA_FILE
HEADER = ",".join(churn_data.COLUMNS)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """The header and the first 40 rows of the committed replica, as text lines."""
    with REPLICA.open(encoding="ascii") as handle:
        return [next(handle).rstrip("\n") for _ in range(41)]


def write(tmp_path, lines, name="bad.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def with_value(lines, row: int, column: str, value: str) -> list[str]:
    """The lines with data row ``row`` (1-based) holding ``value`` in ``column``."""
    out = list(lines)
    fields = out[row].split(",")
    fields[churn_data.COLUMNS.index(column)] = value
    out[row] = ",".join(fields)
    return out


# ---------------------------------------------------------------------------------------------------------
# describe_columns
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [None, "Age", [1, 2], {"Age": [30]}, np.zeros((2, 2))], ids=repr)
def test_describe_columns_names_a_non_frame(bad):
    with pytest.raises(TypeError, match=rf"frame must be a pandas DataFrame .*got {type(bad).__name__}"):
        churn_data.describe_columns(bad)


def test_describe_columns_still_describes_a_frame():
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.0], "c": ["x", "y"]})
    assert churn_data.describe_columns(frame) == {"a": "integer", "b": "float", "c": "text"}


# ---------------------------------------------------------------------------------------------------------
# churn_score and churn_probability
# ---------------------------------------------------------------------------------------------------------
def features(n=3):
    return {
        "Age": np.array([25, 45, 70][:n]),
        "IsActiveMember": np.array([1, 0, 1][:n]),
        "Geography": np.array(["France", "Germany", "Spain"][:n]),
        "Gender": np.array(["Male", "Female", "Male"][:n]),
        "NumOfProducts": np.array([1, 2, 3][:n]),
        "Balance": np.array([0.0, 1000.0, 50.0][:n]),
        "CreditScore": np.array([650, 700, 500][:n]),
    }


def changed(**columns):
    f = features()
    f.update(columns)
    return f


SCORE_CASES = {
    "None": (None, np.zeros(3), TypeError, r"f must be a dict of columns"),
    "a string": ("Age", np.zeros(3), TypeError, r"f must be a dict of columns .*got str"),
    "a list": ([1, 2, 3], np.zeros(3), TypeError, r"f must be a dict of columns .*got list"),
    "an array": (np.zeros((3, 7)), np.zeros(3), TypeError, r"f must be a dict of columns .*got ndarray"),
    "a column missing": ({k: v for k, v in features().items() if k != "Gender"}, np.zeros(3), ValueError,
                         r"missing: \['Gender'\]"),
    "an empty dict": ({}, np.zeros(3), ValueError, r"f must hold the columns"),
    "a 2-D column": (changed(Age=np.ones((3, 1))), np.zeros(3), ValueError, r"f\['Age'\] must be a non-empty 1-D"),
    "a scalar column": (changed(Balance=5.0), np.zeros(3), ValueError, r"f\['Balance'\] must be a non-empty 1-D"),
    "empty columns": ({k: v[:0] for k, v in features().items()}, np.zeros(0), ValueError, r"non-empty 1-D"),
    "uneven columns": (changed(Balance=np.zeros(2)), np.zeros(3), ValueError,
                       r"same number of customers.*'Balance': 2"),
    "text ages": (changed(Age=np.array(["25", "45", "70"])), np.zeros(3), TypeError,
                  r"f\['Age'\] must contain numbers"),
    "NaN balance": (changed(Balance=np.array([0.0, np.nan, 1.0])), np.zeros(3), ValueError,
                    r"f\['Balance'\] must be finite"),
    "unknown country": (changed(Geography=np.array(["France", "Italy", "Spain"])), np.zeros(3), ValueError,
                        r"f\['Geography'\] must hold only \['France', 'Germany', 'Spain'\], got \['Italy'\]"),
    "gender as 0/1": (changed(Gender=np.array([0, 1, 0])), np.zeros(3), ValueError,
                      r"f\['Gender'\] must hold only \['Female', 'Male'\]"),
    "5 products": (changed(NumOfProducts=np.array([1, 5, 2])), np.zeros(3), ValueError,
                   r"f\['NumOfProducts'\] must hold only \[1, 2, 3, 4\], got \[5\]"),
    "activity 2": (changed(IsActiveMember=np.array([1, 2, 0])), np.zeros(3), ValueError,
                   r"f\['IsActiveMember'\] must hold only \[0, 1\], got \[2\]"),
    "negative age": (changed(Age=np.array([25, -1, 70])), np.zeros(3), ValueError, r"f\['Age'\] must hold ages"),
    "trait None": (features(), None, TypeError, r"trait must be a number or an array"),
    "trait too short": (features(), np.zeros(2), ValueError, r"trait must hold one value per customer \(3\)"),
    "trait 2-D": (features(), np.zeros((3, 1)), ValueError, r"trait must have 0 or 1 dimension"),
    "trait NaN": (features(), np.array([0.0, np.nan, 0.0]), ValueError, r"trait must be finite"),
}


@pytest.mark.parametrize("function", [churn_data.churn_score, churn_data.churn_probability],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("case", list(SCORE_CASES))
def test_churn_score_and_probability_name_the_bad_argument(function, case):
    f, trait, error, message = SCORE_CASES[case]
    with pytest.raises(error, match=message):
        function(f, trait)


def test_churn_score_accepts_a_frame_lists_and_one_trait_for_all():
    f = features()
    z = churn_data.churn_score(f, np.zeros(3))
    np.testing.assert_allclose(churn_data.churn_score(pd.DataFrame(f), 0.0), z, rtol=1e-12)
    np.testing.assert_allclose(churn_data.churn_score({k: list(v) for k, v in f.items()}, [0.0] * 3), z,
                               rtol=1e-12)
    p = churn_data.churn_probability(pd.DataFrame(f), np.zeros(3))
    assert p.shape == (3,) and np.all((p > 0) & (p < 1))


# ---------------------------------------------------------------------------------------------------------
# The loader: plausible ranges, and a sweep of malformed files
# ---------------------------------------------------------------------------------------------------------
REAL_EXTREMES = {  # ../shared/churn-facts.md: the real file's minimum and maximum of each numeric column
    "RowNumber": ("1", "10000"),
    "CustomerId": ("15565701", "15815690"),
    "CreditScore": ("350", "850"),
    "Age": ("18", "92"),
    "Tenure": ("0", "10"),
    "Balance": ("0.00", "250898.09"),
    "NumOfProducts": ("1", "4"),
    "HasCrCard": ("0", "1"),
    "IsActiveMember": ("0", "1"),
    "EstimatedSalary": ("11.58", "199992.48"),
    "Exited": ("0", "1"),
}


def test_the_ranges_hold_every_real_extreme(lines, tmp_path):
    """A genuine copy loads: the real file's smallest and largest value of every column are accepted."""
    assert set(REAL_EXTREMES) == set(churn_data.PLAUSIBLE_RANGES)
    rows = list(lines)
    for column, (low, high) in REAL_EXTREMES.items():
        if column == "CustomerId":  # ids must stay unique: put the extremes in rows no other id takes
            rows = with_value(with_value(rows, 1, column, low), 2, column, high)
            continue
        rows = with_value(with_value(rows, 3, column, low), 4, column, high)
        lo, hi = churn_data.PLAUSIBLE_RANGES[column][:2]
        assert lo <= float(low) and float(high) <= hi, column
    frame = churn_data.load_churn(write(tmp_path, rows), verbose=False)
    assert len(frame) == 40 and frame["Age"].tolist()[2:4] == [18, 92]


def test_the_whole_replica_loads():
    assert len(churn_data.load_churn(REPLICA, verbose=False)) == 10_000


# (what is wrong, the change to the 40-row file, the message: column, value and data row)
MALFORMED = {
    "Age of a billion": (lambda ls: with_value(ls, 7, "Age", "1000000000"),
                         r"column Age has 1 impossible value\(s\) \(outside 16-120: .*\), the first 1000000000 in data "
                         r"row 7"),
    "Age written 1e9": (lambda ls: with_value(ls, 12, "Age", "1e9"), r"Age .* the first 1e9 in data row 12"),
    "Age in months": (lambda ls: with_value(ls, 3, "Age", "456"), r"Age .*outside 16-120.* data row 3"),
    "Age of a child": (lambda ls: with_value(ls, 40, "Age", "5"), r"Age .*outside 16-120.* the first 5 in data row 40"),
    "Age negative": (lambda ls: with_value(ls, 2, "Age", "-3"), r"Age .*\(negative; .*\), the first -3 in data row 2"),
    "Age and Tenure swapped": (
        lambda ls: [ls[0]] + [with_value(with_value([HEADER, r], 1, "Age", r.split(",")[7]), 1, "Tenure",
                                         r.split(",")[6])[1] for r in ls[1:]],
        r"column (Age|Tenure) has \d+ impossible value\(s\) .* in data row \d+"),
    "CreditScore 0": (lambda ls: with_value(ls, 5, "CreditScore", "0"), r"CreditScore .*outside 300-900.* row 5"),
    "CreditScore 8500": (lambda ls: with_value(ls, 6, "CreditScore", "8500"), r"CreditScore .* 8500 in data row 6"),
    "Tenure 200": (lambda ls: with_value(ls, 9, "Tenure", "200"), r"Tenure .*outside 0-100.* data row 9"),
    "Balance of a trillion": (lambda ls: with_value(ls, 11, "Balance", "1e12"), r"Balance .* 1e12 in data row 11"),
    "Balance negative": (lambda ls: with_value(ls, 11, "Balance", "-10.50"), r"Balance .*negative.* row 11"),
    "Balance infinite": (lambda ls: with_value(ls, 13, "Balance", "inf"), r"Balance must hold numbers.* row 13"),
    "Salary negative": (lambda ls: with_value(ls, 8, "EstimatedSalary", "-5"), r"EstimatedSalary .*negative.* row 8"),
    "Salary of 1e15": (lambda ls: with_value(ls, 8, "EstimatedSalary", "1e15"), r"EstimatedSalary .* row 8"),
    "CustomerId 0": (lambda ls: with_value(ls, 4, "CustomerId", "0"), r"CustomerId .*outside 1-9,999,999,999.* row 4"),
    "CustomerId of 20 digits": (lambda ls: with_value(ls, 4, "CustomerId", "99999999999999999999"),
                                r"CustomerId .* 99999999999999999999 in data row 4"),
    "RowNumber 0": (lambda ls: with_value(ls, 1, "RowNumber", "0"), r"RowNumber .*outside 1-.* data row 1"),
    "NumOfProducts 7": (lambda ls: with_value(ls, 14, "NumOfProducts", "7"), r"NumOfProducts .*outside 1-4.* row 14"),
    "HasCrCard 2": (lambda ls: with_value(ls, 15, "HasCrCard", "2"), r"HasCrCard .*not 0 or 1.* row 15"),
    "Exited as yes": (lambda ls: with_value(ls, 16, "Exited", "yes"), r"Exited must hold integers.* row 16"),
    "CreditScore 650.5": (lambda ls: with_value(ls, 17, "CreditScore", "650.5"), r"CreditScore must hold integers"),
    "Age missing": (lambda ls: with_value(ls, 18, "Age", ""), r"Age has 1 missing value.* row\(s\) \[18\]"),
    "a row cut short": (lambda ls: ls[:-1] + [",".join(ls[-1].split(",")[:10])], r"missing value.*\[40\]"),
    "semicolons (a European spreadsheet)": (lambda ls: [ln.replace(",", ";") for ln in ls],
                                            r"bad\.csv separates its columns with ';', not commas"),
    "tabs": (lambda ls: [ln.replace(",", "\t") for ln in ls], r"separates its columns with '\\t'"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_names_the_column_and_row(case, lines, tmp_path):
    change, message = MALFORMED[case]
    with pytest.raises(ValueError, match=message) as error:
        churn_data.load_churn(write(tmp_path, change(lines)), verbose=False)
    text = str(error.value)
    assert len(text) < 400 and "Traceback" not in text
    if "impossible" in text:  # a range error: the value and the row are named
        assert re.search(r"the first \S+ in data row \d+$", text), text
