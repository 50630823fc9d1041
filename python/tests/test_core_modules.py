"""The compiled core's submodules match the Python modules one to one.

``govsim._core.<x>`` holds the bindings that ``govsim.<x>`` wraps: every submodule has a Python
module of the same name reading from it, every Python module reading compiled bindings has a
submodule of its own, and every ``_core.<x>.<name>`` the package reads exists (a binding moved to
another submodule cannot leave a stale reference behind).
"""
import ast
import importlib
import pathlib
import pkgutil
import types

import pytest

import govsim
from govsim import _core

PACKAGE = pathlib.Path(govsim.__file__).parent


def core_submodules():
    return sorted(n for n, v in vars(_core).items() if isinstance(v, types.ModuleType))


def python_modules():
    """Public modules of the package: {name relative to govsim: source path} (packages too)."""
    out = {}
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix=""):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        mod = importlib.import_module(f"govsim.{info.name}")
        out[info.name] = pathlib.Path(mod.__file__)
    return out


def core_references(path):
    """(submodule, attribute or None, line) for every `_core.<sub>[.<attr>]` in the file, following
    module-level aliases such as `_d = _core.dsge`."""
    tree = ast.parse(path.read_text(), str(path))
    submodules = set(core_submodules())
    aliases = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "_core"):
            aliases[node.targets[0].id] = node.value.attr
    refs = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = node.value
        if isinstance(base, ast.Name) and base.id == "_core" and node.attr in submodules:
            refs.append((node.attr, None, node.lineno))
        elif (isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id == "_core"
              and base.attr in submodules):
            refs.append((base.attr, node.attr, node.lineno))
        elif isinstance(base, ast.Name) and base.id in aliases:
            refs.append((aliases[base.id], node.attr, node.lineno))
    return refs


def test_the_core_has_the_feature_submodules():
    assert set(core_submodules()) >= {"dsge", "nonlinear", "estimation", "policy", "optimal_policy", "io",
                                      "dynamic_io"}


def test_every_core_submodule_has_a_python_module_reading_it():
    mods = python_modules()
    for sub in core_submodules():
        assert sub in mods, f"_core.{sub} has no Python module govsim.{sub}"
        own = {s for s, _, _ in core_references(mods[sub])}
        assert sub in own, f"govsim.{sub} does not read _core.{sub}"


def test_every_python_module_reading_bindings_has_its_own_submodule():
    subs = set(core_submodules())
    for name, path in python_modules().items():
        read = {s for s, _, _ in core_references(path)}
        if read:
            top = name.split(".")[0]
            assert top in subs, (f"govsim.{name} reads _core.{', _core.'.join(sorted(read))} but there is no "
                                 f"_core.{top}: bind its compiled code there, or use the Python modules")


def test_every_core_name_the_package_reads_exists():
    stale = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for sub, attr, line in core_references(path):
            if attr is not None and not hasattr(getattr(_core, sub), attr):
                stale.append(f"{path.relative_to(PACKAGE)}:{line}: _core.{sub}.{attr}")
    assert not stale, "names not in their _core submodule:\n" + "\n".join(stale)


def test_the_scan_sees_aliases_and_direct_references(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from . import _core\n_n = _core.nonlinear\nx = _n.solve_second_order\n"
                   "y = _core.dsge.ModelSolver\nz = _core.dsge.no_such_name\n")
    refs = {(s, a) for s, a, _ in core_references(src)}
    assert ("nonlinear", "solve_second_order") in refs
    assert ("dsge", "ModelSolver") in refs
    assert ("dsge", "no_such_name") in refs and not hasattr(_core.dsge, "no_such_name")


def options_classes():
    return sorted((f"{sub}.{name}", cls) for sub in core_submodules()
                  for name, cls in vars(getattr(_core, sub)).items()
                  if name.endswith("Options") and isinstance(cls, type))


def test_every_options_struct_has_the_one_keyword_mechanism():
    """Every bound Options struct: T(**fields) from the C++ defaults, replace(**fields) on a copy,
    unknown names an OptionsError; no binding copies defaults into a constructor signature."""
    classes = options_classes()
    assert len(classes) >= 20, [n for n, _ in classes]
    for label, cls in classes:
        default = cls()
        fields = [f for f in dir(default) if not f.startswith("_") and not callable(getattr(default, f))]
        assert fields, label
        # scalar fields read back and written again (OsrOptions.objective reads back as whether one is set)
        scalars = {f: getattr(default, f) for f in fields
                   if type(getattr(default, f)) in (bool, int, float, str) and f != "objective"}
        again = cls(**scalars)
        for f, a in scalars.items():
            b = getattr(again, f)
            assert a == b or (a != a and b != b), f"{label}.{f}"
        assert type(default.replace()) is cls, label
        with pytest.raises(_core.OptionsError, match="unknown option 'no_such_option'"):
            cls(no_such_option=1)
        with pytest.raises(_core.OptionsError, match="unknown option 'no_such_option'"):
            default.replace(no_such_option=1)
