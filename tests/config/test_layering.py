"""Dependencies point one way (DESIGN.md): an app imports only the apps below it.

    core ← tenants ← notifications ← integrations ← accounts ← campaigns ← ideas
         ← voting ← juries ← rewards ← insights

`insights` (dashboard, exports) reads every app below it.
`core` is the ground floor (errors, permissions, images, the task base) and
imports no app; `notifications` is called by every app above it and imports
only `tenants` and `core`; `integrations` (webhooks) is called by every app
above it through `publish()` and needs only `notifications` (to tell the brand
that an endpoint was disabled), `tenants` and `core`; `demo` sits on top and
may import them all; `config` wires settings and URLs above everything, and
nothing imports it. Tests and
migrations are exempt.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "core",
    "tenants",
    "notifications",
    "integrations",
    "accounts",
    "campaigns",
    "ideas",
    "voting",
    "juries",
    "rewards",
    "insights",
    "demo",
    "config",
]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


def test_apps_import_only_the_layers_below_them():
    violations = []
    for position, app in enumerate(LAYERS):
        allowed = set(LAYERS[:position]) | {app}
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for upward in sorted(imported_apps(path) - allowed):
                violations.append(f"{path.relative_to(ROOT)} imports {upward}")
    assert violations == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from ideas.models import Idea\nimport voting.services\n")
    assert imported_apps(module) == {"ideas", "voting"}


def test_the_ground_floor_and_config_are_covered():
    # config sits above every app (its URLs import them all) and core below them all.
    assert LAYERS[0] == "core" and LAYERS[-1] == "config"
    assert (ROOT / "core" / "errors.py").exists()


def test_config_only_wires_settings_and_urls():
    """No shared helper hides in config/: its modules are settings, URLs, the
    Celery app and the WSGI/ASGI entry points."""
    wiring = {"__init__.py", "celery.py", "urls.py", "urls_platform.py", "wsgi.py", "asgi.py"}
    modules = {p.name for p in (ROOT / "config").glob("*.py")}
    assert modules <= wiring, sorted(modules - wiring)
