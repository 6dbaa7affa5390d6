"""The restore drill (scripts/backup.py): the database is dumped, restored into
a scratch database, and every table has as many rows as before."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import backup  # noqa: E402


def test_the_drill_restores_every_row(transactional_db, seeded_genios):
    url = backup.with_database(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])
    counts = backup.row_counts(url)
    assert counts["ideas_idea"] > 0 and counts["voting_vote"] > 0  # the demo is there
    done = subprocess.run(
        [sys.executable, "scripts/backup.py", "drill"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every table's row count is equal after the restore" in done.stdout
    assert f"{len(counts)} tables, {sum(counts.values())} rows" in done.stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%%'")
        assert cursor.fetchone()[0] == 0  # the scratch database is gone


def test_a_missing_or_short_table_is_named():
    before = {"ideas_idea": 12, "voting_vote": 40, "juries_score": 3}
    after = {"ideas_idea": 12, "voting_vote": 39}
    assert backup.differences(before, after) == ["juries_score", "voting_vote"]
    assert backup.differences(before, dict(before)) == []


@pytest.mark.parametrize("args", [[], ["nothing"]])
def test_usage_is_printed_for_a_wrong_command(args):
    done = subprocess.run(
        [sys.executable, "scripts/backup.py", *args], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://x@127.0.0.1:1/x"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "drill" in done.stdout
