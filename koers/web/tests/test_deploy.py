"""The secret key and the HTTPS settings, as `koers check --deploy` and a fresh start see them.

Each case runs `koers` in a process of its own with an environment made from scratch, so
nothing of the test run's own settings (or the developer's var/) leaks in.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from koers import secret_key
from koers.web.checks import check_secret_key

ROOT = Path(__file__).resolve().parents[3]
OLD_PUBLIC_KEY = "koers-development-only-secret-key-do-not-use-in-production"


def documented() -> dict[str, str]:
    """Every variable of .env.example with the value written there."""
    found = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name] = value
    return found


def koers(var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "KOERS_VAR_DIR": str(var_dir), **env}
    return subprocess.run(
        [sys.executable, "-m", "koers.cli", *args],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_with_the_documented_variables_passes_check_deploy_without_warnings(
    tmp_path: Path,
) -> None:
    production = {
        **documented(),
        "KOERS_PRODUCTION": "true",
        "KOERS_SECRET_KEY": secrets.token_urlsafe(50),
        "KOERS_ALLOWED_HOSTS": "koers.example.org",
        "KOERS_BASE_URL": "https://koers.example.org",
    }

    done = koers(tmp_path, "check", "--deploy", **production)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "System check identified no issues (0 silenced).\n"
    assert not (tmp_path / "secret_key").exists()


def test_production_turns_on_https_and_each_part_can_be_turned_off(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE)"
    )
    key = secrets.token_urlsafe(50)
    on = koers(
        tmp_path, "shell", "--no-imports", "-c", code, KOERS_PRODUCTION="true", KOERS_SECRET_KEY=key
    )
    off = koers(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        KOERS_PRODUCTION="true",
        KOERS_SECRET_KEY=key,
        KOERS_SSL_REDIRECT="false",
        KOERS_PROXY_SSL_HEADER="false",
        KOERS_HSTS_SECONDS="0",
        KOERS_HSTS_INCLUDE_SUBDOMAINS="false",
        KOERS_HSTS_PRELOAD="false",
        KOERS_SECURE_COOKIES="false",
    )
    local = koers(tmp_path, "shell", "--no-imports", "-c", code)

    assert on.stdout == "True ('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True True True True\n"
    assert off.stdout == "False None 0 False False False False\n"
    assert local.stdout == "False None 0 False False False False\n"


def test_production_without_a_key_refuses_to_start_with_one_line(tmp_path: Path) -> None:
    done = koers(tmp_path, "check", KOERS_PRODUCTION="true")

    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        "koers: KOERS_SECRET_KEY must be set when KOERS_PRODUCTION is true; make one with:"
        " python3 -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
    )
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_the_old_published_key(tmp_path: Path) -> None:
    done = koers(tmp_path, "check", KOERS_PRODUCTION="true", KOERS_SECRET_KEY=OLD_PUBLIC_KEY)

    assert done.returncode == 1
    assert done.stderr.startswith(
        "koers: KOERS_SECRET_KEY is a published key that anyone can sign with;"
    )
    assert "Traceback" not in done.stderr


def test_check_deploy_reports_the_old_published_key_outside_production(tmp_path: Path) -> None:
    done = koers(tmp_path, "check", "--deploy", KOERS_SECRET_KEY=OLD_PUBLIC_KEY)

    assert done.returncode == 1
    assert "(koers.E001) KOERS_SECRET_KEY is a published key that anyone can sign with" in (
        done.stderr
    )


def test_a_first_local_start_makes_a_key_only_its_owner_can_read_and_check_deploy_says_so(
    tmp_path: Path,
) -> None:
    done = koers(tmp_path, "check", "--deploy")

    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 67
    assert "(koers.W001) KOERS_SECRET_KEY is not set: Koers signs with the local key" in (
        done.stderr
    )


def test_the_local_key_is_made_once_and_then_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOERS_SECRET_KEY")
    first = secret_key.secret_key(tmp_path / "var", production=False)
    again = secret_key.secret_key(tmp_path / "var", production=False)
    elsewhere = secret_key.secret_key(tmp_path / "other", production=False)

    assert first == again != elsewhere
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]


def test_processes_starting_together_all_get_the_same_local_key(tmp_path: Path) -> None:
    """The development server starts two processes at once; eight threads race here."""
    path = tmp_path / "secret_key"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_key.local_key(path), range(8)))

    assert keys == {path.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_key_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    (tmp_path / "secret_key").mkdir()  # a directory where the file should be

    with pytest.raises(
        ImproperlyConfigured, match=r"cannot read the local secret key .*secret_key"
    ):
        secret_key.local_key(tmp_path / "secret_key")


def test_the_deploy_check_accepts_a_key_of_the_deployments_own() -> None:
    with override_settings(SECRET_KEY=secrets.token_urlsafe(50), KOERS_SECRET_KEY_FROM_ENV=True):
        assert check_secret_key() == []
    with override_settings(SECRET_KEY=OLD_PUBLIC_KEY, KOERS_SECRET_KEY_FROM_ENV=True):
        assert [m.id for m in check_secret_key()] == ["koers.E001"]
