"""The `loket` command line, run as a real process: output, and errors as one line with status 2."""

import shutil

from tests.conftest import BASE_CONFIG, run_cli


def test_no_configuration_anywhere_is_one_line_and_status_2(tmp_path):
    result = run_cli("lokets", cwd=tmp_path, env={"LOKET_CONFIG": ""})
    assert result.returncode == 2
    assert "no configuration: give --config PATH, set LOKET_CONFIG" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_configuration_names_file_key_and_reason(write_config):
    path = write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["vacature"]'))
    result = run_cli("config", "check", "--config", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"loket: {path}: lokets.alpha.plugins[0]: unknown plugin 'vacature'; installed plugins: vacatures, vervangingspool, voorbeeld"
    )
    assert result.stdout == ""


def test_an_unreachable_store_is_one_line_without_a_password(write_config):
    path = write_config(BASE_CONFIG.replace("{url}", "sqlite:////proc/forbidden/events.sqlite"))
    result = run_cli("lokets", "--config", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("loket: Cannot open the event store sqlite:////proc/forbidden/events.sqlite:")
    assert "Traceback" not in result.stderr


def test_loket_config_env_and_config_commands(write_config):
    path = write_config()
    env = {"LOKET_CONFIG": str(path)}
    check = run_cli("config", "check", env=env)
    assert check.returncode == 0 and "valid — 2 loket(s), 2 region(s)" in check.stdout
    show = run_cli("config", "show", env=env)
    assert '[lokets.alpha.settings.voorbeeld]\ngreeting = "Hallo"\nmax_length = 140' in show.stdout
    assert run_cli("config", "apply", env=env).returncode == 0
    lokets = run_cli("lokets", env=env)
    assert lokets.returncode == 0
    assert "alpha — Alpha" in lokets.stdout
    assert "  region:  vo-twente (rap-vo-mbo, vo/mbo) RAP-regio vo Twente" in lokets.stdout
    assert "  plugin:  voorbeeld (on since " in lokets.stdout


def test_users_and_tokens_from_the_cli(write_config):
    path = str(write_config())
    assert run_cli("config", "apply", "--config", path).returncode == 0

    # A user with a weak password is refused with the reason.
    weak = run_cli("users", "add", "alice", "--password-stdin", "--config", path, input="kort\n")
    assert weak.returncode == 2 and "password: must be at least 10 characters" in weak.stderr

    # Add, grant, list.
    assert run_cli("users", "add", "alice", "--password-stdin", "--config", path, input="correct horse battery\n").returncode == 0
    grant = run_cli("users", "grant", "alice", "alpha", "editor", "--config", path)
    assert grant.stdout.strip() == "alice is now editor in alpha."
    unknown = run_cli("users", "grant", "alice", "gamma", "editor", "--config", path)
    assert unknown.returncode == 2 and unknown.stderr.strip() == "loket: There is no loket 'gamma'."
    assert "alice                    alpha: editor" in run_cli("users", "list", "--config", path).stdout
    assert run_cli("users", "revoke", "alice", "alpha", "editor", "--config", path).stdout.strip() == "alice is no longer editor in alpha."

    # A token is printed once on stdout; the list never shows it.
    created = run_cli("tokens", "create", "--loket", "beta", "--role", "editor", "--label", "feed", "--config", path)
    assert created.returncode == 0
    secret = created.stdout.strip()
    assert secret.startswith("loket_")
    listed = run_cli("tokens", "list", "--config", path).stdout
    token_id = listed.split()[0]
    assert "beta" in listed and "active" in listed and secret not in listed
    assert run_cli("tokens", "revoke", token_id, "--config", path).stdout.strip() == f"Token {token_id} revoked."
    assert "revoked" in run_cli("tokens", "list", "--loket", "beta", "--config", path).stdout
    bad = run_cli("tokens", "revoke", "not-an-id", "--config", path)
    assert bad.returncode == 2 and "is not a token id" in bad.stderr


def test_usage_errors_exit_2(write_config):
    result = run_cli("users", "grant", "alice", "alpha", "owner", "--config", str(write_config()))
    assert result.returncode == 2
    assert "'owner' is not one of 'admin', 'editor', 'recruiter', 'auditor'" in result.stderr


def test_the_demo_runs_from_any_copy(tmp_path):
    from core.demo import DEMO_CONFIG

    shutil.copy(DEMO_CONFIG, tmp_path / "loket.toml")
    result = run_cli("config", "apply", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "loket-data" / "events.sqlite").exists()
    lokets = run_cli("lokets", cwd=tmp_path).stdout
    assert "voordeklas — Voor de Klas" in lokets and "vota — VOTA" in lokets
