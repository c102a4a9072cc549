"""The screens for people and API tokens through Flask's test client: for a loket's admins only;
a new user's password and a new token are shown once and work."""

import re

import pytest

from core.envelope import acting
from tests.conftest import bearer
from tests.conftest import PASSWORD, csrf_of, login


@pytest.fixture
def staff(site):
    with acting(actor="cli:test"):
        for name, loket, role in (
            ("beheerder-alpha", "alpha", "admin"),
            ("redacteur-alpha", "alpha", "editor"),
            ("beheerder-beta", "beta", "admin"),
            ("redacteur-beta", "beta", "editor"),
        ):
            site.identity.add_user(name, PASSWORD)
            site.identity.grant(name, loket, role)


def admin_client(app):
    client = app.test_client()
    login(client, "beheerder-alpha")
    return client


def test_an_editor_is_not_let_in(client, staff):
    login(client, "redacteur-alpha")
    assert client.get("/beheer/alpha/mensen/").status_code == 403
    assert client.get("/beheer/alpha/tokens/").status_code == 403
    token = csrf_of(client.get("/beheer/alpha/").get_data(as_text=True))
    assert client.post("/beheer/alpha/tokens/nieuw", data={"csrf_token": token, "label": "X", "rol": "admin"}).status_code == 403
    assert client.post("/beheer/alpha/mensen/toevoegen", data={"csrf_token": token, "gebruikersnaam": "x1", "rol": "admin"}).status_code == 403
    assert client.post("/beheer/alpha/mensen/rol-geven", data={"csrf_token": token, "gebruikersnaam": "redacteur-alpha", "rol": "admin"}).status_code == 403


def test_the_list_shows_this_lokets_people_and_roles_only(app, staff):
    client = admin_client(app)
    response = client.get("/beheer/alpha/mensen/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "beheerder-alpha" in html and "redacteur-alpha" in html
    assert "beta" not in html.split("<main", 1)[1]  # nobody of beta, no roles elsewhere
    # One's own admin role has no revoke button.
    assert 'aria-label="Rol beheerder intrekken voor beheerder-alpha"' not in html
    assert 'aria-label="Rol redacteur intrekken voor redacteur-alpha"' in html


def test_an_admin_invites_a_new_user_who_can_log_in(app, site, staff):
    client = admin_client(app)
    token = csrf_of(client.get("/beheer/alpha/mensen/").get_data(as_text=True))
    response = client.post("/beheer/alpha/mensen/toevoegen", data={"csrf_token": token, "gebruikersnaam": "Nieuwe.Collega", "rol": "editor"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'id="eerste-wachtwoord" type="text" readonly value="([^"]+)"', html).group(1)
    assert len(password) >= 16 and "maar één keer getoond" in html and "veilig door" in html and "te veranderen" in html
    # Shown once: not on the list afterwards, nor in the session cookie.
    again = client.get("/beheer/alpha/mensen/").get_data(as_text=True)
    assert password not in again and "nieuwe.collega" in again
    assert password not in (response.headers.get("Set-Cookie") or "")

    newcomer = app.test_client()
    landed = login(newcomer, "nieuwe.collega", password)
    assert landed.headers["Location"] == "/beheer/alpha/"
    assert newcomer.get("/beheer/alpha/inhoud/page/").status_code == 200
    assert newcomer.get("/beheer/alpha/mensen/").status_code == 403
    assert site.identity.get_user("nieuwe.collega").roles == {"alpha": ["editor"]}


def test_an_admin_adds_an_existing_user_and_grants_and_revokes_roles(app, site, staff):
    client = admin_client(app)
    token = csrf_of(client.get("/beheer/alpha/mensen/").get_data(as_text=True))
    added = client.post("/beheer/alpha/mensen/toevoegen", data={"csrf_token": token, "gebruikersnaam": "redacteur-beta", "rol": "auditor"})
    assert added.status_code == 302
    html = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "redacteur-beta heeft nu de rol auditor in dit loket." in html and "eerste-wachtwoord" not in html
    assert site.identity.get_user("redacteur-beta").roles == {"beta": ["editor"], "alpha": ["auditor"]}

    granted = client.post("/beheer/alpha/mensen/rol-geven", data={"csrf_token": token, "gebruikersnaam": "redacteur-alpha", "rol": "admin"})
    assert granted.status_code == 302
    assert site.identity.get_user("redacteur-alpha").roles == {"alpha": ["editor", "admin"]}
    revoked = client.post("/beheer/alpha/mensen/rol-intrekken", data={"csrf_token": token, "gebruikersnaam": "redacteur-alpha", "rol": "editor"})
    assert revoked.status_code == 302
    assert "De rol editor van redacteur-alpha in dit loket is ingetrokken." in client.get("/beheer/alpha/mensen/").get_data(as_text=True)
    assert site.identity.get_user("redacteur-alpha").roles == {"alpha": ["admin"]}

    # One's own admin role stays.
    own = client.post("/beheer/alpha/mensen/rol-intrekken", data={"csrf_token": token, "gebruikersnaam": "beheerder-alpha", "rol": "admin"})
    assert "eigen rol beheerder niet intrekken" in client.get(own.headers["Location"]).get_data(as_text=True)
    assert site.identity.get_user("beheerder-alpha").roles == {"alpha": ["admin"]}


def test_a_bad_user_name_is_refused_with_the_field(app, site, staff):
    client = admin_client(app)
    token = csrf_of(client.get("/beheer/alpha/mensen/").get_data(as_text=True))
    response = client.post("/beheer/alpha/mensen/toevoegen", data={"csrf_token": token, "gebruikersnaam": "x", "rol": "editor"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="error-summary"' in html and 'href="#nieuw-naam"' in html and 'aria-invalid="true"' in html
    assert "eerste-wachtwoord" not in html
    bad_role = client.post("/beheer/alpha/mensen/toevoegen", data={"csrf_token": token, "gebruikersnaam": "goede-naam", "rol": "koning"})
    assert bad_role.status_code == 422 and 'href="#nieuw-rol"' in bad_role.get_data(as_text=True)
    assert [u.username for u in site.identity.users()] == ["beheerder-alpha", "beheerder-beta", "redacteur-alpha", "redacteur-beta"]


def test_a_token_is_shown_once_works_and_stops_after_revoking(app, client, staff):
    admin = admin_client(app)
    token = csrf_of(admin.get("/beheer/alpha/tokens/").get_data(as_text=True))
    created = admin.post("/beheer/alpha/tokens/nieuw", data={"csrf_token": token, "label": "Website Alpha", "rol": "editor"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="nieuw-token" type="text" readonly value="([^"]+)"', html).group(1)
    assert secret.startswith("loket_") and "maar één keer getoond" in html

    listing = admin.get("/beheer/alpha/tokens/").get_data(as_text=True)
    assert "Website Alpha" in listing and "actief" in listing and secret not in listing and secret.rsplit("_", 1)[1] not in listing

    assert client.get("/api/v1/lokets/alpha/pages?status=all", headers=bearer(secret)).status_code == 200

    revoke_url = re.search(r'action="(/beheer/alpha/tokens/[0-9a-f-]+/intrekken)"', listing).group(1)
    revoked = admin.post(revoke_url, data={"csrf_token": token})
    assert revoked.status_code == 302
    after = admin.get("/beheer/alpha/tokens/").get_data(as_text=True)
    assert "Het token “Website Alpha” is ingetrokken" in after and "ingetrokken" in after and revoke_url not in after
    assert client.get("/api/v1/lokets/alpha/pages?status=all", headers=bearer(secret)).status_code == 401


def test_a_token_needs_a_label_and_a_role(app, site, staff):
    admin = admin_client(app)
    token = csrf_of(admin.get("/beheer/alpha/tokens/").get_data(as_text=True))
    response = admin.post("/beheer/alpha/tokens/nieuw", data={"csrf_token": token, "label": " ", "rol": "baas"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#token-label"' in html and 'href="#token-rol"' in html
    assert site.identity.tokens("alpha") == []


def test_an_admin_of_alpha_cannot_manage_beta(app, site, staff):
    with acting(actor="cli:test"):
        beta_token_id = site.identity.create_token("Website Beta", "beta", "editor")[0]
    admin = admin_client(app)
    assert admin.get("/beheer/beta/mensen/").status_code == 403
    assert admin.get("/beheer/beta/tokens/").status_code == 403
    token = csrf_of(admin.get("/beheer/alpha/tokens/").get_data(as_text=True))
    assert admin.post("/beheer/beta/tokens/nieuw", data={"csrf_token": token, "label": "X", "rol": "admin"}).status_code == 403
    assert admin.post("/beheer/beta/mensen/rol-geven", data={"csrf_token": token, "gebruikersnaam": "beheerder-alpha", "rol": "admin"}).status_code == 403
    assert admin.post(f"/beheer/beta/tokens/{beta_token_id}/intrekken", data={"csrf_token": token}).status_code == 403
    # Beta's token is not found through alpha's screens either, and is not listed there.
    assert admin.post(f"/beheer/alpha/tokens/{beta_token_id}/intrekken", data={"csrf_token": token}).status_code == 404
    assert "Website Beta" not in admin.get("/beheer/alpha/tokens/").get_data(as_text=True)
    assert not site.identity.tokens("beta")[0].revoked
    assert site.identity.get_user("beheerder-alpha").roles == {"alpha": ["admin"]}
