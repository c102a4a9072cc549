"""The errors the core raises. Each names what went wrong in words a person can act on.

Layers above map them once: the API to problem+json (``web.problems``), the CLI to exit status 2
(``core.cli``). Nothing here knows HTTP.
"""


class LoketError(Exception):
    """Base of every error Loket reports to a person rather than as a crash."""

    #: A short, stable slug naming the kind of problem (used as problem+json ``type``).
    slug = "error"


class NotFoundError(LoketError):
    """Raised when an item, loket or plugin that was asked for does not exist."""

    slug = "not-found"


class PluginDisabledError(NotFoundError):
    """Raised for a plugin's route in a loket that has the plugin switched off (or never on)."""

    slug = "plugin-disabled"


class GoneError(LoketError):
    """Raised for an item that was public and has closed for good (a vacancy filled or expired)."""

    slug = "gone"


class ConflictError(LoketError):
    """Raised when a command contradicts the current state (a duplicate, a second acceptance)."""

    slug = "conflict"


class StaleVersionError(ConflictError):
    """Raised when a write names a version that has since been changed by someone else."""

    slug = "stale-version"

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class InvalidInputError(LoketError):
    """Raised when input fails validation; ``problems`` maps a field path to its reason."""

    slug = "invalid-input"

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}

    def __str__(self) -> str:
        details = "; ".join(f"{field}: {reason}" for field, reason in self.problems.items())
        return f"{self.args[0]} {details}" if details else self.args[0]


class NotAuthenticatedError(LoketError):
    """Raised when a request needs a user or token and carries none that is valid."""

    slug = "not-authenticated"


class PermissionDeniedError(LoketError):
    """Raised when the actor lacks the role for an action in this loket."""

    slug = "permission-denied"


class StoreUnavailableError(LoketError):
    """Raised when the event store cannot be opened or reached."""

    slug = "store-unavailable"


class MissingEnvelopeError(LoketError):
    """Raised when an event is triggered outside ``acting(...)``: every event needs an actor."""

    slug = "missing-envelope"
