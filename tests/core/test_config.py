"""Validation of loket.toml: every problem names the file, the key path and the reason."""

from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from core.plugins import Plugins
from tests.conftest import BASE_CONFIG


@pytest.fixture(scope="module")
def plugins():
    return Plugins()


def problems_of(path: Path, plugins) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path, plugins)
    return [str(p) for p in raised.value.problems]


def test_the_base_configuration_is_valid(write_config, plugins):
    config = load_config(write_config(), plugins)
    assert list(config.lokets) == ["alpha", "beta"]
    alpha = config.lokets["alpha"]
    assert alpha["plugins"] == ["voorbeeld"]
    # Settings are loaded through the plugin's own schema, defaults filled in.
    assert alpha["settings"] == {"voorbeeld": {"greeting": "Hallo", "max_length": 140}}
    # Sectors default to the regions' sectors; a list of sectors is accepted for a region.
    assert config.lokets["beta"]["sectors"] == ["vo", "mbo"]
    assert config.store.sqlite_path == path_of(write_config) / "data" / "events.sqlite"
    assert len(config.sha256) == 64


def path_of(write_config) -> Path:
    return write_config().parent


INVALID = {
    "toml syntax error with line and column": (
        BASE_CONFIG + "\n[lokets.gamma\nname = 'x'\n",
        [f"loket.toml:{BASE_CONFIG.count(chr(10)) + 2}:14: TOML syntax error: Expected ']' at the end of a table declaration"],
    ),
    "unknown plugin lists the installed ones": (
        BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["voorbeeld", "vacature"]'),
        ["loket.toml: lokets.alpha.plugins[1]: unknown plugin 'vacature'; installed plugins: vacatures, vervangingspool, voorbeeld"],
    ),
    "a loket naming an unknown region": (
        BASE_CONFIG.replace('regions = ["vo-twente"]', 'regions = ["vo-twent"]'),
        ["loket.toml: lokets.beta.regions[0]: unknown region 'vo-twent'; defined regions: po-utrecht, vo-twente"],
    ),
    "a duplicate loket slug": (
        BASE_CONFIG + '\n[lokets.alpha]\nname = "Alpha again"\nregions = ["po-utrecht"]\n',
        ["loket.toml:", "lokets.alpha: duplicate loket slug 'alpha'"],
    ),
    "a duplicate region id": (
        BASE_CONFIG.replace('id = "vo-twente"', 'id = "po-utrecht"').replace('regions = ["vo-twente"]', 'regions = ["po-utrecht"]'),
        ["loket.toml: regions[1].id: duplicate region id 'po-utrecht'"],
    ),
    "a bad store URL": (
        BASE_CONFIG.replace("{url}", "mysql://db/loket"),
        ["loket.toml: store.url: unsupported store URL scheme 'mysql'"],
    ),
    "a postgres URL without a database": (
        BASE_CONFIG.replace("{url}", "postgresql://loket@127.0.0.1:5432/"),
        ["loket.toml: store.url: a postgresql URL needs a database name"],
    ),
    "a bad slug": (
        BASE_CONFIG.replace("[lokets.beta]", "[lokets.Beta_Loket]"),
        ["loket.toml: lokets.Beta_Loket: invalid key: must be lowercase letters"],
    ),
    "an unknown sector": (
        BASE_CONFIG.replace('sector = "po"', 'sector = "hbo"'),
        ["loket.toml: regions[0].sector: must be one of po, vo, mbo"],
    ),
    "an unknown region kind": (
        BASE_CONFIG.replace('kind = "rap-po"', 'kind = "rap-hbo"'),
        ["loket.toml: regions[0].kind: unknown region kind 'rap-hbo'; known: rap-po"],
    ),
    "a misspelt key": (
        BASE_CONFIG.replace('name = "Beta"', 'naam = "Beta"'),
        ["loket.toml: lokets.beta.naam: unknown key", "loket.toml: lokets.beta.name: missing data for required field"],
    ),
    "settings that the plugin's schema refuses": (
        BASE_CONFIG + "\n[lokets.alpha.settings.voorbeeld]\nmax_length = 0\n",
        ["loket.toml: lokets.alpha.settings.voorbeeld.max_length: must be greater than or equal to 1"],
    ),
    "settings for a plugin that is not installed": (
        BASE_CONFIG + "\n[lokets.beta.settings.vacature]\nx = 1\n",
        ["loket.toml: lokets.beta.settings.vacature: settings for unknown plugin 'vacature'"],
    ),
    "a missing regions list": (
        "[lokets.alpha]\nname = 'Alpha'\nregions = ['x']\n",
        ["loket.toml: regions: missing data for required field"],
    ),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_configuration_is_reported_with_file_key_and_reason(case, write_config, plugins):
    text, expected = INVALID[case]
    problems = "\n".join(problems_of(write_config(text), plugins))
    for fragment in expected:
        assert fragment in problems, problems


def test_every_problem_of_a_kind_is_reported_at_once(write_config, plugins):
    # Shape problems (types, keys) come first, all together; then the cross-checks, all together.
    shape = BASE_CONFIG.replace('sector = "po"', 'sector = "hbo"').replace('name = "Beta"', 'naam = "Beta"')
    assert len(problems_of(write_config(shape), plugins)) == 3
    cross = BASE_CONFIG.replace('regions = ["vo-twente"]', 'regions = ["x"]').replace('plugins = ["voorbeeld"]', 'plugins = ["nope"]')
    assert len(problems_of(write_config(cross), plugins)) == 2


def test_a_missing_file_is_reported(tmp_path, plugins):
    assert problems_of(tmp_path / "nowhere.toml", plugins) == [f"{tmp_path / 'nowhere.toml'}: cannot read the file: No such file or directory"]


def test_relative_store_paths_are_relative_to_the_file(tmp_path, plugins):
    folder = tmp_path / "etc"
    folder.mkdir()
    path = folder / "loket.toml"
    path.write_text(BASE_CONFIG.replace("{url}", "sqlite:///var/events.sqlite"))
    assert load_config(path, plugins).store.sqlite_path == folder / "var" / "events.sqlite"
