"""Backups of the platform's database, and the drill that proves they restore.

    python scripts/backup.py dump FILE        # pg_dump, custom format (compressed)
    python scripts/backup.py restore FILE     # into DATABASE_URL's database (--clean)
    python scripts/backup.py drill            # dump, restore into a scratch
                                              # database, compare every table's
                                              # row count, drop the scratch

The database is DATABASE_URL's. The PostgreSQL client programs are those of
PG_BINDIR, else the machine's (`pg_config --bindir`, /usr/lib/postgresql/*/bin),
else the pgserver wheel's — the same choice as scripts/local.py, so they match
the private server of `make run` and `make test`. They must be at least the
server's major version.

The drill exits non-zero, naming the tables, when a count differs; it prints
the dump's size and each step's time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local import _pg_bindir


def bindir() -> Path:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    return _pg_bindir()  # the binaries `make run` and `make test` start


def _run(program: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bindir() / program), *args], check=True, capture_output=True, text=True
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def dump(url: str, target: Path) -> None:
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", url)


def restore(url: str, source: Path, *, clean: bool = True) -> None:
    options = ["--clean", "--if-exists"] if clean else []
    _run("pg_restore", *options, "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={url}", str(source))  # fmt: skip


def row_counts(url: str) -> dict[str, int]:
    """Every table of the public schema with its exact row count."""
    tables = _run(
        "psql", url, "--no-psqlrc", "--tuples-only", "--no-align", "--command",
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    ).stdout.split()  # fmt: skip
    if not tables:
        return {}
    query = " UNION ALL ".join(
        f"SELECT '{name}', count(*) FROM public.\"{name}\""  # noqa: S608 - names from pg_tables
        for name in tables
    )
    lines = _run(
        "psql", url, "--no-psqlrc", "--tuples-only", "--no-align", "--field-separator=|",
        "--command", query,
    ).stdout.splitlines()  # fmt: skip
    return {name: int(count) for name, count in (line.split("|") for line in lines if line)}


def differences(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The tables whose counts differ (or that one side lacks)."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def drill(url: str) -> int:
    scratch = f"restore_drill_{uuid.uuid4().hex[:8]}"
    scratch_url = with_database(url, scratch)
    admin_url = with_database(url, "postgres")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "ruche.dump"
        started = time.monotonic()
        before = row_counts(url)
        dump(url, target)
        dumped = time.monotonic()
        _run("psql", admin_url, "--no-psqlrc", "--command", f'CREATE DATABASE "{scratch}"')
        try:
            restore(scratch_url, target, clean=False)
            restored = time.monotonic()
            after = row_counts(scratch_url)
        finally:
            _run("psql", admin_url, "--no-psqlrc", "--command",
                 f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')  # fmt: skip
        size = target.stat().st_size
    rows = sum(before.values())
    print(
        f"dump {size / 1e6:.1f} MB in {dumped - started:.1f} s; restore in "
        f"{restored - dumped:.1f} s; {len(before)} tables, {rows} rows"
    )
    differ = differences(before, after)
    if differ:
        for name in differ:
            print(f"DIFFERS {name}: {before.get(name)} before, {after.get(name)} restored")
        return 1
    print("every table's row count is equal after the restore")
    return 0


def main(argv: list[str]) -> int:
    url = os.environ["DATABASE_URL"]
    match argv:
        case ["dump", target]:
            dump(url, Path(target))
        case ["restore", source]:
            restore(url, Path(source))
        case ["drill"]:
            return drill(url)
        case _:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
