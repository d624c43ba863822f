"""Settings come from the environment; production refuses unsafe configurations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "KITBAG_ENVIRONMENT": "production",
    "SECRET_KEY": "k" * 20 + "this-is-a-long-random-production-secret-key-for-tests",
}


def run_kitbag(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update({"KITBAG_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-m", "kitbag", *args],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    result = run_kitbag(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "ALLOWED_HOSTS": "kitbag.example.org"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_kitbag("check", env={"KITBAG_ENVIRONMENT": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_with_debug_on(tmp_path: Path) -> None:
    result = run_kitbag("check", env={**PRODUCTION, "DEBUG": "true"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_a_rate_limit_override_that_names_no_limit_stops_the_start(tmp_path: Path) -> None:
    result = run_kitbag("check", env={"KITBAG_RATE_LIMITS": "api-anonymus=10/m"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "'api-anonymus', which is not a rate limit" in result.stderr


def test_local_use_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    assert run_kitbag("check", env={}, tmp_path=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run_kitbag("check", env={}, tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_debug_is_off_unless_asked_for() -> None:
    from django.conf import settings

    if os.environ.get("DEBUG"):
        pytest.skip("DEBUG is set in this environment")
    assert settings.DEBUG is False
