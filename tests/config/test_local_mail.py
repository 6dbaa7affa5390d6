"""In development (`make run`), e-mails go to files under .local/mail/ with one
log line each, not whole on the console where they buried the start-up banner."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_settings_write_e_mails_to_files():
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND", "EMAIL_FILE_PATH"}
    }
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    backend, folder = result.stdout.split()
    assert backend == "core.mail.FileEmailBackend"
    assert Path(folder) == ROOT / ".local" / "mail"


def test_each_e_mail_is_a_file_and_one_log_line(tmp_path, caplog):
    with (
        override_settings(EMAIL_BACKEND="core.mail.FileEmailBackend", EMAIL_FILE_PATH=tmp_path),
        caplog.at_level(logging.INFO, logger="ruche.mail"),
    ):
        mail.send_mail("Tu código", "Código: ABC-123\n" + "texto\n" * 50, None, ["ana@example.com"])
    [written] = list(tmp_path.iterdir())
    assert "Código: ABC-123" in written.read_text()
    [line] = [r.getMessage() for r in caplog.records if r.name == "ruche.mail"]
    assert line.startswith("e-mail to ana@example.com: Tu código (in ")
    assert str(written) in line and "texto" not in line
