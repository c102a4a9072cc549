"""People and integrations: users with argon2-hashed passwords, roles per loket, API tokens.

Everything is an event: ``UserAdded``, ``PasswordChanged``, ``RoleGranted``, ``RoleRevoked``,
``TokenCreated``, ``TokenRevoked``. A token is shown once; only its sha256 is recorded (a token
secret is 256 random bits, so a fast hash is as safe as a slow one and keeps requests quick).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.domain import event

from core.application import LoketApplication
from core.domain import LoketAggregate, deterministic_id
from core.errors import ConflictError, InvalidInputError, NotAuthenticatedError, NotFoundError
from core.lokets import Lokets
from core.privacy import Personal

ROLES = ("admin", "editor", "recruiter", "auditor")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "loket"

_hasher = PasswordHasher()


class User(LoketAggregate):
    """A person who logs in: a user name, a password hash and roles per loket."""

    @staticmethod
    def create_id(username: str) -> UUID:
        return deterministic_id("user", username)

    @event("UserAdded")
    def __init__(self, username: str, password_hash: str) -> None:
        self.username = username
        self.password_hash = password_hash
        self.password_version = 1
        self.roles: dict[str, list[str]] = {}
        self.email: Personal | None = None

    @event("PasswordChanged")
    def change_password_hash(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.password_version += 1

    @event("EmailAddressSet")
    def set_email(self, email: Personal) -> None:
        self.email = email

    def grant(self, loket: str, role: str) -> bool:
        """Give ``role`` in ``loket``; False when the user had it already (nothing recorded)."""
        if role in self.roles.get(loket, []):
            return False
        self._grant(loket=loket, role=role)
        return True

    def revoke(self, loket: str, role: str) -> bool:
        """Take ``role`` in ``loket`` away; False when the user did not have it."""
        if role not in self.roles.get(loket, []):
            return False
        self._revoke(loket=loket, role=role)
        return True

    @event("RoleGranted")
    def _grant(self, loket: str, role: str) -> None:
        self.roles.setdefault(loket, []).append(role)

    @event("RoleRevoked")
    def _revoke(self, loket: str, role: str) -> None:
        self.roles[loket].remove(role)
        if not self.roles[loket]:
            del self.roles[loket]


class ApiToken(LoketAggregate):
    """A credential for an integration, scoped to one loket and one role."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("TokenCreated")
    def __init__(self, label: str, loket: str, role: str, secret_sha256: str) -> None:
        self.label = label
        self.loket = loket
        self.role = role
        self.secret_sha256 = secret_sha256
        self.revoked = False

    def revoke(self) -> bool:
        if self.revoked:
            return False
        self._revoke()
        return True

    @event("TokenRevoked")
    def _revoke(self) -> None:
        self.revoked = True


@dataclass(frozen=True)
class Principal:
    """Who is making a request: ``actor`` for the envelope, and roles per loket."""

    actor: str
    name: str
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def has_role(self, loket: str, *roles: str) -> bool:
        return any(role in self.roles.get(loket, ()) for role in roles)


class Identity:
    """Commands and queries on users and tokens."""

    def __init__(self, app: LoketApplication, lokets: Lokets, privacy: Any) -> None:
        self.app = app
        self.lokets = lokets
        self.privacy = privacy

    # Users

    def add_user(self, username: str, password: str) -> UUID:
        """:raise InvalidInputError: bad name or weak password. :raise ConflictError: name taken."""
        problems = {}
        if not USERNAME.match(username):
            problems["username"] = "use 2-64 lowercase letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        if len(password) < MIN_PASSWORD_LENGTH:
            problems["password"] = f"must be at least {MIN_PASSWORD_LENGTH} characters"
        if problems:
            raise InvalidInputError("The user cannot be added.", problems)
        if self._find_user(username) is not None:
            raise ConflictError(f"There is already a user '{username}'.")
        user = User(username=username, password_hash=_hasher.hash(password))
        self.app.save(user)  # a second process adding the same name collides here: same id
        return user.id

    def set_email(self, username: str, email: str) -> None:
        """The address for "forgot password" messages: personal data of the user, under their key."""
        from marshmallow import ValidationError, fields

        try:
            fields.Email().deserialize(email)
        except ValidationError:
            raise InvalidInputError("The e-mail address is not valid.", {"email": "give an e-mail address"}) from None
        user = self.get_user(username)
        person_id, person = self.privacy.person(email)
        user.set_email(self.privacy.protect(person_id, "account", email))
        self.app.save(*([person] if person else []), user)

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInputError("The password is too short.", {"password": f"must be at least {MIN_PASSWORD_LENGTH} characters"})
        user = self.get_user(username)
        user.change_password_hash(_hasher.hash(password))
        self.app.save(user)

    def grant(self, username: str, loket: str, role: str) -> bool:
        """True when the role was granted now, False when the user already had it."""
        _check_role(role)
        self.lokets.get(loket)
        user = self.get_user(username)
        changed = user.grant(loket=loket, role=role)
        if changed:
            self.app.save(user)
        return changed

    def revoke(self, username: str, loket: str, role: str) -> bool:
        _check_role(role)
        user = self.get_user(username)
        changed = user.revoke(loket=loket, role=role)
        if changed:
            self.app.save(user)
        return changed

    def authenticate(self, username: str, password: str) -> Principal:
        """:raise NotAuthenticatedError: unknown name or wrong password (the same message)."""
        user = self._find_user(username)
        try:
            if user is None:
                raise VerificationError
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise NotAuthenticatedError("Unknown user name or wrong password.") from None
        if _hasher.check_needs_rehash(user.password_hash):
            user.change_password_hash(_hasher.hash(password))
            self.app.save(user)
        return self.principal_of(user)

    def get_user(self, username: str) -> User:
        user = self._find_user(username)
        if user is None:
            raise NotFoundError(f"There is no user '{username}'.")
        return user

    def users(self) -> list[User]:
        return sorted(
            (self.app.get(user_id, User) for user_id in self.app.aggregate_ids(User.UserAdded)),
            key=lambda u: u.username,
        )

    def principal_of_session(self, username: str, password_version: int | None) -> Principal:
        """The logged-in user of a session; a session from before a password change is over.

        :raise NotAuthenticatedError: the user is gone or changed their password since.
        """
        user = self._find_user(username)
        if user is None or password_version != user.password_version:
            raise NotAuthenticatedError("Your session has ended; please log in again.")
        return self.principal_of(user)

    def actor_name(self, actor: str) -> str:
        """A readable name for an envelope's actor: a user's name, a token's label, or as it is."""
        kind, _, key = actor.partition(":")
        try:
            if kind == "user":
                return self.app.get(UUID(key), User).username
            if kind == "token":
                return f"token '{self.app.get_cached(UUID(key), ApiToken).label}'"
        except (ValueError, NotFoundError):
            pass
        return actor

    @staticmethod
    def principal_of(user: User) -> Principal:
        return Principal(
            actor=f"user:{user.id}",
            name=user.username,
            roles={loket: tuple(roles) for loket, roles in user.roles.items()},
        )

    def _find_user(self, username: str) -> User | None:
        try:
            return self.app.get(User.create_id(username), User)
        except NotFoundError:
            return None

    # Tokens

    def create_token(self, label: str, loket: str, role: str) -> tuple[UUID, str]:
        """Create a token; return its id and the secret token text, which is never shown again."""
        _check_role(role)
        self.lokets.get(loket)
        if not label.strip():
            raise InvalidInputError("A token needs a label.", {"label": "say what the token is for"})
        secret = secrets.token_urlsafe(32)
        token = ApiToken(label=label.strip(), loket=loket, role=role, secret_sha256=_sha256(secret))
        self.app.save(token)
        return token.id, f"{TOKEN_PREFIX}_{token.id.hex}_{secret}"

    def revoke_token(self, token_id: UUID) -> bool:
        token = self.app.get(token_id, ApiToken)
        changed = token.revoke()
        if changed:
            self.app.save(token)
        return changed

    def tokens(self, loket: str | None = None) -> list[ApiToken]:
        tokens = [self.app.get(token_id, ApiToken) for token_id in self.app.aggregate_ids(ApiToken.TokenCreated)]
        return [t for t in tokens if loket is None or t.loket == loket]

    def principal_for_token(self, text: str) -> Principal:
        """:raise NotAuthenticatedError: malformed, unknown, revoked or wrong token."""
        parts = text.split("_", 2)
        invalid = NotAuthenticatedError("The API token is not valid (unknown, revoked or mistyped).")
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            raise invalid
        try:
            token = self.app.get_cached(UUID(hex=parts[1]), ApiToken)
        except (ValueError, NotFoundError):
            raise invalid from None
        if token.revoked or not hmac.compare_digest(token.secret_sha256, _sha256(parts[2])):
            raise invalid
        return Principal(actor=f"token:{token.id}", name=token.label, roles={token.loket: (token.role,)})


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInputError(f"Unknown role '{role}'.", {"role": f"must be one of {', '.join(ROLES)}"})


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def describe_token(token: ApiToken) -> dict[str, Any]:
    return {"id": str(token.id), "label": token.label, "loket": token.loket, "role": token.role, "revoked": token.revoked}
