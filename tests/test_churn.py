"""Tests of helpers.churn_data (the replica and the loader) and helpers.churn (preprocessing, saving)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from helpers import churn, churn_data
from helpers.churn_data import COLUMNS

ROOT = churn_data._ROOT
REPLICA = ROOT / "data" / churn_data.REPLICA_FILE


@pytest.fixture(scope="module")
def df():
    return churn_data.load_churn(REPLICA, verbose=False)


def rate(frame, mask):
    return float(frame.loc[mask, "Exited"].mean())


# ---------------------------------------------------------------- the generator
def test_regenerating_reproduces_the_committed_csv_byte_for_byte():
    fresh = churn_data.replica_csv_bytes()
    assert hashlib.sha256(fresh).hexdigest() == hashlib.sha256(REPLICA.read_bytes()).hexdigest(), (
        "data/churn_replica.csv differs from make_replica(): run helpers.churn_data.write_replica()"
    )


def test_generator_is_deterministic_and_depends_on_the_seed():
    a, b = churn_data.make_replica(3000, seed=1), churn_data.make_replica(3000, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(churn_data.make_replica(3000, seed=2))


def test_schema_and_identifiers(df):
    assert list(df.columns) == COLUMNS and df.shape == (10_000, 14)
    assert df["RowNumber"].tolist() == list(range(1, 10_001))
    ids = df["CustomerId"]
    assert ids.is_unique and ids.min() >= 15_565_701 and ids.max() <= 15_815_690
    assert df["Surname"].nunique() == 2932
    kinds = churn_data.describe_columns(df)
    assert [c for c, k in kinds.items() if k == "float"] == ["Balance", "EstimatedSalary"]
    assert [c for c, k in kinds.items() if k == "text"] == ["Surname", "Geography", "Gender"]


def test_marginals(df):
    close = [
        (df["CreditScore"].mean(), 650.5, 5),
        (df["CreditScore"].std(), 96.7, 4),
        (df["Age"].mean(), 38.9, 0.7),
        (df["Age"].std(), 10.5, 0.8),
        (df["Age"].median(), 37, 1),
        (df["CreditScore"].quantile(0.01), 432, 8),
        (df["CreditScore"].quantile(0.05), 489, 8),
        (np.log(df["Age"]).mean(), 3.628, 0.02),
        (df["Tenure"].mean(), 5.01, 0.1),
        ((df["Balance"] == 0).mean(), 0.3617, 0.015),
        (df.loc[df["Balance"] > 0, "Balance"].mean(), 119_827, 1500),
        (df.loc[df["Balance"] > 0, "Balance"].std(), 30_095, 1500),
        (df["EstimatedSalary"].mean(), 100_090, 2500),
        ((df["CreditScore"] == 850).mean(), 0.0233, 0.006),
        ((df["Gender"] == "Male").mean(), 0.546, 0.015),
        (df["HasCrCard"].mean(), 0.706, 0.015),
        (df["IsActiveMember"].mean(), 0.515, 0.015),
    ]
    for got, want, tol in close:
        assert abs(got - want) <= tol, (got, want, tol)
    assert df["CreditScore"].between(350, 850).all() and df["Age"].between(18, 92).all()
    shares = df["Geography"].value_counts(normalize=True)
    np.testing.assert_allclose(shares[["France", "Germany", "Spain"]], [0.501, 0.251, 0.248], atol=0.015)
    products = df["NumOfProducts"].value_counts(normalize=True).sort_index()
    for got, want, tol in zip(
        products, [0.508, 0.459, 0.0266, 0.006], [0.015, 0.015, 0.006, 0.003], strict=True
    ):
        assert abs(got - want) <= tol, (got, want)
    bands = pd.cut(df["Age"], [0, 30, 40, 50, 60, 200]).value_counts(normalize=True, sort=False)
    np.testing.assert_allclose(bands, [0.197, 0.445, 0.232, 0.080, 0.046], atol=0.015)


def test_churn_rate_and_rates_by_level(df):
    assert abs(df["Exited"].mean() - 0.204) <= 0.01
    by = [
        (df["Geography"] == "France", 0.162, 0.03),
        (df["Geography"] == "Germany", 0.324, 0.03),
        (df["Geography"] == "Spain", 0.167, 0.03),
        (df["Gender"] == "Male", 0.165, 0.03),
        (df["Gender"] == "Female", 0.251, 0.03),
        (df["IsActiveMember"] == 1, 0.143, 0.03),
        (df["IsActiveMember"] == 0, 0.269, 0.03),
        (df["NumOfProducts"] == 1, 0.277, 0.03),
        (df["NumOfProducts"] == 2, 0.076, 0.03),
        (df["NumOfProducts"] == 3, 0.827, 0.1),
        (df["Balance"] == 0, 0.138, 0.03),
        (df["Balance"] > 0, 0.241, 0.03),
        (df["HasCrCard"] == 1, 0.202, 0.03),
        (df["HasCrCard"] == 0, 0.208, 0.03),
    ]
    for mask, want, tol in by:
        assert abs(rate(df, mask) - want) <= tol, (rate(df, mask), want)
    for lo, hi, want in [
        (18, 30, 0.075),
        (31, 40, 0.121),
        (41, 50, 0.340),
        (51, 60, 0.562),
        (61, 200, 0.248),
    ]:
        assert abs(rate(df, df["Age"].between(lo, hi)) - want) <= 0.06, (lo, hi)
    assert all(abs(rate(df, df["Tenure"] == t) - 0.204) < 0.06 for t in range(11))  # tenure: flat


def test_structure(df):
    germany = df["Geography"] == "Germany"
    assert (df.loc[germany, "Balance"] > 0).all(), "Germany never has a zero balance"
    for country in ("France", "Spain"):
        assert abs((df.loc[df["Geography"] == country, "Balance"] == 0).mean() - 0.48) < 0.03
    zero = df["Balance"] == 0
    assert abs((df.loc[zero, "NumOfProducts"] == 2).mean() - 0.72) < 0.03
    assert abs((df.loc[~zero, "NumOfProducts"] == 2).mean() - 0.31) < 0.03
    low = df["CreditScore"] <= 400
    assert 10 <= low.sum() <= 35 and df.loc[low, "Exited"].eq(1).all(), "CreditScore <= 400 always churns (19 real)"
    assert df.loc[df["NumOfProducts"] == 4, "Exited"].eq(1).all()
    by_products = df.groupby("NumOfProducts")["Exited"].mean()
    assert by_products[2] < by_products[1] < by_products[3] <= by_products[4], "U-shape over products"
    bands = df.groupby(pd.cut(df["Age"], [0, 30, 40, 50, 60, 200]), observed=True)["Exited"].mean().to_numpy()
    assert bands.argmax() == 3 and bands[4] < bands[3] - 0.15 and bands[0] < bands[2], "the age hump"
    old = df["Age"].between(51, 60)
    inactive, active = (
        rate(df, old & (df["IsActiveMember"] == 0)),
        rate(df, old & (df["IsActiveMember"] == 1)),
    )
    assert inactive > 0.7 and active < 0.45 and inactive - active > 0.3, "age x activity at 51-60"
    older = df["Age"] >= 61
    assert (
        rate(df, older & (df["IsActiveMember"] == 0)) > 0.45
        and rate(df, older & (df["IsActiveMember"] == 1)) < 0.2
    )
    corr = df["Balance"].corr(df["NumOfProducts"]), df["Balance"].corr(germany.astype(float))
    assert -0.36 < corr[0] < -0.25 and 0.35 < corr[1] < 0.45
    assert abs(df["Age"].corr(df["Exited"]) - 0.285) < 0.05


def test_difficulty_like_the_real_data(df):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline

    X, y = df.drop(columns=churn.DROPPED + [churn.TARGET]), df[churn.TARGET]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    hgb = make_pipeline(churn.make_preprocessor(), HistGradientBoostingClassifier(random_state=0)).fit(
        X_tr, y_tr
    )
    lr = make_pipeline(churn.make_preprocessor(), LogisticRegression()).fit(X_tr, y_tr)
    auc_hgb = roc_auc_score(y_te, hgb.predict_proba(X_te)[:, 1])
    auc_lr = roc_auc_score(y_te, lr.predict_proba(X_te)[:, 1])
    assert 0.83 <= auc_hgb <= 0.88, auc_hgb
    assert 0.70 <= auc_lr <= auc_hgb - 0.05, auc_lr


# ---------------------------------------------------------------- the loader
@pytest.fixture(scope="module")
def small():
    return churn_data.make_replica().head(40)


def csv(frame, newline="\n") -> bytes:
    return (frame.to_csv(index=False, lineterminator=newline)).encode()


def test_accepts_lf_and_crlf(small, tmp_path):
    lf, crlf = tmp_path / "lf.csv", tmp_path / "crlf.csv"
    lf.write_bytes(csv(small))
    crlf.write_bytes(csv(small, "\r\n"))
    assert b"\r\n" in crlf.read_bytes()
    a, b = churn_data.load_churn(lf, verbose=False), churn_data.load_churn(crlf, verbose=False)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, small.reset_index(drop=True), check_dtype=False)


def test_source_order_and_messages(small, tmp_path, monkeypatch, capsys):
    path = tmp_path / "mine.csv"
    path.write_bytes(csv(small))
    monkeypatch.setenv("CHURN_DATA", str(path))
    assert len(churn_data.load_churn()) == 40
    out = capsys.readouterr().out
    assert "CHURN_DATA" in out and "sha256 differs" in out
    monkeypatch.delenv("CHURN_DATA")
    monkeypatch.setattr(churn_data, "_candidates", lambda: iter([tmp_path / "absent.csv"]))
    assert len(churn_data.load_churn()) == 10_000
    assert "synthetic replica" in capsys.readouterr().out
    monkeypatch.setattr(churn_data, "_candidates", lambda: iter([path]))
    assert len(churn_data.load_churn()) == 40


def test_recognises_the_real_file_by_its_hash_with_either_line_ending(small, tmp_path, monkeypatch, capsys):
    crlf, lf = tmp_path / "crlf.csv", tmp_path / "lf.csv"
    crlf.write_bytes(csv(small, "\r\n"))
    lf.write_bytes(csv(small))
    assert b"\r\n" in crlf.read_bytes() and b"\r\n" not in lf.read_bytes()
    monkeypatch.setattr(churn_data, "REAL_SHA256", hashlib.sha256(crlf.read_bytes()).hexdigest())
    for path in (crlf, lf):  # the published hash is of the CRLF file; a copy checked out with LF is the same data
        assert churn_data.load_churn(path).attrs["source"] == "original"
        assert "the original Churn_Modelling.csv (sha256 matches" in capsys.readouterr().out
    lf.write_bytes(csv(small).replace(b"France", b"Spain", 1))  # one value changed: no longer the original
    assert churn_data.load_churn(lf).attrs["source"] == "file"
    assert "sha256 differs" in capsys.readouterr().out


def test_regenerates_in_memory_without_the_data_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(churn_data, "_ROOT", tmp_path)  # as in Colab: no data/ next to the package
    monkeypatch.setattr(churn_data, "_candidates", lambda: iter([]))
    frame = churn_data.load_churn()
    assert "regenerated in memory" in capsys.readouterr().out
    assert churn_data.replica_csv_bytes(frame) == REPLICA.read_bytes()


def broken(small, change):
    frame = small.astype(str).copy()
    changed = change(frame)
    return frame if changed is None else changed


CASES = {
    "missing column": (lambda f: f.drop(columns="Tenure"), r"missing: \['Tenure'\]"),
    "extra column": (lambda f: f.insert(3, "Complain", "0"), r"extra: \['Complain'\]"),
    "wrong type": (lambda f: f.loc.__setitem__((5, "Age"), "forty"), r"Age must hold integers.*'forty'"),
    "float in an integer column": (
        lambda f: f.loc.__setitem__((2, "NumOfProducts"), "1.5"),
        r"NumOfProducts must hold integers",
    ),
    "missing value": (lambda f: f.loc.__setitem__((3, "Balance"), ""), r"Balance has 1 missing value"),
    "unknown Geography": (
        lambda f: f.loc.__setitem__((0, "Geography"), "Italy"),
        r"Geography must be one of.*Italy",
    ),
    "unknown Gender": (lambda f: f.loc.__setitem__((0, "Gender"), "M"), r"Gender must be one of"),
    "negative Age": (lambda f: f.loc.__setitem__((1, "Age"), "-3"), r"Age has 1 impossible value.*negative"),
    "negative Balance": (
        lambda f: f.loc.__setitem__((1, "Balance"), "-10.5"),
        r"Balance has 1 impossible.*negative",
    ),
    "NumOfProducts 0": (
        lambda f: f.loc.__setitem__((1, "NumOfProducts"), "0"),
        r"NumOfProducts.*outside 1-4",
    ),
    "NumOfProducts 5": (
        lambda f: f.loc.__setitem__((1, "NumOfProducts"), "5"),
        r"NumOfProducts.*outside 1-4",
    ),
    "flag 2": (lambda f: f.loc.__setitem__((1, "IsActiveMember"), "2"), r"IsActiveMember.*not 0 or 1"),
    "Exited -1": (lambda f: f.loc.__setitem__((1, "Exited"), "-1"), r"Exited.*not 0 or 1"),
    "HasCrCard yes": (lambda f: f.loc.__setitem__((1, "HasCrCard"), "yes"), r"HasCrCard must hold integers"),
    "Balance abc": (lambda f: f.loc.__setitem__((4, "Balance"), "abc"), r"Balance must hold numbers.*'abc'"),
    "Balance NA": (lambda f: f.loc.__setitem__((4, "Balance"), "NA"), r"Balance has 1 missing value"),
    "Surname blank": (lambda f: f.loc.__setitem__((4, "Surname"), " "), r"Surname has 1 missing value"),
    "duplicated CustomerId": (
        lambda f: f.loc.__setitem__((7, "CustomerId"), f.loc[2, "CustomerId"]),
        r"CustomerId must be unique",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_files_raise_a_clear_error(case, small, tmp_path):
    change, message = CASES[case]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv(broken(small, change), "\r\n"))
    with pytest.raises(ValueError, match=message):
        churn_data.load_churn(path, verbose=False)


def test_surnames_that_look_like_missing_words_are_kept(small, tmp_path):
    frame = small.copy()
    frame.loc[:3, "Surname"] = ["Na", "Nan", "Null", "NA"]
    path = tmp_path / "names.csv"
    path.write_bytes(csv(frame, "\r\n"))
    got = churn_data.load_churn(path, verbose=False)
    assert got["Surname"].head(4).tolist() == ["Na", "Nan", "Null", "NA"]


def test_a_file_that_is_not_utf8_is_named(small, tmp_path):
    frame = small.copy()
    frame.loc[2, "Surname"] = "Müller"
    path = tmp_path / "latin1.csv"
    path.write_bytes(frame.to_csv(index=False).encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.csv is not UTF-8 text"):
        churn_data.load_churn(path, verbose=False)
    with pytest.raises(TypeError, match="data must be the bytes"):
        churn_data.read_churn_csv("RowNumber,CustomerId")


def test_churn_data_replica_wins_over_a_real_copy_in_data(small, tmp_path, monkeypatch, capsys):
    # the test suite and tools/notebooks.py set CHURN_DATA=replica, so that outputs never come from a real copy
    path = tmp_path / "Churn_Modelling.csv"
    path.write_bytes(csv(small))
    monkeypatch.setattr(churn_data, "_candidates", lambda: iter([path]))
    monkeypatch.setenv("CHURN_DATA", "replica")
    frame = churn_data.load_churn()
    assert len(frame) == 10_000 and frame.attrs["source"] == "replica"
    assert "synthetic replica" in capsys.readouterr().out
    monkeypatch.delenv("CHURN_DATA")
    assert len(churn_data.load_churn(verbose=False)) == 40


def test_source_is_recorded(small, tmp_path, monkeypatch):
    path = tmp_path / "mine.csv"
    path.write_bytes(csv(small))
    assert churn_data.load_churn(path, verbose=False).attrs["source"] == "file"
    assert churn_data.load_churn(REPLICA, verbose=False).attrs["source"] == "file"
    crlf_hash = hashlib.sha256(path.read_bytes().replace(b"\n", b"\r\n")).hexdigest()
    monkeypatch.setattr(churn_data, "REAL_SHA256", crlf_hash)
    assert churn_data.load_churn(path, verbose=False).attrs["source"] == "original"
    monkeypatch.delenv("CHURN_DATA", raising=False)
    monkeypatch.setattr(churn_data, "_candidates", lambda: iter([]))
    assert churn_data.load_churn(verbose=False).attrs["source"] == "replica"


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="is empty"):
        churn_data.load_churn(empty)
    header = tmp_path / "header.csv"
    header.write_bytes((",".join(COLUMNS) + "\r\n").encode())
    with pytest.raises(ValueError, match="no rows"):
        churn_data.load_churn(header)


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="no churn data file"):
        churn_data.load_churn(tmp_path / "nope.csv")
    with pytest.raises(TypeError, match="path must be a string or a path"):
        churn_data.load_churn(42)
    with pytest.raises(TypeError, match="raw must be a pandas DataFrame"):
        churn_data.validate_churn([1, 2])
    with pytest.raises(ValueError, match="n must be"):
        churn_data.make_replica(10)
    with pytest.raises(TypeError, match="verbose must be True or False"):
        churn_data.load_churn(verbose="yes")


def test_churn_score_and_probability():
    f = {
        "Age": np.array([37, 53]),
        "IsActiveMember": np.array([1, 0]),
        "Geography": np.array(["France", "Germany"]),
        "Gender": np.array(["Male", "Female"]),
        "NumOfProducts": np.array([2, 1]),
        "Balance": np.array([0.0, 100_000.0]),
        "CreditScore": np.array([650, 550]),
    }
    trait = np.zeros(2)
    z = churn_data.churn_score(f, trait)
    want0 = churn_data.AGE_LOGIT[40][1] + churn_data.MALE_LOGIT + churn_data.PRODUCTS_LOGIT[2]
    want1 = (
        churn_data.AGE_LOGIT[55][0]
        + churn_data.GEOGRAPHY_LOGIT["Germany"]
        + churn_data.BALANCE_LOGIT
        - churn_data.CREDIT_LOGIT
    )
    np.testing.assert_allclose(z, [want0, want1], rtol=1e-12)
    np.testing.assert_allclose(churn_data.churn_score(f, trait + 0.5), z + 0.5 * churn_data.TRAIT_SD)
    p = churn_data.churn_probability(f, trait)
    share, rate_ = churn_data.UNEXPLAINED_SHARE, churn_data.UNEXPLAINED_RATE
    np.testing.assert_allclose(p, (1 - share) / (1 + np.exp(-z)) + share * rate_, rtol=1e-12)
    assert p[1] > p[0] and np.all((p > share * rate_) & (p < 1 - share * (1 - rate_)))


# ---------------------------------------------------------------- preprocessing and saving
def test_engineered_preprocessing_and_its_numpy_twin(df):
    pre = churn.make_preprocessor(engineered=True).fit(df.head(2000))
    params = churn.preprocessing_params(pre)
    assert params["engineered"] and len(params["features"]) == 18
    assert params["features"][12:] == [
        "age_squared__Age_squared",
        "products__NumOfProducts_1",
        "products__NumOfProducts_2",
        "products__NumOfProducts_3",
        "products__NumOfProducts_4",
        "zero_balance__Balance_is_0",
    ]
    tail = df.tail(500)
    x = pre.transform(tail)
    np.testing.assert_array_equal(churn.transform(params, tail), x)
    np.testing.assert_array_equal(x[:, 13:17].argmax(1) + 1, tail["NumOfProducts"])
    np.testing.assert_array_equal(x[:, 17], (tail["Balance"] == 0).astype(float))
    age2 = df.head(2000)["Age"].to_numpy(float) ** 2
    np.testing.assert_allclose(x[:, 12], (tail["Age"] ** 2 - age2.mean()) / age2.std(), rtol=1e-10)
    with pytest.raises(ValueError, match="NumOfProducts holds unknown value"):
        churn.transform(params, tail.head(2).assign(NumOfProducts=7))
    with pytest.raises(TypeError, match="engineered must be True or False"):
        churn.make_preprocessor(engineered="yes")
    with pytest.raises(ValueError, match="engineered keys missing"):
        churn.transform({k: v for k, v in params.items() if k != "products"}, tail)


def test_numpy_transform_equals_the_fitted_column_transformer(df):
    pre = churn.make_preprocessor().fit(df.head(500))
    params = churn.preprocessing_params(pre)
    assert params["features"][-4:] == [
        "geo__Geography_France",
        "geo__Geography_Germany",
        "geo__Geography_Spain",
        "gender__Gender_Male",
    ]
    np.testing.assert_array_equal(churn.transform(params, df.tail(300)), pre.transform(df.tail(300)))
    with pytest.raises(ValueError, match="unknown value.*Italy"):
        churn.transform(params, df.head(2).assign(Geography="Italy"))
    with pytest.raises(TypeError, match="fitted ColumnTransformer"):
        churn.preprocessing_params(churn.make_preprocessor())


def test_customer_frame():
    record = {
        "Geography": "France",
        "CreditScore": 600,
        "Gender": "Male",
        "Age": 40,
        "Tenure": 3,
        "Balance": 60000,
        "NumOfProducts": 2,
        "HasCrCard": 1,
        "IsActiveMember": 1,
        "EstimatedSalary": 50000,
    }
    frame = churn.customer_frame(record)
    assert frame.shape == (1, 10)
    with pytest.raises(ValueError, match=r"missing: \['Age'\]"):
        churn.customer_frame({k: v for k, v in record.items() if k != "Age"})
    with pytest.raises(TypeError, match="record must be a dict"):
        churn.customer_frame([1, 2])
    assert frame["Age"].dtype.kind == "i" and frame["Balance"].dtype.kind == "f"
    for field, value, message in [
        ("Age", "forty", r"record: column Age must hold integers.*'forty'"),
        ("NumOfProducts", 7, r"record: column NumOfProducts.*outside 1-4"),
        ("Geography", "Italy", r"record: column Geography must be one of.*Italy"),
        ("Balance", -5, r"record: column Balance.*negative"),
        ("IsActiveMember", 2, r"record: column IsActiveMember.*not 0 or 1"),
        ("Balance", "abc", r"record: column Balance must hold numbers"),
    ]:
        with pytest.raises(ValueError, match=message):
            churn.customer_frame({**record, field: value})


def test_save_and_load_round_trip(df, tmp_path):
    import keras

    pre = churn.make_preprocessor().fit(df.head(1000))
    x = pre.transform(df.head(1000)).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, df["Exited"].head(1000).to_numpy(), epochs=1, batch_size=256, verbose=0)
    before = churn.predict_churn(model, churn.preprocessing_params(pre), df.tail(50))
    paths = churn.save_churn_model(tmp_path / "saved", model, pre)
    assert paths["model"].suffix == ".keras" and paths["preprocessing"].suffix == ".json"
    loaded, params = churn.load_churn_model(tmp_path / "saved")
    np.testing.assert_array_equal(churn.predict_churn(loaded, params, df.tail(50)), before)
    with pytest.raises(FileNotFoundError, match="save_churn_model"):
        churn.load_churn_model(tmp_path / "elsewhere")
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        churn.save_churn_model(tmp_path, "model", pre)
    with pytest.raises(TypeError, match="directory must be a non-empty string or a path"):
        churn.save_churn_model(42, model, pre)
    with pytest.raises(TypeError, match="directory must be a non-empty string or a path"):
        churn.load_churn_model(None)
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ValueError, match="directory must be a folder"):
        churn.save_churn_model(tmp_path / "a_file", model, pre)
    with pytest.raises(TypeError, match="model must be a trained keras.Model"):
        churn.predict_churn("model", params, df.tail(5))


def test_engineered_model_round_trip(df, tmp_path):
    import keras

    pre = churn.make_preprocessor(engineered=True).fit(df.head(1000))
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((18,)), keras.layers.Dense(1, activation="sigmoid")])
    before = churn.predict_churn(model, churn.preprocessing_params(pre), df.tail(50))
    churn.save_churn_model(tmp_path, model, pre)
    loaded, params = churn.load_churn_model(tmp_path)
    np.testing.assert_array_equal(churn.predict_churn(loaded, params, df.tail(50)), before)


def test_load_refuses_a_model_that_would_run_code(df, tmp_path):
    import keras

    pre = churn.make_preprocessor().fit(df.head(200))
    model = keras.Sequential(
        [keras.Input((12,)), keras.layers.Lambda(lambda t: t * 2.0), keras.layers.Dense(1, activation="sigmoid")]
    )
    churn.save_churn_model(tmp_path, model, pre)  # saving is allowed; loading with safe_mode is not
    with pytest.raises(ValueError, match="(?i)lambda|safe_mode|unsafe"):
        churn.load_churn_model(tmp_path)


# ---------------------------------------------------------------- the generator's own probability (the ceiling)
def test_generator_probability_is_the_trait_averaged_churn_probability(df):
    p = churn.generator_probability(df)
    assert p.shape == (len(df),) and np.all((p >= 0) & (p <= 1))
    assert abs(p.mean() - df["Exited"].mean()) < 0.02  # the replica's labels are drawn from it
    always = (df["NumOfProducts"] == 4) | (df["CreditScore"] <= 400)
    assert np.all(p[always] == 1) and df.loc[always, "Exited"].eq(1).all()
    # the quadrature equals a Monte Carlo average over the unobserved trait
    rows = df.iloc[:5]
    columns = {c: rows[c].to_numpy() for c in rows.columns}
    traits = np.random.default_rng(0).standard_normal(200_000)
    mc = [churn_data.churn_probability({c: np.repeat(v[i:i + 1], len(traits)) for c, v in columns.items()},
                                       traits).mean() for i in range(5)]
    np.testing.assert_allclose(np.where(always[:5], 1.0, mc), p[:5], atol=2e-3)
    from sklearn.metrics import roc_auc_score

    assert 0.85 < roc_auc_score(df["Exited"], p) < 0.92  # the ceiling that notebook 08 prints


def test_generator_probability_bad_input(df):
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        churn.generator_probability(df.to_numpy())
    with pytest.raises(ValueError, match="missing the column"):
        churn.generator_probability(df.drop(columns=["Age"]))


def test_data_readme_quotes_the_figures_notebook_08_printed():
    """data/README.md's model figures are those of the committed notebook 08 (tools/churn_figures.py)."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("churn_figures", ROOT / "tools" / "churn_figures.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    notebook = json.loads(tool.NOTEBOOK.read_text(encoding="utf-8"))
    assert tool.readme_section() == tool.figures(notebook), (
        "data/README.md differs from notebook 08's printed figures: run `python tools/churn_figures.py --readme`")
