"""Lighthouse's four scores on the demo's public pages, on a phone profile.

    make lighthouse                     # the demo as `make run` serves it
    make lighthouse LIGHTHOUSE_ARGS=--production   # production settings (gunicorn, DEBUG off)

Starts private PostgreSQL and Redis (scripts/local.py), migrates, runs a Celery
worker (the demo's photos are rendered by it), loads the demo (`seed_demo`) and
serves it; then runs Lighthouse 12.2.3 with the machine's Chromium on the home,
challenge, gallery, idea, submission and sign-in pages of ING's "Genios del
Ahorro", and prints one row of scores per page. The submission page is seen by
a signed-in participant who accepted the terms (a session cookie is passed).

Lighthouse comes from npm, installed on first use under `.local/lighthouse/`
(never committed). 13.x needs a newer Node than Debian's: 12.2.3 is pinned.
Set CHROMIUM_PATH if Chromium is not /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.stack import ROOT, local, run_django_for_json

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = local.LOCAL / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHALLENGE = "/challenges/genios-del-ahorro/"
PAGE_KEYS = ["home", "challenge", "gallery", "idea", "submission", "sign-in"]

# An idea with a photo, and a session for a participant who accepted ING's terms.
PAGE_FACTS = """
import json, os
from django.test import Client
from django_scopes import scope
from accounts import services as account_services
from accounts.models import User
from accounts.selectors import has_accepted_current_terms
from accounts.sessions import SESSION_TENANT_KEY
from ideas.models import Idea
from tenants.models import Tenant
from django_scopes import scopes_disabled

with scopes_disabled():
    ing = Tenant.objects.get(slug="ing")
with scope(tenant=ing):
    idea = (
        Idea.objects.filter(campaign__slug="genios-del-ahorro", state=Idea.State.PUBLISHED)
        .exclude(media=None).order_by("created_at", "pk").first()
        or Idea.objects.filter(state=Idea.State.PUBLISHED).order_by("created_at", "pk").first()
    )
    ana = User.objects.get(email="ana@example.com")
    if not has_accepted_current_terms(ana, ing):
        account_services.consent_accept(tenant=ing, user=ana, version=1, display_name="Ana G.")
client = Client()
client.force_login(ana)
session = client.session
session[SESSION_TENANT_KEY] = ing.pk
session.save()
with open(os.environ["BENCH_OUT"], "w") as out:
    json.dump({"idea": str(idea.public_id), "session": session.session_key}, out)
"""


def ensure_lighthouse() -> Path:
    """Lighthouse from npm into .local/lighthouse/ (ignored by git), once."""
    if LIGHTHOUSE_BIN.exists():
        return LIGHTHOUSE_BIN
    if not shutil.which("npm"):
        raise SystemExit("Lighthouse needs Node.js and npm (Debian: apt-get install nodejs npm)")
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    local.log(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR.name}/")
    subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
         "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"],
        cwd=LIGHTHOUSE_DIR, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return LIGHTHOUSE_BIN


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def settings_env(env: dict, *, production: bool) -> dict:
    env = dict(env)
    if not production:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
        env["DEBUG_TECHNICAL_404"] = "false"
        return env
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="lighthouse-only-secret-key-" + "x" * 40,
        PLATFORM_DOMAIN="localhost",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=str(local.LOCAL / "lighthouse-static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def web_command(port: int, *, production: bool) -> list[str]:
    if production:
        gunicorn = ["-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
        return [sys.executable, *gunicorn, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]


WORKER = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "WARNING"]


def lighthouse(
    binary: Path, url: str, *, cookie: str | None = None
) -> tuple[dict[str, int], list[str]]:
    """The four category scores (0-100) of one page, and the audits that cost points."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        report = Path(folder) / "report.json"
        command = [
            str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]  # fmt: skip
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        # Lighthouse now and then loses the page load's trace (NO_NAVSTART) on a
        # loaded machine: one more try before giving up.
        if subprocess.run(command, env=env, cwd=folder).returncode != 0:
            subprocess.run(command, check=True, env=env, cwd=folder)
        data = json.loads(report.read_text())
    scores = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    losses = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                losses.append(f"{name}: {audit['title']} {value}".strip())
    return scores, losses


def print_table(title: str, rows: list[tuple[str, dict[str, int], list[str]]]) -> None:
    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, phone profile — {title}\n")
    print("| Page | Performance | Accessibility | Best practices | SEO |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, scores, _ in rows:
        print(f"| {label} | " + " | ".join(str(scores[name]) for name in CATEGORIES) + " |")
    print()
    for label, _, losses in rows:
        for loss in losses:
            print(f"{label} — {loss}")
    print(flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--production", action="store_true", help="production settings under gunicorn"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="runs per page; the median of each score is kept (Lighthouse's own advice: 5)",
    )
    parser.add_argument(
        "--page",
        action="append",
        choices=PAGE_KEYS,
        help="only this page (repeatable); all six by default",
    )
    options = parser.parse_args()
    binary = ensure_lighthouse()
    port = local.free_port()
    children: list[subprocess.Popen] = []
    with local.services("lighthouse", ephemeral=True) as base_env:
        env = settings_env(base_env, production=options.production)
        try:
            manage(env, "migrate", "--noinput", "-v", "0")
            if options.production:
                manage(env, "collectstatic", "--noinput", "-v", "0")
            spawn = {"cwd": ROOT, "env": env, "start_new_session": True}
            silent = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            worker = [*WORKER, "--concurrency", "1"]
            children.append(subprocess.Popen(worker, **spawn, **silent))
            manage(env, "seed_demo")
            facts = run_django_for_json(env, PAGE_FACTS)
            web = web_command(port, production=options.production)
            children.append(subprocess.Popen(web, **spawn, **silent))
            local.wait_for_port(port, timeout=60)
            site = f"http://ing.localhost:{port}"
            pages = [
                ("Home", f"{site}/", None),
                ("Challenge", f"{site}{CHALLENGE}", None),
                ("Gallery", f"{site}{CHALLENGE}ideas/", None),
                ("Idea", f"{site}/ideas/{facts['idea']}/", None),
                (
                    "Submission, signed in (noindex)",
                    f"{site}{CHALLENGE}ideas/new/",
                    facts["session"],
                ),
                ("Sign-in (noindex)", f"{site}/accounts/login/", None),
            ]
            rows = []
            for key, (label, url, signed_in) in zip(PAGE_KEYS, pages, strict=True):
                if options.page and key not in options.page:
                    continue
                cookie = f"sessionid={signed_in}" if signed_in else None
                runs = [lighthouse(binary, url, cookie=cookie) for _ in range(options.runs)]
                scores = {
                    name: round(statistics.median(run[0][name] for run in runs))
                    for name in CATEGORIES
                }
                losses = sorted({loss for _, run_losses in runs for loss in run_losses})
                rows.append((label, scores, losses))
                local.log(f"{label}: {scores}")
        finally:
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(20)
                except subprocess.TimeoutExpired:
                    child.kill()
    title = "production settings" if options.production else "demo (make run)"
    if options.runs > 1:
        title += f", median of {options.runs} runs"
    print_table(title, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
