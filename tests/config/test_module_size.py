"""No module a newcomer must scroll for minutes: every Python module of the
project stays under MAX_LINES (migrations exempt), and services and selectors —
where the use cases live — under SERVICE_MAX_LINES, split into packages of
topic modules beyond that (ideas/services/submission.py, …)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 750
SERVICE_MAX_LINES = 500
SKIP = {".venv", ".local", "node_modules", "migrations", ".git"}


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def lines_of(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_no_module_is_over_the_size_limit():
    over = [f"{p.relative_to(ROOT)}: {lines_of(p)}" for p in modules() if lines_of(p) > MAX_LINES]
    assert over == []


def test_services_and_selectors_are_packages_of_small_modules():
    over = []
    for path in modules():
        parts = path.relative_to(ROOT).parts
        in_layer = any(p in ("services", "selectors") for p in parts[:-1]) or path.stem in (
            "services",
            "selectors",
        )
        if in_layer and lines_of(path) > SERVICE_MAX_LINES:
            over.append(f"{path.relative_to(ROOT)}: {lines_of(path)}")
    assert over == []


def test_the_check_sees_a_large_module(tmp_path):
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * (MAX_LINES + 1))
    assert lines_of(big) > MAX_LINES
