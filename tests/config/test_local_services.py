"""`make run` / `make test` start private servers only when no URL is given."""

import importlib.util
import socket
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("local_services", ROOT / "scripts" / "local.py")
local = importlib.util.module_from_spec(spec)
spec.loader.exec_module(local)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_given_urls_start_nothing(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example:5432/x")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    before = set(local.LOCAL.glob("*")) if local.LOCAL.exists() else set()
    with local.services("probe", ephemeral=True) as env:
        assert env["DATABASE_URL"] == "postgres://someone@db.example:5432/x"
        assert env["REDIS_URL"] == "redis://cache.example:6379/0"
    after = set(local.LOCAL.glob("*")) if local.LOCAL.exists() else set()
    assert after == before


def test_missing_urls_start_private_servers_and_stop_them(monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("REDIS_URL")
    with local.services("probe", ephemeral=True) as env:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert redis.Redis.from_url(env["REDIS_URL"]).ping()
        pg_port = int(env["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0])
        redis_port = int(env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])
        data = next(local.LOCAL.glob("probe-*"))
        assert (data / "postgres" / "PG_VERSION").exists()
    assert not port_open(pg_port)
    assert not port_open(redis_port)
    assert not data.exists()
