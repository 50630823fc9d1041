"""Published input-output table formats: readers, a writer, and aggregation by concordance.

Readers return an :class:`govsim.io.IOTable` with the source's own labels: regions, sector codes,
final-demand categories, value-added (primary-input) rows and satellite accounts.

========================  ===========================================================================
reader                    format
========================  ===========================================================================
:func:`read_wiod`         WIOD world input-output table (WIOT), 2013 and 2016 releases: the Excel
                          sheet (``.xlsx``; ``.xlsb`` with pyxlsb) or a CSV export of it
:func:`read_oecd_icio`    OECD Inter-Country Input-Output table, one CSV per year
:func:`read_exiobase3`    EXIOBASE 3 ``IOT_<year>_pxp`` / ``_ixi`` folder (or its zip)
:func:`read_pymrio`       a folder saved by pymrio (``Z.txt``, ``Y.txt``, extension sub-folders)
:func:`read_eurostat`     Eurostat symmetric input-output table (naio_10_cp1700 / cp1750), TSV or
                          SDMX-CSV download
:func:`read_eurostat_supply_use`  Eurostat supply (naio_10_cp15) and use (naio_10_cp16) tables
========================  ===========================================================================

:func:`write_table` saves any table as a folder of CSV files (read back by
:func:`govsim.io.read_csv_folder` or :func:`read_table`) or as Parquet files when pyarrow is
installed. :func:`aggregate` merges sectors and/or regions by a concordance;
:func:`aggregate_to` merges a table down to ``n`` sectors deterministically.

Where to download the tables: see ``docs/io_formats.md``.
"""
from __future__ import annotations

import csv
import gzip
import io as _pyio
import json
import os
import re
import zipfile
from typing import Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ._core import DataError, DimensionError, OptionsError

__all__ = [
    "read_wiod", "read_oecd_icio", "read_exiobase3", "read_pymrio", "read_eurostat",
    "read_eurostat_supply_use", "write_table", "read_table", "aggregate", "aggregate_to",
]


def _IOTable():
    from .io import IOTable

    return IOTable


def _need(path: str) -> None:
    if not os.path.exists(path):
        raise DataError(f"{path}: no such file or folder")


def _floats(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Numeric frame; empty cells are 0, anything else that is not a number is an error naming it."""
    out = df.apply(pd.to_numeric, errors="coerce")
    bad = out.isna() & df.notna() & (df.astype(str).apply(lambda c: c.str.strip()) != "")
    if bad.any().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise DataError(f"{where}: non-numeric value {df.iat[r, c]!r} at row {df.index[r]!r}, column {df.columns[c]!r}")
    return out.fillna(0.0)


# ====================================================================================== WIOD
_WIOD_TOTAL_ROWS = {"II_fob", "GO", "TOT"}  # total intermediate use; gross output


def _read_sheet(path: str, sheet) -> pd.DataFrame:
    ext = os.path.splitext(path)[1].lower()
    if ext in (".csv", ".txt"):
        return pd.read_csv(path, header=None, dtype=object, keep_default_na=False, na_values=[""])
    if ext in (".xlsx", ".xlsm"):
        try:
            import openpyxl  # noqa: F401
        except ImportError as e:
            raise ImportError(f"{path}: reading .xlsx needs openpyxl (Debian: python3-openpyxl)") from e
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    if ext == ".xlsb":
        try:
            import pyxlsb  # noqa: F401
        except ImportError as e:
            raise ImportError(f"{path}: the 2016 WIOD release is .xlsb; install pyxlsb, or save the sheet as "
                              f".xlsx or .csv and read that") from e
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="pyxlsb")
    if ext == ".xls":
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    raise DataError(f"{path}: unknown extension {ext!r} (expected .xlsx, .xlsb, .xls or .csv)")


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


def read_wiod(path: str, *, sheet=0, labels: str = "code"):
    """Read a WIOD world input-output table (WIOT) in its published sheet layout.

    Both releases share the layout: two title rows, then four header rows (sector code, sector
    description, country, column number ``c1``... ), and data rows with the same four label
    columns (code, description, country, row number: ``r1``... in 2016, ``c1``... in 2013). Intermediate columns come first,
    then final demand (2016: CONS_h, CONS_np, CONS_g, GFCF, INVEN; 2013: c37-c42 by country),
    then total output (``GO`` / ``c62``). Below the industries come the total of intermediate
    consumption (``II_fob`` / ``r60``), the primary inputs (2016: TXSP, EXP_adj, PURR, PURNR, VA,
    IntTTM; 2013: r61-r68) and output (``GO`` / ``r69``).

    Parameters
    ----------
    path : str
        ``WIOT2014_Nov16_ROW.xlsb`` (2016 release), ``wiot09_row_sep12.xlsx`` (2013 release), or
        the sheet saved as CSV.
    sheet : int or str
        Worksheet (Excel files).
    labels : {"code", "name"}
        Label sectors by WIOD code (A01, C10-C12; 2013: AtB, 15t16) or by description.

    Returns
    -------
    IOTable
        (country, sector) rows; final demand (country, category) columns; value added = the
        primary-input rows; x = the output row (checked against Z and the primary inputs).
        Romania's early code ROM is read as ROU, as in later years.
    """
    _need(path)
    raw = _read_sheet(path, sheet)
    cells = raw.map(_cell) if hasattr(raw, "map") else raw.applymap(_cell)
    # the column-number header row: "c1" in the fifth column
    hits = [i for i in range(min(len(cells), 20)) if cells.shape[1] > 4 and cells.iat[i, 4] == "c1"]
    if not hits or hits[0] < 3:
        raise DataError(f"{path}: not a WIOD sheet (no header row with 'c1' in column E within the first 20 rows)")
    h = hits[0]
    code_row, name_row, reg_row = cells.iloc[h - 3], cells.iloc[h - 2], cells.iloc[h - 1]
    body = cells.iloc[h + 1:].reset_index(drop=True)
    body = body[(body.iloc[:, 0] != "") | (body.iloc[:, 3] != "")]
    rows_region = body.iloc[:, 2].replace("ROM", "ROU")
    # row numbers: r1, r2 ... (2016 release) or c1, c2 ... (2013 release)
    is_ind = (rows_region != "") & (rows_region != "TOT") & body.iloc[:, 3].str.match(r"^[rc]\d+$") & \
        ~body.iloc[:, 0].isin(_WIOD_TOTAL_ROWS)
    # industries: the leading block of rows with a country
    n = int(np.argmin(is_ind.to_numpy())) if not is_ind.all() else len(is_ind)
    if n == 0:
        raise DataError(f"{path}: no industry rows below the header")
    ind = body.iloc[:n]
    rest = body.iloc[n:]
    col_region = reg_row.iloc[4:].replace("ROM", "ROU").to_numpy()
    col_code = code_row.iloc[4:].to_numpy()
    col_num = cells.iloc[h, 4:].to_numpy()
    col_name = name_row.iloc[4:].to_numpy()
    ncol = len(col_num)
    row_key = list(zip(rows_region.iloc[:n], ind.iloc[:, 0]))
    col_key = list(zip(col_region[:n], col_code[:n]))
    if ncol < n or row_key != col_key:
        raise DataError(f"{path}: the first {n} columns do not carry the same (country, code) labels as the "
                        f"{n} industry rows")
    values = _floats(body.iloc[:, 4:4 + ncol].set_axis(range(ncol), axis=1), path).to_numpy()
    Zv = values[:n, :n]
    total_cols = [j for j in range(n, ncol) if col_region[j] in ("", "TOT") or col_code[j] in ("GO", "TOT")
                  or col_num[j] == "c62"]
    fd_cols = [j for j in range(n, ncol) if j not in total_cols and col_num[j] != ""]
    Yv = values[:n, fd_cols]
    fd_cat = [col_code[j] or col_num[j] for j in fd_cols]
    secs = [(ind.iat[i, 1] if labels == "name" else ind.iat[i, 0]) for i in range(n)]
    if labels not in ("code", "name"):
        raise OptionsError(f"read_wiod: labels must be 'code' or 'name', got {labels!r}")
    idx = pd.MultiIndex.from_arrays([list(rows_region.iloc[:n]), secs], names=["region", "sector"])
    Z = pd.DataFrame(Zv, index=idx, columns=idx)
    Y = pd.DataFrame(Yv, index=idx, columns=pd.MultiIndex.from_arrays([[col_region[j] for j in fd_cols], fd_cat],
                                                                      names=["region", "category"]))
    # primary inputs: rows below the industries except the totals
    va_names, va_rows, x = [], [], None
    vals_rest = values[n:, :n]
    for k in range(len(rest)):
        code, name, num = rest.iat[k, 0], rest.iat[k, 1], rest.iat[k, 3]
        # 2016: codes GO / II_fob; 2013: no code, row numbers r69 / r60
        if code == "GO" or (not code and num == "r69"):
            x = vals_rest[k]
        elif code == "II_fob" or (not code and num == "r60"):
            continue
        else:
            va_names.append(code or name or num)
            va_rows.append(vals_rest[k])
    va = pd.DataFrame(np.array(va_rows).reshape(len(va_rows), n), index=va_names, columns=idx) if va_rows else None
    if x is not None and va is not None:
        gap = np.abs(Zv.sum(axis=0) + va.to_numpy().sum(axis=0) - x)
        tol = 1e-6 * max(1.0, float(np.abs(x).max()))
        if gap.max() > tol:
            j = int(np.argmax(gap))
            raise DataError(f"{path}: column {idx[j]}: intermediate inputs + primary inputs differ from output "
                            f"by {gap[j]:.6g}")
    unit = "millions of US$"
    for i in range(h):
        if "US$" in cells.iat[i, 0] or "millions" in cells.iat[i, 0].lower():
            unit = cells.iat[i, 0].strip("()")
    return _IOTable()(Z, Y, x, value_added=va, unit=unit)


# ================================================================================ OECD ICIO
_OECD_FD = ("HFCE", "NPISH", "NPS", "GGFC", "GFCF", "INVNT", "INV", "DPABR", "DIRP", "NONRES", "FD", "P33", "DISC")
_OECD_TOTALS = ("OUT", "OUTPUT", "TOTAL", "TOT")
_OECD_VA = ("TLS", "VA", "VALU", "TAXSUB")


def read_oecd_icio(path: str, *, merge_subregions: bool = True):
    """Read an OECD Inter-Country Input-Output table (``ICIO2023_2019.csv`` and earlier releases).

    Layout: one CSV, first column and header row label ``<country>_<industry>`` (e.g.
    ``AUS_A01_02``, ``DEU_C10T12``); final-demand columns ``<country>_<category>`` (HFCE, NPISH,
    GGFC, GFCF, INVNT, DPABR; the 2016 release writes ``<category>_<country>``); the total column
    ``OUT``/``TOTAL``; rows ``TLS`` (taxes less subsidies on intermediate products) and ``VA``
    below the industries (2016: ``TAXSUB``, ``VALU``) and the output row ``OUT``/``OUTPUT``.

    ``merge_subregions``: add China's and Mexico's split parts (CN1, CN2, MX1, MX2 ...) into CHN
    and MEX, as the OECD's own country tables do.

    Returns an IOTable in USD million with the value-added rows (TLS, VA); x is the output row,
    checked against Z and value added.
    """
    _need(path)
    raw = pd.read_csv(path, index_col=0, dtype=object, keep_default_na=False, na_values=[""])
    raw.index = [str(i).strip() for i in raw.index]
    raw.columns = [str(c).strip() for c in raw.columns]
    rows, cols = list(raw.index), list(raw.columns)

    def is_fd(c):
        parts = c.split("_")
        return len(parts) >= 2 and (parts[1] in _OECD_FD or parts[0] in _OECD_FD) or c in _OECD_FD

    total_cols = [c for c in cols if c in _OECD_TOTALS]
    fd_cols = [c for c in cols if c not in total_cols and is_fd(c)]
    va_rows = [r for r in rows if r in _OECD_VA]
    total_rows = [r for r in rows if r in _OECD_TOTALS]
    ind_rows = [r for r in rows if r not in va_rows and r not in total_rows]
    ind_cols = [c for c in cols if c not in total_cols and c not in fd_cols]
    if ind_rows != ind_cols:
        extra = sorted(set(ind_rows) ^ set(ind_cols))[:5]
        raise DataError(f"{path}: industry rows and columns differ (e.g. {extra})")
    vals = _floats(raw, path)

    def split(label):
        if "_" not in label:
            raise DataError(f"{path}: label {label!r} is not <country>_<industry>")
        r, s = label.split("_", 1)
        return r, s

    keys = [split(r) for r in ind_rows]
    idx = pd.MultiIndex.from_tuples(keys, names=["region", "sector"])
    fd_keys = []
    regions = {k[0] for k in keys}
    for c in fd_cols:
        a, _, b = c.partition("_")
        fd_keys.append((b, a) if a in _OECD_FD and b in regions else (a, b) if b else ("ALL", a))
    Z = pd.DataFrame(vals.loc[ind_rows, ind_cols].to_numpy(), index=idx, columns=idx)
    Y = pd.DataFrame(vals.loc[ind_rows, fd_cols].to_numpy(), index=idx,
                     columns=pd.MultiIndex.from_tuples(fd_keys, names=["region", "category"]))
    va = pd.DataFrame(vals.loc[va_rows, ind_cols].to_numpy(), index=va_rows, columns=idx)
    x = vals.loc[total_rows[0], ind_cols].to_numpy() if total_rows else None
    if x is not None:
        gap = np.abs(Z.to_numpy().sum(axis=0) + va.to_numpy().sum(axis=0) - x)
        if gap.max() > 1e-6 * max(1.0, float(np.abs(x).max())):
            j = int(np.argmax(gap))
            raise DataError(f"{path}: column {ind_cols[j]}: Z + value added differ from output by {gap[j]:.6g}")
    t = _IOTable()(Z, Y, x, value_added=va, unit="USD million")
    if merge_subregions:
        sub = {r: ("CHN" if r.startswith("CN") else "MEX") for r in regions if re.fullmatch(r"(CN|MX)\d+", r)}
        if sub:
            t = aggregate(t, regions={r: sub.get(r, r) for r in t.regions})
    return t


# ============================================================================ pymrio / EXIOBASE
def _read_pandas_txt(opener, name: str, sep: str = "\t", index_cols: int = 1) -> pd.DataFrame:
    """A table written by pandas ``to_csv`` with a MultiIndex on both axes (pymrio's text format):
    column-level lines (``region``/``sector`` in the first cell), one index-names line, data."""
    with opener(name) as f:
        text = f.read()
    lines = text.splitlines()
    if len(lines) < 2:
        raise DataError(f"{name}: empty or truncated file")
    first = next(csv.reader([lines[0]], delimiter=sep))
    k = 1
    while k < len(first) and first[k] == "":
        k += 1
    # number of column-level lines: the first line whose cells after the index are all empty is
    # the index-names line
    L = 0
    for L, line in enumerate(lines):
        cells = next(csv.reader([line], delimiter=sep))
        if all(c == "" for c in cells[k:]):
            break
    else:
        L = 0  # a single header line naming index and columns (x.txt, unit.txt)
    if L == 0:
        df = pd.read_csv(_pyio.StringIO(text), sep=sep, index_col=list(range(index_cols)))
    else:
        df = pd.read_csv(_pyio.StringIO(text), sep=sep, index_col=list(range(k)), header=list(range(L)))
    return df


def _opener(path: str):
    """open(name) relative to a folder or inside a zip archive (optionally under one top folder)."""
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        names = z.namelist()
        prefix = ""
        tops = {n.split("/")[0] for n in names if "/" in n}
        if not any(n.endswith("Z.txt") and "/" not in n for n in names) and len(tops) == 1:
            prefix = tops.pop() + "/"

        def op(name):
            return _pyio.TextIOWrapper(z.open(prefix + name), encoding="utf-8")

        def exists(name):
            return prefix + name in names

        def listdir():
            return sorted({n[len(prefix):].split("/")[0] for n in names if n.startswith(prefix) and
                           n[len(prefix):].endswith("/") or (n.startswith(prefix) and "/" in n[len(prefix):])})
        return op, exists, listdir
    if not os.path.isdir(path):
        raise DataError(f"{path}: not a folder or a zip archive")
    return (lambda name: open(os.path.join(path, name), encoding="utf-8"),
            lambda name: os.path.exists(os.path.join(path, name)),
            lambda: sorted(os.listdir(path)))


def read_pymrio(path: str, *, extensions: Optional[Sequence[str]] = None, value_added: Optional[str] = "factor_inputs",
                x_from_file: bool = True):
    """Read a folder in pymrio's text format (what ``IOSystem.save_all`` writes and EXIOBASE 3 ships).

    Files: ``Z.txt`` and ``Y.txt`` (tab-separated; row index region, sector; column index region,
    sector / region, category), optionally ``x.txt``, and one sub-folder per extension with
    ``F.txt`` (stressor rows; may have extra index levels such as compartment), ``F_Y.txt`` and
    ``unit.txt``. A zip archive of such a folder works too.

    Parameters
    ----------
    extensions : list of str, optional
        Extension folders to read as satellite accounts (default: every folder with an F.txt,
        except the value-added one). Satellite rows are named ``<extension>/<stressor>`` (index
        levels joined by ' | ').
    value_added : str or None
        The extension holding primary inputs (EXIOBASE: ``factor_inputs``); its rows become the
        value-added block.
    x_from_file : bool
        Use ``x.txt`` when present (else x = Z 1 + Y 1).
    """
    _need(path)
    op, exists, listdir = _opener(path)
    if not exists("Z.txt"):
        raise DataError(f"{path}: no Z.txt (expected a pymrio/EXIOBASE folder: Z.txt, Y.txt, extension folders)")
    Z = _read_pandas_txt(op, "Z.txt")
    Y = _read_pandas_txt(op, "Y.txt") if exists("Y.txt") else None
    if not isinstance(Z.index, pd.MultiIndex) or Z.index.nlevels != 2:
        raise DataError(f"{path}/Z.txt: expected two index columns (region, sector)")
    if list(Z.index) != list(Z.columns):
        raise DataError(f"{path}/Z.txt: row and column labels differ")
    if Y is not None and list(Y.index) != list(Z.index):
        raise DataError(f"{path}/Y.txt: rows do not match Z.txt")
    x = None
    if x_from_file and exists("x.txt"):
        xs = _read_pandas_txt(op, "x.txt", index_cols=2)
        x = xs.iloc[:, 0].reindex(Z.index)
        if x.isna().any():
            raise DataError(f"{path}/x.txt: missing rows for {list(x.index[x.isna()])[:3]}")
        x = x.to_numpy(float)
    va, sats = None, []
    folders = [d for d in listdir() if exists(f"{d}/F.txt")]
    wanted = folders if extensions is None else list(extensions)
    for d in wanted:
        if d not in folders:
            raise DataError(f"{path}: no extension folder {d!r} with F.txt (found {folders})")
    for d in folders:
        if d != value_added and d not in wanted:
            continue
        F = _read_pandas_txt(op, f"{d}/F.txt")
        if list(F.columns) != list(Z.columns):
            F = F.reindex(columns=Z.columns)
            if F.isna().any().any():
                raise DataError(f"{path}/{d}/F.txt: columns do not cover every (region, sector) of Z")
        names = [" | ".join(map(str, r)) if isinstance(r, tuple) else str(r) for r in F.index]
        F = pd.DataFrame(F.to_numpy(float), index=names, columns=Z.index)
        if d == value_added:
            va = F
        else:
            F.index = [f"{d}/{nm}" for nm in names]
            sats.append(F)
    sat = pd.concat(sats) if sats else None
    Z.index = Z.index.set_names(["region", "sector"])
    Z.columns = Z.index
    return _IOTable()(Z.astype(float), Y.astype(float) if Y is not None else None, x, value_added=va,
                      satellite=sat, unit=_unit_of(op, exists))


def _unit_of(op, exists) -> str:
    if exists("unit.txt"):
        try:
            u = _read_pandas_txt(op, "unit.txt", index_cols=2)
            vals = pd.unique(u.iloc[:, 0].astype(str))
            return str(vals[0]) if len(vals) == 1 else ""
        except (DataError, ValueError):
            return ""
    return ""


def read_exiobase3(path: str, *, extensions: Optional[Sequence[str]] = None):
    """Read an EXIOBASE 3 monetary table: the ``IOT_<year>_pxp`` (product x product) or
    ``IOT_<year>_ixi`` (industry x industry) folder or zip from Zenodo.

    The folder holds ``Z.txt``, ``Y.txt``, ``x.txt``, ``A.txt``, ``unit.txt`` and extension folders
    (3.8 and later: ``air_emissions``, ``employment``, ``energy``, ``factor_inputs``, ``land``,
    ``material``, ``nutrients``, ``water``; earlier: ``satellite`` and ``impacts``), each with
    ``F.txt``, ``F_Y.txt`` and ``unit.txt``; tab-separated, with pandas' multi-row headers.
    ``factor_inputs`` becomes the value-added block (for the single ``satellite`` folder, its
    rows starting with "Taxes", "Other net taxes", "Compensation" and "Operating surplus");
    every other extension becomes satellite rows ``<folder>/<stressor>``. The table is in M.EUR.
    """
    _need(path)
    op, exists, listdir = _opener(path)
    if not exists("Z.txt"):
        raise DataError(f"{path}: no Z.txt; give the IOT_<year>_pxp or IOT_<year>_ixi folder (or its zip)")
    folders = [d for d in listdir() if exists(f"{d}/F.txt")]
    if "factor_inputs" in folders or "satellite" not in folders:
        return read_pymrio(path, extensions=extensions, value_added="factor_inputs")
    # EXIOBASE 3.4-3.7: factor inputs are the first rows of satellite/F.txt
    t = read_pymrio(path, extensions=extensions, value_added=None)
    sat = t.satellite
    fi = [r for r in sat.index if r.split("/", 1)[1].startswith(("Taxes less subsidies", "Other net taxes",
                                                                   "Compensation of employees", "Operating surplus"))]
    if not fi:
        return t
    va = sat.loc[fi].copy()
    va.index = [r.split("/", 1)[1] for r in fi]
    rest = sat.drop(index=fi)
    return _IOTable()(t.Z, t.Y, t.x.to_numpy(), value_added=va, satellite=rest if len(rest) else None, unit=t.unit)


# ============================================================================== Eurostat
_ESTAT_FD = ("P3_S14", "P3_S15", "P3_S13", "P51G", "P5M", "P52", "P53", "P6")
_ESTAT_VA = ("D21X31", "D1", "D29X39", "B2A3G", "D214X31", "D11", "D29", "D39", "D31X21", "B2A3N", "P51C", "OP_RES",
             "OP_NRES")
_ESTAT_SKIP = {"TOTAL", "P1", "P2", "B1G", "TU", "TS", "P3", "P5", "P5G", "TFU", "TFUDOM", "TFUIMP", "TOT", "CPA_TOTAL",
               "TOTAL_P", "D1X", "B2N_B3N", "P7", "P1_BP", "TU_BP", "TS_BP"}


def _eurostat_long(path: str) -> pd.DataFrame:
    """Eurostat TSV (``freq,unit,...,geo\\TIME_PERIOD`` + year columns, values with flags, ':' for
    missing) or SDMX-CSV (DATAFLOW, ..., TIME_PERIOD, OBS_VALUE, OBS_FLAG) as a long frame with one
    column per dimension plus ``time`` and ``value``."""
    _need(path)
    opener = (lambda: gzip.open(path, "rt", encoding="utf-8")) if path.endswith(".gz") \
        else (lambda: open(path, encoding="utf-8"))
    with opener() as f:
        head = f.readline()
    if "\t" in head and "\\" in head.split("\t")[0]:
        with opener() as f:
            df = pd.read_csv(f, sep="\t", dtype=str, keep_default_na=False)
        key = df.columns[0]
        dims, _, timedim = key.partition("\\")
        dims = [d.strip() for d in dims.split(",")]
        parts = df[key].str.split(",", expand=True)
        if parts.shape[1] != len(dims):
            raise DataError(f"{path}: first column {key!r} names {len(dims)} dimensions, rows have {parts.shape[1]}")
        parts.columns = dims
        years = [c for c in df.columns[1:]]
        long = parts.join(df[years]).melt(id_vars=dims, var_name="time", value_name="raw")
        long["time"] = long["time"].str.strip()
        raw = long["raw"].str.strip()
        num = raw.str.extract(r"^([-+0-9.eE]+)")[0]
        bad = num.isna() & ~raw.str.startswith(":") & (raw != "")
        if bad.any():
            i = bad.idxmax()
            raise DataError(f"{path}: value {long.at[i, 'raw']!r} is neither a number (with flags) nor ':'")
        long["value"] = pd.to_numeric(num)
        return long.drop(columns="raw")
    with opener() as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
    if "OBS_VALUE" not in df.columns or "TIME_PERIOD" not in df.columns:
        raise DataError(f"{path}: neither Eurostat TSV (first column 'dims\\TIME_PERIOD') nor SDMX-CSV "
                        f"(columns TIME_PERIOD, OBS_VALUE)")
    skip = {"DATAFLOW", "LAST UPDATE", "OBS_FLAG", "CONF_STATUS", "OBS_VALUE", "TIME_PERIOD"}
    dims = [c for c in df.columns if c not in skip]
    out = df[dims].copy()
    for d in dims:  # SDMX-CSV with labels writes "CODE:Label"
        out[d] = out[d].str.split(":", n=1).str[0]
    out["time"] = df["TIME_PERIOD"].str.strip()
    out["value"] = pd.to_numeric(df["OBS_VALUE"].replace("", np.nan))
    return out


def _select(long: pd.DataFrame, path: str, **fixed) -> pd.DataFrame:
    for dim, val in fixed.items():
        if dim not in long.columns:
            continue
        have = sorted(long[dim].unique())
        if val is None:
            if len(have) > 1:
                raise DataError(f"{path}: several values of {dim} ({have[:8]}); choose one with {dim}=...")
            continue
        if str(val) not in have:
            raise DataError(f"{path}: {dim}={val!r} not in the file (available: {have[:8]})")
        long = long[long[dim] == str(val)]
    return long


def _estat_matrix(long: pd.DataFrame, path: str, rowdim="prod_na", coldim="induse") -> pd.DataFrame:
    for d in (rowdim, coldim):
        if d not in long.columns:
            raise DataError(f"{path}: no dimension {d!r} (dimensions: {[c for c in long.columns if c not in ('time', 'value')]})")
    if long.duplicated([rowdim, coldim]).any():
        raise DataError(f"{path}: several values per ({rowdim}, {coldim}); fix the other dimensions")
    return long.pivot(index=rowdim, columns=coldim, values="value").fillna(0.0)


def read_eurostat(path: str, *, geo: Optional[str] = None, time=None, unit: Optional[str] = None,
                  stk_flow: Optional[str] = "TOTAL"):
    """Read a Eurostat symmetric input-output table (naio_10_cp1700 product x product, naio_10_cp1750
    industry x industry; also the _cp1610/_cp1620 ... variants) from the TSV or SDMX-CSV download.

    Each line of the download is one cell identified by its dimensions (freq, unit, stk_flow,
    induse = column, prod_na = row, geo, time). Sectors are the codes found both as rows and as
    columns (CPA_A01... or A01...); final demand = the columns P3_S14, P3_S15, P3_S13, P51G, P5M
    (or P52, P53), P6; value added = the rows D21X31, D1, D29X39, B2A3G (and the other ESA primary
    input codes present); totals (P1, P2, B1G, TU, TOTAL...) are not read except output P1, used as x.

    Parameters
    ----------
    geo, time, unit, stk_flow : str, optional
        Which country, year, unit (MIO_EUR, MIO_NAC) and flow (TOTAL, DOM, IMP) to read;
        required when the file holds several. With ``stk_flow="DOM"`` (domestic flows) the
        imported intermediate inputs of each sector (the IMP block summed over products) become
        the value-added row ``IMP``, so that columns still add up to output.
    """
    full = _eurostat_long(path)
    long = _select(full, path, geo=geo, time=None if time is None else str(time), unit=unit, stk_flow=stk_flow,
                   freq=None)
    M = _estat_matrix(long, path)
    rows, cols = list(M.index), list(M.columns)
    sectors = [c for c in cols if c in rows and c not in _ESTAT_SKIP and c not in _ESTAT_FD and c not in _ESTAT_VA]
    if not sectors:
        raise DataError(f"{path}: no codes appear both as rows (prod_na) and columns (induse)")
    fd = [c for c in _ESTAT_FD if c in cols]
    if "P5M" in fd:
        fd = [c for c in fd if c not in ("P52", "P53")]
    va_rows = [r for r in _ESTAT_VA if r in rows]
    if "D214X31" in va_rows and "D21X31" in va_rows:
        va_rows.remove("D214X31")
    Z = M.loc[sectors, sectors]
    Y = M.loc[sectors, fd]
    va = M.loc[va_rows, sectors] if va_rows else None
    x = M.loc["P1", sectors].to_numpy() if "P1" in rows else None
    if stk_flow == "DOM" and "stk_flow" in full.columns and (full["stk_flow"] == "IMP").any():
        # a domestic table: imported intermediate inputs become a primary-input row
        imp = _estat_matrix(_select(full, path, geo=geo, time=None if time is None else str(time), unit=unit,
                                    stk_flow="IMP", freq=None), path)
        row = imp.reindex(index=sectors, columns=sectors, fill_value=0.0).sum(axis=0).rename("IMP")
        va = row.to_frame().T if va is None else pd.concat([va, row.to_frame().T])
    u = unit or (long["unit"].iloc[0] if "unit" in long.columns and len(long) else "")
    return _IOTable()(Z, Y, x, value_added=va, unit=u)


def read_eurostat_supply_use(supply_path: str, use_path: str, *, geo: Optional[str] = None, time=None,
                             unit: Optional[str] = None, kind: str = "industry", normalisation: Optional[str] = None):
    """Symmetric table from Eurostat's supply table at basic prices (naio_10_cp15: products x
    industries, ``prod_na`` x ``induse``) and use table (naio_10_cp16) under the industry
    technology assumption (:func:`govsim.io.from_make_use`; ``kind`` and ``normalisation`` as there).

    Products are the CPA_ codes, industries the NACE codes found as columns of both tables; final
    demand and value added are read as in :func:`read_eurostat`.
    """
    from .io import from_make_use

    S = _estat_matrix(_select(_eurostat_long(supply_path), supply_path, geo=geo, time=None if time is None else str(time),
                              unit=unit, stk_flow="TOTAL", freq=None), supply_path)
    U = _estat_matrix(_select(_eurostat_long(use_path), use_path, geo=geo, time=None if time is None else str(time),
                              unit=unit, stk_flow="TOTAL", freq=None), use_path)
    products = [r for r in U.index if r.startswith("CPA_") and r not in _ESTAT_SKIP and r in S.index]
    industries = [c for c in U.columns if c in S.columns and c not in _ESTAT_SKIP and c not in _ESTAT_FD and
                  not c.startswith("CPA_") and c not in ("P7", "P7_CIF", "P7_FOB", "D21X31", "OTTM")]
    if not products or not industries:
        raise DataError(f"{use_path}: no CPA_ products or industries shared with the supply table")
    make = S.loc[products, industries].T
    use = U.loc[products, industries]
    fd = U.loc[products, [c for c in _ESTAT_FD if c in U.columns and not (c in ("P52", "P53") and "P5M" in U.columns)]]
    va = U.loc[[r for r in _ESTAT_VA if r in U.index and not (r == "D214X31" and "D21X31" in U.index)], industries]
    kw = {} if normalisation is None else {"normalisation": normalisation}
    return from_make_use(make, use, fd, va if len(va) else None, kind=kind, unit=unit or "", **kw)


# =============================================================================== writer
def _flat(labels) -> list:
    return ["/".join(map(str, t)) if isinstance(t, tuple) else str(t) for t in labels]


def _require_pyarrow(what: str, instead: str) -> None:
    """Parquet goes through pandas and pyarrow, an optional dependency: say so when it is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise ImportError(f"{what} needs the pyarrow package, which is not installed (pip install pyarrow; "
                          f"Debian 12 does not package it); {instead}") from e


def write_table(table, path: str, *, format: str = "csv") -> str:
    """Save a table to a folder: ``Z``, ``Y``, ``x`` and, when present, ``value_added`` and
    ``satellite``, as CSV files (``format="csv"``, the layout :func:`govsim.io.read_csv_folder`
    reads) or Parquet files (``format="parquet"``, needs the optional pyarrow package, which Debian 12
    does not package: ``pip install pyarrow``; without it an ImportError says so), plus ``table.json`` with the unit
    and the final-demand regions. :func:`read_table` reads either back into an identical table.
    Returns the folder."""
    if format not in ("csv", "parquet"):
        raise OptionsError(f"write_table: format must be 'csv' or 'parquet', got {format!r}")
    if format == "parquet":
        _require_pyarrow("write_table(format='parquet')", "use format='csv'")
    os.makedirs(path, exist_ok=True)
    core = table.core
    mr = table.is_multiregional
    idx = table.index
    fd_names = list(core.final_demand_names)
    fd_regions = list(core.final_demand_regions)
    Z, Y, x = table.Z, table.Y, table.x.to_frame("x")
    if mr:
        if len(fd_regions) == len(fd_names):
            cats = [nm[len(r) + 1:] if nm.startswith(r + "/") else nm for r, nm in zip(fd_regions, fd_names)]
            Y.columns = pd.MultiIndex.from_arrays([fd_regions, cats], names=["region", "category"])
        else:
            Y.columns = pd.MultiIndex.from_arrays([[""] * len(fd_names), fd_names], names=["region", "category"])
    frames = {"Z": Z, "Y": Y, "x": x}
    if core.value_added.shape[0]:
        frames["value_added"] = table.value_added
    if core.satellite.shape[0]:
        frames["satellite"] = table.satellite
    meta = {"format": "govsim-iotable", "version": 1, "unit": table.unit, "multiregional": mr,
            "final_demand": fd_names, "final_demand_regions": fd_regions, "files": sorted(frames)}
    for name, df in frames.items():
        if format == "csv":
            df.to_csv(os.path.join(path, f"{name}.csv"), float_format="%.17g")
        else:
            flat = df.copy()
            flat.columns = _flat(flat.columns)
            flat = flat.reset_index()
            flat.columns = [str(c) for c in flat.columns]
            flat.to_parquet(os.path.join(path, f"{name}.parquet"), index=False)
    meta["index"] = {"regions": list(core.regions) if mr else [], "sectors": list(core.sectors)}
    with open(os.path.join(path, "table.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return path


def read_table(path: str):
    """Read a folder written by :func:`write_table` (CSV or Parquet) back into an identical IOTable."""
    meta_path = os.path.join(path, "table.json")
    if not os.path.exists(meta_path):
        from .io import read_csv_folder

        return read_csv_folder(path)
    with open(meta_path) as f:
        meta = json.load(f)
    fmt = "parquet" if os.path.exists(os.path.join(path, "Z.parquet")) else "csv"
    if fmt == "parquet":
        _require_pyarrow(f"read_table: {path!r} holds Parquet files; reading them",
                         "install it, or write the table with format='csv'")
    mr = meta["multiregional"]
    n = len(meta["index"]["sectors"])

    def load(name):
        p = os.path.join(path, f"{name}.{fmt}")
        if fmt == "parquet":
            return pd.read_parquet(p)
        if name in ("Z", "Y"):
            return pd.read_csv(p, header=[0, 1] if mr else 0, index_col=[0, 1] if mr else 0, keep_default_na=False,
                               na_values=[""], float_precision="round_trip")
        if name == "x":
            return pd.read_csv(p, index_col=[0, 1] if mr else 0, float_precision="round_trip")
        return pd.read_csv(p, header=[0, 1] if mr else 0, index_col=0, float_precision="round_trip")

    def block(name, rows_are_table: bool):
        df = load(name)
        if fmt == "parquet":
            lead = 2 if (mr and rows_are_table) else 1
            df = df.iloc[:, lead:] if rows_are_table else df.set_index(df.columns[0])
        return df.to_numpy(float)

    Z = block("Z", True)
    Y = block("Y", True)
    x = block("x", True).ravel()
    va = block("value_added", False) if "value_added" in meta["files"] else None
    sat = block("satellite", False) if "satellite" in meta["files"] else None

    def names(name):
        df = load(name)
        return [str(v) for v in (df.iloc[:, 0] if fmt == "parquet" else df.index)]

    return _IOTable()(Z, Y, x, sectors=meta["index"]["sectors"], regions=meta["index"]["regions"] or None,
                      final_demand=meta["final_demand"], final_demand_regions=meta["final_demand_regions"] or None,
                      value_added=va, value_added_names=names("value_added") if va is not None else None,
                      satellite=sat, satellite_names=names("satellite") if sat is not None else None,
                      unit=meta["unit"]) if Z.shape == (n, n) else _bad(path, Z.shape, n)


def _bad(path, shape, n):
    raise DataError(f"{path}: Z has shape {shape}, table.json lists {n} sectors")


# ============================================================================ aggregation
def _group_map(conc, labels: list, what: str) -> list:
    """Group of each label from a dict/Series, a two-column DataFrame (label, group) or a 0/1
    DataFrame (labels x groups)."""
    if conc is None:
        return list(labels)
    if isinstance(conc, pd.DataFrame):
        if conc.shape[1] == 2 and not all(pd.api.types.is_numeric_dtype(conc[c]) for c in conc.columns):
            conc = dict(zip(conc.iloc[:, 0].astype(str), conc.iloc[:, 1].astype(str)))
        else:
            M = conc.reindex([str(lbl) for lbl in dict.fromkeys(labels)])
            if M.isna().any().any():
                missing = list(M.index[M.isna().any(axis=1)])
                raise DataError(f"aggregate: no row for {what}(s) {missing[:5]} in the concordance matrix")
            vals = M.to_numpy(float)
            if not np.all((vals == 0) | (vals == 1)) or not np.all(vals.sum(axis=1) == 1):
                raise DataError(f"aggregate: a concordance matrix needs one 1 per {what} row (0 elsewhere)")
            conc = {str(r): str(M.columns[int(np.argmax(v))]) for r, v in zip(M.index, vals)}
    if isinstance(conc, pd.Series):
        conc = conc.to_dict()
    if isinstance(conc, Mapping):
        conc = {str(k): str(v) for k, v in conc.items()}
        missing = [s for s in dict.fromkeys(labels) if str(s) not in conc]
        if missing:
            raise DataError(f"aggregate: no group for {what}(s) {missing[:5]}")
        return [conc[str(s)] for s in labels]
    groups = [str(g) for g in conc]
    if len(groups) != len(labels):
        raise DimensionError(f"aggregate: {len(groups)} groups for {len(labels)} rows")
    return groups


def _summing(keys: list) -> tuple:
    """0/1 matrix S (groups x items) and the group keys in order of first appearance."""
    order, pos = [], {}
    for k in keys:
        if k not in pos:
            pos[k] = len(order)
            order.append(k)
    S = np.zeros((len(order), len(keys)))
    S[[pos[k] for k in keys], np.arange(len(keys))] = 1.0
    return S, order


def aggregate(table, sectors=None, regions=None):
    """Aggregate sectors and/or regions by a concordance.

    ``sectors`` and ``regions`` are each a dict or Series (label -> group), a DataFrame with two
    columns (label, group) or a 0/1 concordance matrix (labels as index, groups as columns), or a
    sequence with the group of each row (sectors only). Sector groups apply within every region.
    Flows are summed: Z' = S Z S', Y' = S Y R' (final-demand columns merged by region group and
    category), x' = S x, value added and satellites V' = V S'. Groups appear in order of first
    appearance; the result is a new IOTable.
    """
    core = table.core
    secs = list(core.sectors)
    mr = table.is_multiregional
    regs = list(core.regions) if mr else [""] * table.n
    if regions is not None and not mr:
        raise DataError("aggregate: regions= needs a multi-regional table")
    if sectors is not None and not isinstance(sectors, (Mapping, pd.Series, pd.DataFrame)) and mr:
        sec_groups = _group_map(sectors, list(range(table.n)), "row")
    else:
        sec_groups = _group_map(sectors, secs, "sector")
    reg_groups = _group_map(regions, regs, "region") if mr else regs
    S, keys = _summing(list(zip(reg_groups, sec_groups)))
    Z = S @ core.Z @ S.T
    x = S @ np.asarray(core.x)
    Y = np.asarray(core.Y)
    fd_names = list(core.final_demand_names)
    fd_regs = list(core.final_demand_regions)
    if mr and regions is not None and len(fd_regs) == len(fd_names):
        rmap = dict(zip(regs, reg_groups))
        cats = [nm[len(r) + 1:] if nm.startswith(r + "/") else nm for r, nm in zip(fd_regs, fd_names)]
        new_r = [rmap.get(r, r) for r in fd_regs]
        R, ckeys = _summing(list(zip(new_r, cats)))
        Y = Y @ R.T
        fd_names = [f"{r}/{c}" for r, c in ckeys]
        fd_regs = [r for r, _ in ckeys]
    Y = S @ Y
    va = np.asarray(core.value_added) @ S.T if core.value_added.shape[0] else None
    sat = np.asarray(core.satellite) @ S.T if core.satellite.shape[0] else None
    return _IOTable()(Z, Y, x, sectors=[k[1] for k in keys], regions=[k[0] for k in keys] if mr else None,
                      final_demand=fd_names, final_demand_regions=fd_regs or None,
                      value_added=va, value_added_names=list(core.value_added_names) if va is not None else None,
                      satellite=sat, satellite_names=list(core.satellite_names) if sat is not None else None,
                      unit=table.unit)


def aggregate_to(table, n: int, return_mapping: bool = False):
    """Aggregate a single-region table to ``n`` sectors deterministically: repeatedly merge the
    smallest group (gross output) with the group it is most linked to relative to their joint
    size, (Z_ij + Z_ji) / (x_i + x_j). A group is named after its members joined by '_' (up to three
    codes; larger groups are named after their largest member plus '_grp').
    ``return_mapping=True`` also returns the {sector: group} dict."""
    n = int(n)
    if n < 1 or n > table.n:
        raise OptionsError(f"aggregate_to: n must be in [1, {table.n}], got {n}")
    if table.is_multiregional:
        raise OptionsError("aggregate_to: merges sectors of a single-region table; use aggregate() with a "
                           "concordance for a multi-regional one")
    secs = list(table.sectors)
    x0 = table.x.to_numpy(float)
    members = {s: [s] for s in secs}
    Z = table.Z.to_numpy(float).copy()
    x = x0.copy()
    keys = list(secs)
    while len(keys) > n:
        k = int(np.argmin(x))
        link = (Z[k, :] + Z[:, k]) / (x[k] + x)
        link[k] = -1.0
        j = int(np.argmax(link))
        members[keys[j]] = members[keys[j]] + members.pop(keys[k])
        Z[j, :] += Z[k, :]
        Z[:, j] += Z[:, k]
        x[j] += x[k]
        Z = np.delete(np.delete(Z, k, axis=0), k, axis=1)
        x = np.delete(x, k)
        del keys[k]
    pos = {s: i for i, s in enumerate(secs)}
    mapping = {}
    for key in keys:
        mem = sorted(members[key], key=pos.__getitem__)
        name = "_".join(mem) if len(mem) <= 3 else max(mem, key=lambda m: x0[pos[m]]) + "_grp"
        for m in mem:
            mapping[m] = name
    out = aggregate(table, sectors=mapping)
    return (out, mapping) if return_mapping else out
