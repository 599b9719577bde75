"""The layers of ARCHITECTURE.md hold: import-linter's contracts and the import report, on the real tree
and on a copy with one wrong import added (so each check is shown to fail when it should)."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["lpsaring", "portal", "billing", "quota", "accounts", "routers", "sites", "core", "routeros_sim"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _import_report():
    spec = importlib.util.spec_from_file_location("import_report", ROOT / "scripts" / "import_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory):
    """The project's packages, its pyproject.toml and scripts/, copied without caches."""
    copy = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    shutil.copytree(ROOT / "scripts", copy / "scripts")
    return copy


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _with_line(path: Path, line: str):
    original = path.read_text()
    path.write_text(original + f"\n{line}\n")
    return lambda: path.write_text(original)


def test_the_tree_keeps_every_contract_and_the_report_finds_nothing():
    found = _import_report().report()
    assert found == {"upward": [], "circles": [], "uncommented": []}


def test_the_contracts_pass_on_an_unchanged_copy(tree_copy):
    result = _lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module, wrong_import, contract",
    [
        ("routers/models.py", "from quota import status  # noqa", "Layers run down only"),
        ("core/units.py", "import accounts.audit  # noqa", "Layers run down only"),
        ("routeros_sim/values.py", "import core.units  # noqa", "routeros_sim imports nothing"),
        ("quota/router_state.py", "import routeros_sim.server  # noqa", "The project uses routeros_sim only"),
    ],
)
def test_a_wrong_import_breaks_its_contract(tree_copy, module, wrong_import, contract):
    restore = _with_line(tree_copy / module, wrong_import)
    try:
        result = _lint_imports(tree_copy)
    finally:
        restore()
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and module.replace("/", ".").removesuffix(".py") in broken


def test_the_report_counts_an_upward_import_a_circle_and_an_unexplained_lazy_import(tree_copy, monkeypatch):
    report = _import_report()
    monkeypatch.setattr(report, "ROOT", tree_copy)
    restores = [
        _with_line(tree_copy / "accounts/otp.py", "from quota import status  # noqa"),
        _with_line(tree_copy / "quota/status.py", "import quota.pruning  # noqa"),
        _with_line(tree_copy / "quota/pruning.py", "import quota.status  # noqa"),
        _with_line(tree_copy / "billing/policy.py", "def later():\n    from billing import models\n"),
    ]
    try:
        found = report.report()
    finally:
        for restore in restores:
            restore()
    [upward] = found["upward"]
    assert upward.startswith("accounts/otp.py:") and upward.endswith("imports quota.status")
    assert found["circles"] == ["quota.pruning <-> quota.status"]
    assert [item.split(":")[0] for item in found["uncommented"]] == ["billing/policy.py"]
