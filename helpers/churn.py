"""The churn model's plumbing for notebook 08: the preprocessing, and saving/loading a trained model safely.

The data itself (the replica, the loader) lives in :mod:`helpers.churn_data`. Here:

- :func:`make_preprocessor`: the scikit-learn ``ColumnTransformer`` the notebook fits on the training rows
  (identifiers dropped, numeric columns standardised, Geography one-hot, Gender as one 0/1 column; with
  ``engineered=True`` also Age squared, NumOfProducts one-hot and a zero-balance flag);
- :func:`preprocessing_params` / :func:`transform`: the fitted preprocessing as plain numbers (JSON) and the
  same transformation written in NumPy, so a saved model needs no pickled Python object;
- :func:`save_churn_model` / :func:`load_churn_model` / :func:`predict_churn`: a ``.keras`` file (loaded
  with ``safe_mode=True``) plus a JSON file; neither can execute code when it is loaded, unlike a pickle.
- :func:`customer_frame`: one customer, given as a plain record, as a one-row table;
- :func:`generator_probability`: the replica's own churn probability of each customer, the best any model can
  reach on the replica (its ceiling).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .churn_data import CATEGORIES, COLUMNS, validate_churn
from .validation import check_bool

__all__ = [
    "NUMERIC",
    "CATEGORICAL",
    "PRODUCTS",
    "DROPPED",
    "TARGET",
    "make_preprocessor",
    "preprocessing_params",
    "transform",
    "customer_frame",
    "save_churn_model",
    "load_churn_model",
    "predict_churn",
    "generator_probability",
]

NUMERIC = [
    "CreditScore",
    "Age",
    "Tenure",
    "Balance",
    "NumOfProducts",
    "HasCrCard",
    "IsActiveMember",
    "EstimatedSalary",
]
CATEGORICAL = ["Geography", "Gender"]
DROPPED = ["RowNumber", "CustomerId", "Surname"]  # identifiers: no signal, only a way to overfit
TARGET = "Exited"
MODEL_FILE, PREPROCESSING_FILE = "churn_model.keras", "preprocessing.json"


PRODUCTS = [1, 2, 3, 4]
BASIC, ENGINEERED = ["num", "geo", "gender"], ["age_squared", "products", "zero_balance"]


def _is_zero(x):
    return (np.asarray(x, dtype=np.float64) == 0).astype(np.float64)


def _zero_name(transformer, names):
    return np.asarray([f"{n}_is_0" for n in names], dtype=object)


def _squared_name(transformer, names):
    return np.asarray([f"{n}_squared" for n in names], dtype=object)


def make_preprocessor(engineered: bool = False):
    """A ``ColumnTransformer``: standardise ``NUMERIC``, one-hot Geography, Gender as one column (Male = 1).

    With ``engineered=True`` it adds 6 columns that carry the data's known non-linear signal in a form a
    small model finds easily: Age squared, standardised (with Age, a parabola: the hump over age),
    NumOfProducts one-hot (1, 2, 3, 4: the U-shape) and a flag for a zero balance. The categories are
    written out, so the output always has the same 12 (or 18) columns in the same order, and an unknown
    category is an error rather than a silent row of zeros.
    Columns not named are dropped.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    check_bool(engineered, "engineered")
    parts = [
        ("num", StandardScaler(), NUMERIC),
        ("geo", OneHotEncoder(categories=[CATEGORIES["Geography"]], sparse_output=False), ["Geography"]),
        (
            "gender",
            OneHotEncoder(categories=[CATEGORIES["Gender"]], drop="first", sparse_output=False),
            ["Gender"],
        ),
    ]
    if engineered:
        square = FunctionTransformer(np.square, feature_names_out=_squared_name)
        parts += [
            ("age_squared", make_pipeline(square, StandardScaler()), ["Age"]),
            ("products", OneHotEncoder(categories=[PRODUCTS], sparse_output=False), ["NumOfProducts"]),
            ("zero_balance", FunctionTransformer(_is_zero, feature_names_out=_zero_name), ["Balance"]),
        ]
    return ColumnTransformer(parts, remainder="drop")


def _fitted(preprocessor):
    from sklearn.compose import ColumnTransformer

    if not isinstance(preprocessor, ColumnTransformer) or not hasattr(preprocessor, "transformers_"):
        raise TypeError(
            f"preprocessor must be a fitted ColumnTransformer from make_preprocessor(), got "
            f"{type(preprocessor).__name__}"
            f"{'' if hasattr(preprocessor, 'transformers_') else ' (not fitted)'}"
        )
    names = [name for name, *_ in preprocessor.transformers_ if name != "remainder"]
    if names not in (BASIC, BASIC + ENGINEERED):
        raise ValueError(f"preprocessor must come from make_preprocessor(), got transformers {names}")
    return preprocessor


def preprocessing_params(preprocessor) -> dict:
    """The fitted preprocessing as plain numbers and strings (JSON-ready): means, scales, categories."""
    ct = _fitted(preprocessor)
    scaler = ct.named_transformers_["num"]
    params = {
        "numeric": list(NUMERIC),
        "mean": [float(v) for v in scaler.mean_],
        "scale": [float(v) for v in scaler.scale_],
        "geography": [str(c) for c in ct.named_transformers_["geo"].categories_[0]],
        "gender": [str(c) for c in ct.named_transformers_["gender"].categories_[0]],
        "engineered": "age_squared" in ct.named_transformers_,
        "features": [str(f) for f in ct.get_feature_names_out()],
    }
    if params["engineered"]:
        age_scaler = ct.named_transformers_["age_squared"][-1]
        params["age_squared_mean"] = float(age_scaler.mean_[0])
        params["age_squared_scale"] = float(age_scaler.scale_[0])
        params["products"] = [int(c) for c in ct.named_transformers_["products"].categories_[0]]
    return params


def transform(params: dict, frame) -> np.ndarray:
    """What the fitted ``make_preprocessor()`` does, in NumPy, from :func:`preprocessing_params`.

    Returns a float64 array (rows, 12), or (rows, 18) for ``engineered=True``, equal to
    ``preprocessor.transform(frame)``.
    """
    import pandas as pd

    if not isinstance(params, dict) or not {"numeric", "mean", "scale", "geography", "gender"} <= set(params):
        raise ValueError("params must be the dict returned by preprocessing_params()")
    engineered = bool(params.get("engineered", False))
    if engineered and not {"age_squared_mean", "age_squared_scale", "products"} <= set(params):
        raise ValueError("params must be the dict returned by preprocessing_params(): engineered keys missing")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in params["numeric"] + CATEGORICAL if c not in frame.columns]
    if missing:
        raise ValueError(f"frame is missing the column(s) {missing}")
    x = frame[params["numeric"]].to_numpy(dtype=np.float64)
    numeric = (x - np.asarray(params["mean"])) / np.asarray(params["scale"])
    parts = [numeric]
    for col, cats, drop_first in (
        ("Geography", params["geography"], False),
        ("Gender", params["gender"], True),
    ):
        values = frame[col].astype(str).to_numpy()
        unknown = sorted(set(values) - set(cats))
        if unknown:
            raise ValueError(f"column {col} holds unknown value(s) {unknown}; expected one of {cats}")
        onehot = (values[:, None] == np.asarray(cats)[None, :]).astype(np.float64)
        parts.append(onehot[:, 1:] if drop_first else onehot)
    if engineered:
        age_squared = np.square(frame[["Age"]].to_numpy(dtype=np.float64))
        parts.append((age_squared - params["age_squared_mean"]) / params["age_squared_scale"])
        products = frame["NumOfProducts"].to_numpy()
        unknown = sorted(set(products.tolist()) - set(params["products"]))
        if unknown:
            raise ValueError(
                f"column NumOfProducts holds unknown value(s) {unknown}; expected one of {params['products']}"
            )
        parts.append((products[:, None] == np.asarray(params["products"])[None, :]).astype(np.float64))
        parts.append(_is_zero(frame[["Balance"]].to_numpy()))
    return np.hstack(parts)


def customer_frame(record: dict):
    """One customer, given as ``{column: value}``, as a one-row DataFrame of the model's 10 input columns."""
    import pandas as pd

    if not isinstance(record, dict):
        raise TypeError(f"record must be a dict of column: value, got {type(record).__name__}")
    needed = NUMERIC + CATEGORICAL
    missing = [c for c in needed if c not in record]
    extra = [c for c in record if c not in needed + DROPPED + [TARGET]]
    if missing or extra:
        raise ValueError(f"record must give {needed}; missing: {missing}, unknown: {extra}")
    # the loader's own checks (types, categories, impossible values), which name the field at fault
    placeholders = {"RowNumber": 1, "CustomerId": 1, "Surname": "-", TARGET: 0}
    raw = pd.DataFrame({c: [str(record.get(c, placeholders.get(c)))] for c in COLUMNS})
    try:
        frame = validate_churn(raw)
    except ValueError as exc:
        raise ValueError(f"record: {exc}".replace("data row 1", "the record")) from None
    return frame[needed].reset_index(drop=True)


def save_churn_model(directory, model, preprocessor) -> dict:
    """Save the network (``.keras``) and the fitted preprocessing (JSON) into ``directory``.

    Returns ``{"model": path, "preprocessing": path}``. Neither file format runs code when loaded.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    params = preprocessing_params(preprocessor)
    directory = _directory(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"directory must be a folder, but {directory} is a file")
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"model": directory / MODEL_FILE, "preprocessing": directory / PREPROCESSING_FILE}
    model.save(paths["model"])
    paths["preprocessing"].write_text(json.dumps(params, indent=1), encoding="utf-8")
    return paths


def load_churn_model(directory):
    """Load what :func:`save_churn_model` wrote: returns ``(model, params)``; ``safe_mode=True`` refuses any
    file that would need to run code (a ``Lambda`` layer, say) to be rebuilt."""
    import keras

    directory = _directory(directory)
    for name in (MODEL_FILE, PREPROCESSING_FILE):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{directory / name} does not exist: save with save_churn_model() first")
    model = keras.saving.load_model(directory / MODEL_FILE, safe_mode=True)
    params = json.loads((directory / PREPROCESSING_FILE).read_text(encoding="utf-8"))
    return model, params


def _directory(directory) -> Path:
    import os

    if not isinstance(directory, (str, os.PathLike)) or str(directory) == "":
        raise TypeError(f"directory must be a non-empty string or a path, got {directory!r}")
    return Path(directory)


def predict_churn(model, params: dict, frame) -> np.ndarray:
    """The churn probability of each row of ``frame`` (raw columns), as a 1-D float array."""
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must be a trained keras.Model (with .predict), got {type(model).__name__}")
    x = transform(params, frame).astype(np.float32)
    return np.asarray(model.predict(x, verbose=0)).reshape(-1)


def generator_probability(frame) -> np.ndarray:
    """The replica's own churn probability for each row of ``frame``, given its columns: the ceiling of notebook 08.

    The replica's generator (:mod:`helpers.churn_data`, step 6 of its docstring) draws ``Exited`` from
    ``churn_probability(columns, trait)``, where the trait is an unobserved standard normal number per customer;
    4 products or a CreditScore of 400 or less always mean exit. No model sees the trait, so the best any model
    can do is this probability averaged over it (computed with 40-point Gauss-Hermite quadrature). Meaningful for
    the replica only: for a real file it is only what the replica's formula would say.
    """
    import pandas as pd

    from .churn_data import churn_probability

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    needed = ["Age", "IsActiveMember", "Geography", "Gender", "NumOfProducts", "Balance", "CreditScore"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"frame is missing the column(s) {missing}")
    columns = {c: frame[c].to_numpy() for c in needed}
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)  # for the weight exp(-t**2 / 2)
    weights = weights / weights.sum()
    p = sum(w * churn_probability(columns, np.full(len(frame), t)) for t, w in zip(nodes, weights, strict=True))
    always = (columns["NumOfProducts"] == 4) | (columns["CreditScore"] <= 400)
    return np.where(always, 1.0, p)
