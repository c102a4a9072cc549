"""The documentation keeps up with the code: every hook is documented under its exact signature."""

from pathlib import Path

import pytest

from core.plugins import get_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DOCS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOK_NAMES = sorted(name for name in dir(get_plugin_manager().hook) if not name.startswith("_"))


def test_there_are_hooks():
    assert len(HOOK_NAMES) >= 11


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_hook_is_documented(name):
    spec = getattr(get_plugin_manager().hook, name).spec
    signature = f"### {name}({', '.join(spec.argnames)})"
    assert signature in PLUGIN_DOCS, f"Missing from docs/plugins.md: {signature}"


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_hook_has_a_docstring_with_an_example(name):
    spec = getattr(get_plugin_manager().hook, name).spec
    assert spec.function.__doc__ and "Example::" in spec.function.__doc__


def test_the_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_every_cli_command_is_in_the_readme():
    import click

    from core.cli import cli
    from core.plugins import CORE_PLUGINS, Plugins
    import web.cli  # noqa: F401 - adds `serve`

    # The core's own modules add their commands through the hook, as plugins do.
    plugins = Plugins()
    for name in CORE_PLUGINS:
        plugins.call(name, "register_commands", cli=cli)

    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix} {name}")

    for command in walk(cli, "loket"):
        assert f"`{command}" in readme, f"README.md does not describe {command}"
