"""The layout rules of CONVENTIONS.md, checked."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FRAMEWORKS = {
    "nameko",
    "nameko_grpc",
    "eventlet",
    "pymongo",
    "boto3",
    "botocore",
    "httpx",
    "grpc",
    "kombu",
    "fastapi",
    "starlette",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_modules_import_no_framework_or_driver():
    domains = sorted(ROOT.glob("services/*/domain.py"))
    assert domains
    for path in domains:
        assert not imported_roots(path) & FRAMEWORKS, path


ROOMS = ("service.py", "domain.py", "repository.py", "messages.py", "events.py")
SERVICE_NAMES = ("auth", "sessions", "voice", "billing", "privacy")


def test_every_service_has_the_same_rooms_and_its_contract():
    for name in SERVICE_NAMES:
        package = ROOT / "services" / name
        missing = [room for room in ROOMS if not (package / room).exists()]
        assert not missing, f"{name} lacks {missing}"
        assert (ROOT / "proto" / "mocky" / name / "v1" / f"{name}.proto").exists()


def test_outside_parts_are_provided_from_dependencies_modules():
    """A DependencyProvider written in a service lives in its dependencies.py, so that one
    file says what worker_factory may swap."""
    found = []
    for path in sorted(ROOT.glob("services/*/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", "") == "DependencyProvider" for base in node.bases
            ):
                if path.name != "dependencies.py":
                    found.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert not found, found


def test_every_service_has_entrypoint_tests_under_worker_factory():
    for name in SERVICE_NAMES:
        tests = (ROOT / "services" / name / "tests").glob("test_*.py")
        assert any("worker_factory(" in t.read_text() for t in tests), name


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_no_service_imports_another_services_code():
    """Services share only proto/ contracts and the platform package (their tests may
    drive other services' helpers; their code may not)."""
    found = []
    for path in sorted(ROOT.glob("services/*/**/*.py")):
        own = path.relative_to(ROOT / "services").parts[0]
        if "tests" in path.parts:
            continue
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "services" and len(parts) > 1 and parts[1] != own:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not found, found


def test_our_modules_are_imported_at_the_top_not_inside_functions():
    """An import of our own code inside a function hides an import circle (two modules
    that need each other); the code is arranged so that none is needed. Libraries may
    be imported late (heavy ones are loaded on first use)."""
    found = []
    for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("mocky/platform/*.py")]):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                    ("services", "mocky")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.module}")
    assert not found, found


def test_the_platform_imports_no_service():
    """The platform is beneath the services: it learns their events from the contract
    (events.proto), not their code. The launcher alone loads a service, by name."""
    found = []
    for path in sorted(ROOT.glob("mocky/platform/*.py")):
        if path.name == "runner.py":
            continue
        found += [
            f"{path.name} imports {m}" for m in imported_modules(path) if m.startswith("services")
        ]
    assert not found, found
