"""Users, roles per loket and API tokens: all events, secrets only hashed."""

import pytest

from core.envelope import acting
from core.errors import ConflictError, InvalidInputError, NotAuthenticatedError, NotFoundError
from core.identity import ApiToken, User


def test_users_get_roles_per_loket(site):
    with acting(actor="cli:test"):
        # Add a user; the password is stored as an argon2 hash, never as given.
        site.identity.add_user("alice", "correct horse battery")
        user = site.identity.get_user("alice")
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse battery" not in str(list(site.app.recorder.select_notifications(start=None, limit=100)))

        # Grant editor in alpha; granting it again records nothing.
        assert site.identity.grant("alice", "alpha", "editor") is True
        assert site.identity.grant("alice", "alpha", "editor") is False
        principal = site.identity.authenticate("alice", "correct horse battery")
        assert principal.has_role("alpha", "editor")
        assert not principal.has_role("beta", "editor")

        # Revoke it again.
        assert site.identity.revoke("alice", "alpha", "editor") is True
        assert not site.identity.authenticate("alice", "correct horse battery").has_role("alpha", "editor")

    events = [type(e).__name__ for e in site.app.events.get(User.create_id("alice"))]
    assert events == ["UserAdded", "RoleGranted", "RoleRevoked"]
    assert {e.envelope["actor"] for e in site.app.events.get(User.create_id("alice"))} == {"cli:test"}


def test_user_commands_refuse_bad_input(site):
    with acting(actor="cli:test"):
        with pytest.raises(InvalidInputError) as raised:
            site.identity.add_user("Alice Smith", "short")
        assert set(raised.value.problems) == {"username", "password"}
        site.identity.add_user("alice", "correct horse battery")
        with pytest.raises(ConflictError, match="already a user 'alice'"):
            site.identity.add_user("alice", "another good password")
        with pytest.raises(InvalidInputError, match="Unknown role 'owner'"):
            site.identity.grant("alice", "alpha", "owner")
        with pytest.raises(NotFoundError, match="no loket 'gamma'"):
            site.identity.grant("alice", "gamma", "editor")
        with pytest.raises(NotFoundError, match="no user 'bob'"):
            site.identity.grant("bob", "alpha", "editor")


def test_a_wrong_password_and_an_unknown_user_look_the_same(site):
    with acting(actor="cli:test"):
        site.identity.add_user("alice", "correct horse battery")
    for name, password in (("alice", "wrong password!"), ("mallory", "correct horse battery")):
        with pytest.raises(NotAuthenticatedError, match="Unknown user name or wrong password"):
            site.identity.authenticate(name, password)


def test_tokens_are_shown_once_scoped_and_revocable(site):
    with acting(actor="cli:test"):
        token_id, secret = site.identity.create_token("vacaturefeed", "alpha", "editor")

    # The secret is not in the store; only its hash is.
    stored = str(list(site.app.recorder.select_notifications(start=None, limit=100)))
    assert secret.split("_", 2)[2] not in stored
    assert site.app.get(token_id, ApiToken).secret_sha256 in stored

    # The token acts as editor in alpha only.
    principal = site.identity.principal_for_token(secret)
    assert principal.actor == f"token:{token_id}"
    assert principal.has_role("alpha", "editor") and not principal.has_role("beta", "editor")
    assert not principal.has_role("alpha", "admin")

    # A mistyped or revoked token is refused.
    for bad in (secret[:-1] + ("A" if secret[-1] != "A" else "B"), "loket_nothex_x", "nonsense"):
        with pytest.raises(NotAuthenticatedError):
            site.identity.principal_for_token(bad)
    with acting(actor="cli:test"):
        assert site.identity.revoke_token(token_id) is True
        assert site.identity.revoke_token(token_id) is False
    with pytest.raises(NotAuthenticatedError):
        site.identity.principal_for_token(secret)
    assert [t.revoked for t in site.identity.tokens("alpha")] == [True]
    assert site.identity.tokens("beta") == []
