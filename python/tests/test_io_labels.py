"""IO tables are aligned by label, never by position, and read_csv_folder separates value added,
subtotals and satellite accounts and checks the column balance x = colsum(Z) + value added."""
import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim.io import DataError

S = ["agr", "man", "ser"]
Z = pd.DataFrame([[10.0, 20.0, 5.0], [15.0, 40.0, 25.0], [5.0, 30.0, 50.0]], index=S, columns=S)
Y = pd.DataFrame({"hh": [50.0, 100.0, 120.0], "gov": [15.0, 60.0, 90.0]}, index=S)
X = Z.sum(axis=1) + Y.sum(axis=1)
VA = pd.DataFrame([X.to_numpy() - Z.sum(axis=0).to_numpy()], index=["comp"], columns=S)


def _reference():
    # Leontief inverse from numpy on the table in its original order.
    A = Z.to_numpy() / X.to_numpy()[None, :]
    return np.linalg.inv(np.eye(3) - A)


def test_permuted_frames_give_the_same_table():
    perm_cols = ["ser", "agr", "man"]
    t = gs.io.IOTable(Z[perm_cols], Y.loc[["man", "ser", "agr"]], X.loc[["ser", "man", "agr"]],
                      value_added=VA[perm_cols])
    np.testing.assert_allclose(t.leontief_inverse().loc[S, S].to_numpy(), _reference(), rtol=1e-12)
    np.testing.assert_allclose(t.value_added.loc["comp", S].to_numpy(), VA.loc["comp", S].to_numpy())
    np.testing.assert_allclose(t.Y.loc[S, "hh"].to_numpy(), Y["hh"].to_numpy())


@pytest.mark.parametrize("kwargs, message", [
    (dict(Z=Z.rename(columns={"ser": "srv"}), Y=Y), "Z columns.*missing 'ser'.*'srv'"),
    (dict(Z=Z, Y=Y.rename(index={"agr": "farm"})), "Y rows.*missing 'agr'.*'farm'"),
    (dict(Z=Z, Y=Y, x=X.rename({"man": "mfg"})), "x do not match.*'man'.*'mfg'"),
    (dict(Z=Z, Y=Y, value_added=VA.rename(columns={"agr": "a"})), "value_added columns.*'agr'.*'a'"),
    (dict(Z=Z, Y=pd.concat([Y, Y.iloc[:1]])), "Y rows: duplicate label 'agr'"),
])
def test_mismatched_labels_are_named(kwargs, message):
    with pytest.raises(DataError, match=message):
        gs.io.IOTable(**kwargs)


def _write_folder(path, primary_rows):
    Z.to_csv(path / "Z.csv")
    Y.loc[["ser", "agr", "man"]].to_csv(path / "Y.csv")           # rows in another order
    X.rename("x").to_frame().to_csv(path / "x.csv")
    va = X.to_numpy() - Z.sum(axis=0).to_numpy()
    rows = {"compensation": 0.6 * va, "surplus": 0.4 * va}
    rows.update(primary_rows)
    pd.DataFrame(rows, index=S).T[["man", "ser", "agr"]].to_csv(path / "primary_inputs.csv")  # columns permuted
    return va


def test_read_csv_folder_drops_subtotals_and_moves_satellites(tmp_path):
    va = X.to_numpy() - Z.sum(axis=0).to_numpy()
    _write_folder(tmp_path, {"Total value added": va, "Employment (persons)": [3.0, 9.0, 20.0],
                             "CO2 emissions": [1.0, 2.0, 0.5]})
    t = gs.io.read_csv_folder(str(tmp_path))
    assert list(t.value_added.index) == ["compensation", "surplus"]
    assert list(t.satellite.index) == ["Employment (persons)", "CO2 emissions"]
    np.testing.assert_allclose(t.value_added.sum().loc[S].to_numpy(), va, rtol=1e-12)
    np.testing.assert_allclose(t.satellite.loc["Employment (persons)", S].to_numpy(), [3.0, 9.0, 20.0])
    np.testing.assert_allclose(t.leontief_inverse().loc[S, S].to_numpy(), _reference(), rtol=1e-12)


def test_read_csv_folder_explicit_roles(tmp_path):
    va = X.to_numpy() - Z.sum(axis=0).to_numpy()
    _write_folder(tmp_path, {"T00OTOP": va, "EMP": [3.0, 9.0, 20.0]})
    with pytest.raises(DataError, match=r"differs from intermediate inputs plus value added by more than 1% in 3 of 3 sectors \(worst: ser"):
        gs.io.read_csv_folder(str(tmp_path))
    t = gs.io.read_csv_folder(str(tmp_path), total_rows=["T00OTOP"], satellite_rows=["EMP"])
    assert list(t.value_added.index) == ["compensation", "surplus"] and list(t.satellite.index) == ["EMP"]
    t = gs.io.read_csv_folder(str(tmp_path), value_added_rows=["compensation", "surplus"], satellite_rows=["EMP"])
    assert list(t.value_added.index) == ["compensation", "surplus"]
    with pytest.raises(DataError, match="satellite_rows names rows not in the file: 'JOBS'"):
        gs.io.read_csv_folder(str(tmp_path), satellite_rows=["JOBS"])
    with pytest.warns(UserWarning, match="differs from intermediate inputs"):
        gs.io.read_csv_folder(str(tmp_path), on_imbalance="warn")


def test_read_csv_folder_rejects_mismatched_labels(tmp_path):
    _write_folder(tmp_path, {})
    Y.rename(index={"man": "manufacturing"}).to_csv(tmp_path / "Y.csv")
    with pytest.raises(DataError, match="Y rows.*missing 'man'.*'manufacturing'"):
        gs.io.read_csv_folder(str(tmp_path))


@pytest.mark.parametrize("label, role", [
    ("Total", "subtotal"), ("subtotal intermediate", "subtotal"), ("gross output", "subtotal"),
    ("GVA", "value_added"), ("Employment", "satellite"), ("sat:water", "satellite"), ("FTE jobs", "satellite"),
    ("Compensation of employees", "value_added"), ("sat:taxes paid", "satellite"), ("V00100", "value_added"), ("taxes less subsidies", "value_added"),
])
def test_naming_rule(label, role):
    assert gs.io.classify_primary_input_row(label) == role
