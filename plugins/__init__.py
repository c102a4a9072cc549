"""The built-in plugins. Each is a package ``plugins.<name>`` of the same shape (see
``docs/plugins.md``) and is registered under ``<name>``, the name ``loket.toml`` uses.

Each plugin joins this tuple when its own issue lands.
"""

BUILTIN_PLUGINS: tuple[str, ...] = ("vacatures", "vervangingspool")
