"""Applying loket.toml: exactly the expected events, nothing twice, nothing from a bad file."""

import subprocess
import sys

import pytest

from core.config import ConfigError
from core.site import Site
from tests.conftest import BASE_CONFIG, run_cli


def recorded(events):
    return [(e.envelope["loket"], type(e).__name__) for e in events]


def test_a_config_diff_records_exactly_the_expected_events(write_config, store_url):
    path = write_config(url=store_url)

    # The first apply opens both lokets with their regions, plugins and settings.
    site = Site.open(path)
    first = site.apply_config()
    assert recorded(first) == [
        ("alpha", "LoketOpened"),
        ("alpha", "RegionJoined"),
        ("alpha", "PluginEnabled"),
        ("alpha", "SettingsChanged"),
        ("beta", "LoketOpened"),
        ("beta", "RegionJoined"),
    ]
    assert {e.envelope["actor"] for e in first} == {"config"}
    assert {e.config_sha256 for e in first} == {site.config.sha256}
    site.close()

    # Changing the file: beta switches the plugin on with a setting, alpha switches it off and is renamed.
    changed = (
        BASE_CONFIG.replace('name = "Alpha"', 'name = "Alpha Regio"')
        .replace('plugins = ["voorbeeld"]', "plugins = []")
        + '\nplugins = ["voorbeeld"]\n\n[lokets.beta.settings.voorbeeld]\ngreeting = "Goedemorgen"\n'
    )
    site = Site.open(write_config(changed, url=store_url))
    second = site.apply_config()
    assert recorded(second) == [
        ("alpha", "LoketRenamed"),
        ("alpha", "PluginDisabled"),
        ("beta", "PluginEnabled"),
        ("beta", "SettingsChanged"),
    ]
    assert second[-1].settings == {"greeting": "Goedemorgen", "max_length": 140}

    # Applying the same file again records nothing.
    assert site.apply_config() == []
    site.close()

    # Dropping a loket from the file closes it; its history stays.
    without_beta = changed.split("[lokets.beta]")[0]
    site = Site.open(write_config(without_beta, url=store_url))
    assert recorded(site.apply_config()) == [("beta", "LoketClosed")]
    assert [l.slug for l in site.lokets.all()] == ["alpha"]
    assert [l.slug for l in site.lokets.all(include_closed=True)] == ["alpha", "beta"]
    site.close()


def test_plugin_history_is_read_from_the_events(write_config, store_url):
    site = Site.open(write_config(url=store_url))
    site.apply_config()
    site.close()
    site = Site.open(write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', "plugins = []"), url=store_url))
    site.apply_config()
    history = site.lokets.plugin_history("alpha")
    assert [(h["plugin"], h["change"], h["actor"]) for h in history] == [
        ("voorbeeld", "enabled", "config"),
        ("voorbeeld", "disabled", "config"),
    ]
    assert history[0]["at"] <= history[1]["at"]
    site.close()


def test_an_invalid_file_records_nothing(write_config, store_url):
    site = Site.open(write_config(url=store_url))
    site.apply_config()
    position = site.app.position()
    site.close()
    with pytest.raises(ConfigError):
        Site.open(write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["nope"]'), url=store_url))
    site = Site.open(write_config(url=store_url))
    assert site.app.position() == position
    site.close()


APPLY = """
import sys
from core.site import Site
site = Site.open(sys.argv[1])
site.app  # connect before the go, so that the applies overlap
sys.stdin.readline()  # wait for the go
print(len(site.apply_config()))
"""


def test_processes_applying_at_once_never_record_an_event_twice(write_config, store_url):
    path = write_config(url=store_url)
    # The store exists already, as it does after any first start.
    Site.open(path).app.close()

    # Four processes open the site, then apply the same file at the same moment.
    workers = [
        subprocess.Popen([sys.executable, "-c", APPLY, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    counts = [int(worker.communicate(timeout=120)[0].strip()) for worker in workers]

    # Exactly one of them recorded the six events; the others found nothing left to do.
    assert sorted(counts) == [0, 0, 0, 6]
    site = Site.open(path)
    events = list(site.app.domain_events())
    assert len(events) == 6
    site.close()


def test_config_apply_from_the_cli(write_config, store_url):
    path = write_config(url=store_url)
    result = run_cli("config", "apply", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert "alpha                LoketOpened      Alpha" in result.stdout
    again = run_cli("config", "apply", "--config", str(path))
    assert again.stdout.strip() == "Nothing to record: the store already matches the configuration."


def test_an_apply_that_loses_the_race_retries_and_finds_nothing_to_do(write_config, store_url, monkeypatch):
    path = write_config(url=store_url)
    ours, theirs = Site.open(path), Site.open(path)

    # Another process applies the same file between our reading and our saving.
    real_save = ours.app.save
    interleaved = []

    def save_after_the_other_process(*aggregates):
        if not interleaved:
            interleaved.append(len(theirs.apply_config()))
        return real_save(*aggregates)

    monkeypatch.setattr(ours.app, "save", save_after_the_other_process)

    # Our first save collides; the retry reloads and finds the store up to date.
    assert ours.apply_config() == []
    assert interleaved == [6]
    assert len(list(ours.app.domain_events())) == 6
    ours.close()
    theirs.close()
