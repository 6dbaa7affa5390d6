"""Extract and compile translations, one catalogue per app (needs GNU gettext).

Each app keeps its own `<app>/locale/<lang>/LC_MESSAGES/django.po`; the
project-wide templates, config and scripts use `locale/`. Source strings are
English; French and Spanish are translated. Compiled `.mo` files are committed
so a machine without gettext still runs translated.

    python scripts/messages.py              # every catalogue
    python scripts/messages.py ideas        # one app's only
    python scripts/messages.py --compile    # compile only
    python scripts/messages.py --extract-only
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
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
]
LANGUAGES = ["fr", "es"]
IGNORE = ["migrations/*", "tests/*", ".venv/*", ".local/*", "node_modules/*"]


# Django is set up from the project root, then the command runs in the app's
# folder (makemessages writes to the `locale/` of the folder it runs in).
# Setting up from the app's folder would put that folder first on sys.path
# (Celery's Django fix-up inserts the working directory), and a module there
# named like a package — `rules.py`, `demo.py`, `selectors.py` — would shadow it.
BOOTSTRAP = """
import os, sys
here = os.getcwd()
os.chdir(sys.argv[1])
import django
django.setup()
os.chdir(here)
from django.core.management import execute_from_command_line
execute_from_command_line(["django-admin", *sys.argv[2:]])
"""


def django_admin(cwd: Path, *args: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test", PYTHONPATH=str(ROOT))
    env.setdefault("DATABASE_URL", "postgres://unused@127.0.0.1:1/unused")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
    subprocess.run(
        [sys.executable, "-P", "-c", BOOTSTRAP, str(ROOT), *args],
        cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def extract(target: str) -> None:
    languages = [arg for lang in LANGUAGES for arg in ("-l", lang)]
    if target == "project":
        ignores = [*IGNORE, *(f"{app}/*" for app in APPS), "tests/*", "benchmarks/*"]
        (ROOT / "locale").mkdir(exist_ok=True)
        cwd = ROOT
    else:
        ignores = IGNORE
        cwd = ROOT / target
        (cwd / "locale").mkdir(exist_ok=True)
    ignore_args = [arg for pattern in ignores for arg in ("--ignore", pattern)]
    django_admin(cwd, "makemessages", *languages, *ignore_args, "--no-obsolete", "--no-location")


def compile_all(targets: list[str]) -> None:
    for target in targets:
        cwd = ROOT if target == "project" else ROOT / target
        if (cwd / "locale").exists():
            django_admin(cwd, "compilemessages", "--ignore", ".venv/*", "--ignore", ".local/*")


def main() -> None:
    args = sys.argv[1:]
    targets = [a for a in args if not a.startswith("--")] or ["project", *APPS]
    if "--compile" not in args:
        for target in targets:
            extract(target)
    if "--extract-only" not in args:
        compile_all(targets)


if __name__ == "__main__":
    main()
