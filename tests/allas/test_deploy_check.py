"""Production mode: Django's deployment checklist passes, and the settings it selects are the
hardened ones. Each test starts a fresh interpreter with the production environment, because
settings are read once, from the environment, at start-up."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "CSP_")) and key != "BEHIND_TLS_PROXY"
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="allas.example.org",
        DJANGO_SETTINGS_MODULE="allas.settings",
        # Several app servers share the page cache's version through Redis (allas.E001).
        REDIS_URL="redis://127.0.0.1:6379/1",
        # Applicants are told to write there to have their data erased (joining.E001).
        PRIVACY_CONTACT_EMAIL="privacy@allas.example.org",
    )
    env.update(overrides)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checklist_passes_with_no_warning_in_production_mode():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deployment_checklist_fails_with_debug_on():
    """Shows the check above is not passing vacuously."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(DEBUG="1")
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_the_deployment_checklist_fails_with_the_page_cache_on_and_no_shared_cache():
    """Each worker would keep its own content version: an edit handled by one leaves the
    others serving the old page until it expires (allas/cache.py)."""
    env = production_env()
    del env["REDIS_URL"]
    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "allas.E001" in output
    assert "PUBLIC_PAGE_CACHE_SECONDS" in output and "REDIS_URL" in output


def test_the_deployment_checklist_accepts_no_shared_cache_with_the_page_cache_off():
    env = production_env(PUBLIC_PAGE_CACHE_SECONDS="0")
    del env["REDIS_URL"]
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_plain_check_run_by_ci_stays_clean_without_a_shared_cache():
    """The page-cache check is a deployment check only: a local or CI run has no Redis."""
    env = production_env()
    del env["REDIS_URL"]
    result = run(["manage.py", "check", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "allas.E001" not in result.stdout + result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY", "SECURE_PROXY_SSL_HEADER",
]}, default=list))
"""


def production_settings(**overrides):
    result = run(["-c", PRINT_SETTINGS], production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_mode_turns_on_https_hsts_and_secure_cookies():
    values = production_settings()

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_the_content_security_policy_allows_no_inline_or_eval_script_and_no_framing():
    directives = production_settings()["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]

    script_sources = directives.get("script-src", directives["default-src"])
    assert script_sources == ["'self'"]
    assert "script-src-attr" not in directives
    assert "script-src-elem" not in directives
    for sources in directives.values():
        if sources is True:  # a directive without sources (upgrade-insecure-requests)
            continue
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["upgrade-insecure-requests"] is True


def test_behind_a_tls_proxy_the_forwarded_protocol_header_is_trusted():
    values = production_settings(BEHIND_TLS_PROXY="1")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be an integer"),
        (
            {
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
                "POSTGRES_RANDOM_PAGE_COST": "fast",
            },
            "POSTGRES_RANDOM_PAGE_COST must be a number",
        ),
    ],
)
def test_a_missing_or_malformed_production_setting_stops_start_up_with_a_clear_message(
    overrides, message
):
    result = run(["manage.py", "check"], production_env(**overrides))

    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.django_db
def test_postgresql_connections_plan_for_ssd_storage():
    """random_page_cost 1.1 on the app's connections (allas/settings.py): with PostgreSQL's
    default of 4 the planner reads whole tables where an index is cheaper."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def test_the_deployment_checklist_fails_while_the_privacy_contact_is_a_placeholder():
    """Applicants are told to write to it to have their data erased (joining/privacy.py)."""
    env = production_env()
    del env["PRIVACY_CONTACT_EMAIL"]
    result = run(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0
    assert "joining.E001" in result.stderr + result.stdout


def test_the_static_files_collect_with_the_production_storage(settings, tmp_path):
    """Production stores static files under hashed names and rewrites the references between
    them (Django's manifest storage), and refuses a file naming one that does not exist (a
    vendored script's source map, say): the deployment's collectstatic would stop there."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    assert (tmp_path / "staticfiles.json").exists()
