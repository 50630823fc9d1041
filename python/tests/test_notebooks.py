"""Execute every notebooks/*.ipynb headless (nbclient, Debian's python3 kernel) and fail with
the error of the cell that broke.

The kernel imports govsim from the build tree: ``$GOVSIM_BUILD_DIR/python`` (default
``<repo>/build/python``) is put on its PYTHONPATH. Notebooks run with ``notebooks/`` as the
working directory and a 600 s timeout each.
"""
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is needed to run the notebooks (Debian: python3-nbformat)")
nbclient = pytest.importorskip("nbclient", reason="nbclient is needed to run the notebooks (Debian: python3-nbclient)")
pytest.importorskip("ipykernel", reason="ipykernel is needed to run the notebooks (Debian: python3-ipykernel)")

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
TIMEOUT = 600


def build_python_dir() -> Path:
    return Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build"))) / "python"


def python3_kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return bool(spec.argv) and Path(spec.argv[0]).name.startswith("python")


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """Environment of the kernel: govsim on PYTHONPATH, a python3 kernelspec guaranteed."""
    pydir = build_python_dir()
    if not (pydir / "govsim").is_dir():
        pytest.skip(f"govsim build tree not found at {pydir}; build target govsim_python or set GOVSIM_BUILD_DIR")
    mp = pytest.MonkeyPatch()
    old = os.environ.get("PYTHONPATH")
    mp.setenv("PYTHONPATH", str(pydir) + (os.pathsep + old if old else ""))
    mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # silence the debugger warning of ipykernel
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if not python3_kernel_available():
        # Install a kernelspec for this interpreter into a temporary JUPYTER_PATH.
        kdir = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
        kdir.mkdir(parents=True)
        (kdir / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3", "language": "python"}))
        mp.setenv("JUPYTER_PATH", str(kdir.parent.parent) + os.pathsep + os.environ.get("JUPYTER_PATH", ""))
        assert python3_kernel_available(), "could not install a python3 kernelspec"
    yield
    mp.undo()


def test_notebooks_exist():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


def test_notebooks_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_env, tmp_path):
    nb = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        # Keep the executed notebook for inspection and fail with the cell's traceback.
        out = tmp_path / path.name
        nbformat.write(nb, str(out))
        pytest.fail(f"{path.name} failed (executed copy: {out}):\n{e}", pytrace=False)
    except nbclient.exceptions.CellTimeoutError as e:
        pytest.fail(f"{path.name}: a cell ran longer than {TIMEOUT} s: {e}", pytrace=False)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
