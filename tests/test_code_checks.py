"""Ruff and mypy run with the suite, so a lint or type error fails it like any other test; and
the layout keeps its promises: the domain never imports the web, handlers hold no queries, and
no module or function grows past what a reader takes in at once."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from workflows.i18n.paths import CHECKOUT_DIR

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# Migrations are generated; the benchmarks and tests are not the product.
PRODUCT = [path for package in ("intake", "workflows")
           for path in (CHECKOUT_DIR / package).rglob("*.py") if "migrations" not in path.parts]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=CHECKOUT_DIR, capture_output=True,
                          text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = run("mypy", "--strict", "intake", "workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_domain_never_imports_the_web() -> None:
    offenders = {str(path.relative_to(CHECKOUT_DIR)): sorted(
        name for name in imported_modules(path) if name.split(".")[0] in ("intake", "starlette"))
        for path in (CHECKOUT_DIR / "workflows").rglob("*.py")}
    assert {path: names for path, names in offenders.items() if names} == {}


def model_names() -> set[str]:
    """Every ORM model's class name, from every capability's models module (or package)."""
    paths = [*(CHECKOUT_DIR / "workflows").rglob("models.py"),
             *(CHECKOUT_DIR / "workflows").glob("*/models/*.py")]
    return {node.name for path in paths
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.ClassDef)}


def test_handlers_hold_no_queries() -> None:
    """The web layer reaches the database only through the domain's services: it may name a
    model in a type (a StaffUser argument), never call one, however it was imported."""
    models = model_names()
    assert {"Case", "CaseMessage", "StaffUser", "OutboxMessage", "AuditEvent"} <= models
    offenders = []
    for path in (CHECKOUT_DIR / "intake").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tortoise") \
                    and node.module not in ("tortoise.contrib.starlette", "tortoise.exceptions"):
                offenders.append(f"{path.name}: imports {node.module}")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in models):
                offenders.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert offenders == []


def test_no_model_makes_every_start_read_its_source() -> None:
    """Without `_no_comments`, Tortoise parses a model's whole module for "#:" field docs as
    the class is made: 55 ms of every start (server, command, export) for 32 models."""
    from tortoise.models import Model

    from workflows.db.config import MODEL_MODULES

    models = {cls for module in MODEL_MODULES for cls in vars(importlib.import_module(module))
              .values() if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model}
    assert len(models) >= 30
    assert sorted(cls.__name__ for cls in models if not cls.__dict__.get("_no_comments")) == []


def test_an_export_starts_without_numpy_and_shapely() -> None:
    """openpyxl is imported with numpy hidden (workflows.figures) and the communes' boundaries
    are read on first use (workflows.reference.loading): 0.1 s of every `intake export` and
    of every command but the server. numpy stays importable, and the boundaries readable."""
    script = "; ".join((
        "import sys", "from intake.cli import figures", "from workflows.figures import files",
        "from workflows.reference.loading import DEFAULT_CONFIG_DIR, load_reference",
        "reference = load_reference(DEFAULT_CONFIG_DIR)",
        "print(*sorted(name for name in ('numpy', 'shapely') if name in sys.modules))",
        "import numpy", "print(reference.boundaries.commune_at(12.245, 109.195))"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=CHECKOUT_DIR)
    assert result.stdout.splitlines() == ["", "Phường Nha Trang"]


def test_no_module_and_no_function_is_too_long_to_read() -> None:
    long_modules, long_functions = [], []
    for path in PRODUCT:
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(CHECKOUT_DIR))
        if len(text.splitlines()) > MAX_MODULE_LINES:
            long_modules.append(f"{where}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    assert long_modules == [] and long_functions == []


def _requirement_name(requirement: str) -> str:
    """"uvicorn[standard]>=0.34" -> "uvicorn", as distributions are compared (PEP 503)."""
    name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_with(names: set[str]) -> set[str]:
    """What installing `names` brings along (their own requirements, not their extras')."""
    found: set[str] = set()
    waiting = list(names)
    while waiting:
        try:
            requirements = importlib.metadata.requires(waiting.pop()) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requirements:
            name = _requirement_name(requirement)
            if "extra ==" not in requirement and name not in found | names:
                found.add(name)
                waiting.append(name)
    return found


def test_the_service_needs_no_test_dependency_to_run() -> None:
    """Every library the product imports is among the project's own dependencies (or an
    optional extra's), not only the tests': `pip install -e .` then `intake serve` must start
    (httpx, a test dependency, was imported by the SMS gateway and broke it)."""
    project = tomllib.loads((CHECKOUT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    allowed = {_requirement_name(requirement) for requirement in [
        *project["project"]["dependencies"],
        *(requirement for extra, listed in extras.items() if extra != "test"
          for requirement in listed)]}
    allowed |= _installed_with(allowed)
    distributions = importlib.metadata.packages_distributions()
    missing = set()
    for path in PRODUCT:
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in ("intake", "workflows", "__future__"):
                continue
            names = {_requirement_name(name) for name in distributions.get(top, [top])}
            if not names & allowed:
                missing.add(f"{path.relative_to(CHECKOUT_DIR)}: {module} ({', '.join(names)})")
    assert not missing, "\n".join(sorted(missing))
