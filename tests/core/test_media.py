"""The media library: types read from the content, files kept once by their sha256, the API with
its public file serving, Markdown bodies that use the files, and the editor screen."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from core.markdown import render_markdown
from core.media import files
from core.media.api import content_disposition
from core.media.domain import MediaItem
from core.media.files import RefusedFileError, clean_filename, media_dir, sniff
from tests.conftest import bearer, csrf_of, login



# Real tiny files, built here


def png(width: int = 1, height: int = 1) -> bytes:
    """A valid RGB PNG of ``width`` × ``height`` red pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width: int = 1, height: int = 1) -> bytes:
    """A baseline greyscale JPEG: quantisation and Huffman tables, a frame header of ``width`` ×
    ``height`` and one scan (decodable for 1 × 1: DC 0, end of block)."""
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # one code of length 1, for symbol 0
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 2 * 18) + b"\x00" + one_code + b"\x10" + one_code
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + dqt + sof + dht + sos + b"\x3f" + b"\xff\xd9"


#: The well-known 1 × 1 lossless WebP (VP8L).
WEBP_1X1 = bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111888888fe0700")


def webp_vp8x(width: int, height: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x10\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def webp_vp8(width: int, height: int) -> bytes:
    frame = b"\x50\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\x00" * 8
    body = b"VP8 " + struct.pack("<I", len(frame)) + frame
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


# Fixtures and helpers




def upload(client, secret, data, filename="foto.png", alt="", loket="alpha", content_type="application/octet-stream"):
    form = {"file": (io.BytesIO(data), filename, content_type), "alt": alt}
    return client.post(f"/api/v1/lokets/{loket}/media", data=form, headers=bearer(secret), content_type="multipart/form-data")


def stored_files(site) -> list[Path]:
    return [p for p in media_dir(site).rglob("*") if p.is_file()]


# What a file is: its content decides


@pytest.mark.parametrize(
    "data, content_type, size",
    [
        (png(), "image/png", (1, 1)),
        (png(3, 2), "image/png", (3, 2)),
        (jpeg(), "image/jpeg", (1, 1)),
        (jpeg(640, 480), "image/jpeg", (640, 480)),
        (WEBP_1X1, "image/webp", (1, 1)),
        (webp_vp8x(1200, 800), "image/webp", (1200, 800)),
        (webp_vp8(320, 200), "image/webp", (320, 200)),
        (PDF, "application/pdf", (None, None)),
    ],
)
def test_the_type_and_size_come_from_the_bytes(data, content_type, size):
    sniffed = sniff(data)
    assert (sniffed.content_type, (sniffed.width, sniffed.height)) == (content_type, size)


@pytest.mark.parametrize(
    "data, reason",
    [
        (GIF, "GIF"),
        (EXE, "Windows program"),
        (ELF, "program"),
        (HTML, "web page"),
        (SVG, "web page or SVG"),
        (b"just some text", "not an accepted type"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "damaged"),  # a PNG signature without IHDR
        (b"\xff\xd8\xff\xd9", "damaged"),  # a JPEG without a frame header
    ],
)
def test_anything_else_is_refused_with_a_reason(data, reason):
    with pytest.raises(RefusedFileError) as refused:
        sniff(data)
    assert reason in refused.value.problems["file"]
    assert refused.value.dutch["file"]  # the screens show it in Dutch


def test_the_media_folder_is_beside_the_configuration_not_in_the_data_folder(site):
    assert media_dir(site) == site.config.path.parent / "loket-media"
    assert site.config.data_dir not in media_dir(site).parents


# The API


def test_upload_list_and_serve_an_image(site, client, token):
    editor = token("alpha", "editor")

    # Upload a PNG with its alt text; the browser's Content-Type is not believed.
    created = upload(client, editor, png(), filename="klas.png", alt="Een klas met leerlingen", content_type="text/html")
    assert created.status_code == 201, created.get_data(as_text=True)
    item = created.json
    sha = item["sha256"]
    path = f"/api/v1/lokets/alpha/media/{sha}"
    assert item["contentType"] == "image/png" and (item["width"], item["height"]) == (1, 1)
    assert item["filename"] == "klas.png" and item["size"] == len(png()) and item["alt"] == "Een klas met leerlingen"
    assert item["path"] == path and item["url"] == f"{site.config.public_url}{path}"
    assert item["markdown"] == f"![Een klas met leerlingen]({path})"
    assert created.headers["ETag"] == '"1"' and created.headers["Location"] == path

    # It is kept by content beside the configuration.
    assert stored_files(site) == [media_dir(site) / sha[:2] / sha]

    # Editors list it.
    listing = client.get("/api/v1/lokets/alpha/media", headers=bearer(editor)).json
    assert listing["total"] == 1 and listing["items"][0]["id"] == item["id"]

    # Anyone can fetch the file, with safe headers.
    served = client.get(path)
    assert served.status_code == 200 and served.data == png()
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["ETag"] == f'"{sha}"'
    assert served.headers["Content-Disposition"].startswith('inline; filename="klas.png"')
    assert "Content-Security-Policy" not in served.headers
    assert client.get(path, headers={"If-None-Match": f'"{sha}"'}).status_code == 304


def test_a_png_name_with_pdf_bytes_is_stored_as_a_pdf(client, token):
    created = upload(client, token("alpha", "editor"), PDF, filename="foto.png", content_type="image/png")
    assert created.status_code == 201
    item = created.json
    assert item["contentType"] == "application/pdf" and item["width"] is None
    assert item["filename"] == "foto.pdf"
    assert item["markdown"] == f"[foto.pdf](/api/v1/lokets/alpha/media/{item['sha256']})"

    # A PDF is served in a sandbox.
    served = client.get(item["path"])
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("data, name", [(EXE, "setup.exe"), (HTML, "pagina.html"), (GIF, "plaatje.gif"), (HTML, "stiekem.png"), (b"", "leeg.png")])
def test_programs_pages_and_gifs_are_refused(site, client, token, data, name):
    refused = upload(client, token("alpha", "editor"), data, filename=name, content_type="image/png")
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert [p["name"] for p in refused.json["invalidParams"]] == ["file"]
    assert stored_files(site) == []


def test_no_file_is_refused(client, token):
    refused = client.post("/api/v1/lokets/alpha/media", data={"alt": "niets"}, headers=bearer(token("alpha", "editor")), content_type="multipart/form-data")
    assert refused.status_code == 422 and refused.json["invalidParams"][0]["name"] == "file"


def test_an_oversized_file_is_refused(site, client, token, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    editor = token("alpha", "editor")

    # Just over the limit: read, measured and refused.
    too_big = upload(client, editor, png() + b"\x00" * (1001 - len(png())))
    assert too_big.status_code == 422 and "larger than 1000 bytes" in too_big.json["invalidParams"][0]["reason"]

    # Far over: refused by its Content-Length before it is read.
    far_too_big = upload(client, editor, png() + b"\x00" * 200_000)
    assert far_too_big.status_code == 422 and far_too_big.json["invalidParams"][0]["name"] == "file"

    # At the limit it is fine.
    assert upload(client, editor, png() + b"\x00" * (1000 - len(png()))).status_code == 201
    assert len(stored_files(site)) == 1


def test_the_same_bytes_are_stored_once(site, client, token):
    first = upload(client, token("alpha", "editor"), jpeg(), filename="a.jpg").json
    second = upload(client, token("alpha", "editor"), jpeg(), filename="b.jpeg").json
    other_loket = upload(client, token("beta", "editor"), jpeg(), filename="c.jpg", loket="beta").json
    assert first["id"] != second["id"] != other_loket["id"]
    assert first["sha256"] == second["sha256"] == other_loket["sha256"]
    assert second["filename"] == "b.jpeg"
    assert len(stored_files(site)) == 1
    assert not list(media_dir(site).rglob(".upload-*"))  # no temporary files left behind


def test_withdrawn_and_other_lokets_files_are_not_served(client, token):
    editor = token("alpha", "editor")
    item = upload(client, editor, WEBP_1X1, filename="logo.webp").json
    path = item["path"]
    assert client.get(path).status_code == 200

    # Another loket's address for the same file: not theirs.
    other = client.get(path.replace("/alpha/", "/beta/"))
    assert other.status_code == 404 and other.content_type == "application/problem+json"
    # Not a sha256, or unknown: 404 as well.
    assert client.get("/api/v1/lokets/alpha/media/../../etc/passwd").status_code == 404
    assert client.get("/api/v1/lokets/alpha/media/" + "0" * 64).status_code == 404

    # Withdrawing needs If-Match, like every change.
    assert client.delete(f"/api/v1/lokets/alpha/media/{item['id']}", headers=bearer(editor)).status_code == 428
    withdrawn = client.delete(f"/api/v1/lokets/alpha/media/{item['id']}", headers={**bearer(editor), "If-Match": '"1"'})
    assert withdrawn.status_code == 200 and withdrawn.json["withdrawn"] is True and withdrawn.headers["ETag"] == '"2"'
    assert client.get(path).status_code == 404
    assert client.get("/api/v1/lokets/alpha/media", headers=bearer(editor)).json["total"] == 0

    # Twice is a conflict; beta's editor cannot touch alpha's item.
    again = client.delete(f"/api/v1/lokets/alpha/media/{item['id']}", headers={**bearer(editor), "If-Match": '"2"'})
    assert again.status_code == 409
    beta = token("beta", "editor")
    assert client.delete(f"/api/v1/lokets/beta/media/{item['id']}", headers={**bearer(beta), "If-Match": '"2"'}).status_code == 404


def test_a_withdrawn_item_does_not_hide_another_use_of_the_same_file(client, token):
    editor = token("alpha", "editor")
    first = upload(client, editor, png(), filename="een.png").json
    upload(client, editor, png(), filename="twee.png")
    client.delete(f"/api/v1/lokets/alpha/media/{first['id']}", headers={**bearer(editor), "If-Match": '"1"'})
    served = client.get(first["path"])
    assert served.status_code == 200 and 'filename="twee.png"' in served.headers["Content-Disposition"]


def test_changing_the_alt_text_is_an_event(site, client, token):
    editor = token("alpha", "editor")
    item = upload(client, editor, png(), alt="Oud").json
    url = f"/api/v1/lokets/alpha/media/{item['id']}"

    # Change it, naming the version read.
    changed = client.patch(url, json={"alt": "Leerlingen  bij een\nschoolbord"}, headers={**bearer(editor), "If-Match": '"1"'})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["alt"] == "Leerlingen bij een schoolbord" and changed.json["version"] == 2
    assert changed.json["markdown"] == f"![Leerlingen bij een schoolbord]({item['path']})"

    # It is in the log, with who did it.
    events = list(site.app.domain_events(MediaItem.AltTextChanged))
    assert [e.alt for e in events] == ["Leerlingen bij een schoolbord"]
    assert events[0].envelope["actor"].startswith("token:") and events[0].envelope["loket"] == "alpha"

    # A stale version, a missing one, a bad body, an auditor, no token: refused.
    assert client.patch(url, json={"alt": "x"}, headers={**bearer(editor), "If-Match": '"1"'}).status_code == 412
    assert client.patch(url, json={"alt": "x"}, headers=bearer(editor)).status_code == 428
    invalid = client.patch(url, json={"alt": "x" * 301}, headers={**bearer(editor), "If-Match": '"2"'})
    assert invalid.status_code == 422 and invalid.json["invalidParams"][0]["name"] == "alt"
    auditor = token("alpha", "auditor")
    assert client.patch(url, json={"alt": "x"}, headers={**bearer(auditor), "If-Match": '"2"'}).status_code == 403
    assert client.get("/api/v1/lokets/alpha/media", headers=bearer(auditor)).status_code == 200
    assert client.get("/api/v1/lokets/alpha/media").status_code == 401
    assert client.get("/api/v1/lokets/beta/media", headers=bearer(editor)).status_code == 403


def test_filenames_are_cleaned_and_safely_encoded(client, token):
    # Folders and control characters go; the name and its accents stay.
    item = upload(client, token("alpha", "editor"), png(), filename="..\\map/Één\tklas (2).png").json
    assert item["filename"] == "Éénklas (2).png"
    disposition = client.get(item["path"]).headers["Content-Disposition"]
    assert disposition == "inline; filename=\"Eenklas (2).png\"; filename*=UTF-8''%C3%89%C3%A9nklas%20%282%29.png"

    # Quotes, semicolons and line breaks cannot break out of the header.
    header = content_disposition('a "b";\r\nX-Evil: 1.pdf')
    assert header == "inline; filename=\"a _b____X-Evil_ 1.pdf\"; filename*=UTF-8''a%20%22b%22%3B%0D%0AX-Evil%3A%201.pdf"


@pytest.mark.parametrize(
    "name, content_type, cleaned",
    [
        ("foto.PNG", "image/png", "foto.PNG"),
        ("foto.jpeg", "image/jpeg", "foto.jpeg"),
        ("foto.png", "application/pdf", "foto.pdf"),
        ("rapport", "application/pdf", "rapport.pdf"),
        ("versie.1.2", "image/webp", "versie.1.2.webp"),
        ("", "image/png", "bestand.png"),
        (".htaccess", "image/png", "htaccess.png"),
        ("x" * 300 + ".png", "image/png", "x" * 196 + ".png"),
    ],
)
def test_the_name_gets_the_extension_of_the_content(name, content_type, cleaned):
    assert clean_filename(name, content_type) == cleaned


def test_the_log_rebuilds_the_read_model(site, client, token):
    editor = token("alpha", "editor")
    item = upload(client, editor, png(), alt="Eerst").json
    client.patch(f"/api/v1/lokets/alpha/media/{item['id']}", json={"alt": "Daarna"}, headers={**bearer(editor), "If-Match": '"1"'})
    upload(client, editor, PDF, filename="folder.pdf")
    view = site.projection("media").view
    before = view.dump()
    site.projections.rebuild()  # every view dropped and replayed from the log
    assert view.dump() == before and len(before["media"]) == 2


def test_the_media_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/lokets/{loket}/media"]) >= {"get", "post"}
    assert set(paths["/api/v1/lokets/{loket}/media/{mediaId}"]) >= {"patch", "delete"}
    assert "get" in paths["/api/v1/lokets/{loket}/media/{digest}"]
    assert "multipart/form-data" in paths["/api/v1/lokets/{loket}/media"]["post"]["requestBody"]["content"]


# Markdown bodies


def test_the_markdown_snippet_survives_the_sanitiser(client, token):
    item = upload(client, token("alpha", "editor"), png(), alt="Een [klas] met *leerlingen* & <docent>").json
    html = render_markdown(f"Zo ziet het eruit:\n\n{item['markdown']}\n")
    assert f'<img src="/api/v1/lokets/alpha/media/{item["sha256"]}" alt="Een [klas] met *leerlingen* &amp; &lt;docent&gt;">' in html

    pdf = upload(client, token("alpha", "editor"), PDF, filename="brochure [2026].pdf").json
    link = render_markdown(pdf["markdown"])
    assert f'<a href="/api/v1/lokets/alpha/media/{pdf["sha256"]}" rel="noopener noreferrer">brochure [2026].pdf</a>' in link


def test_a_page_body_with_an_image_is_published_with_it(client, token):
    editor = token("alpha", "editor")
    item = upload(client, editor, png(), alt="Een klas").json
    created = client.post("/api/v1/lokets/alpha/pages", json={"title": "Werken als leraar", "body": f"Kijk:\n\n{item['markdown']}"}, headers=bearer(editor))
    assert created.status_code == 201, created.get_data(as_text=True)
    client.post(f"/api/v1/lokets/alpha/pages/{created.json['id']}/publish", headers=bearer(editor))
    page = client.get("/api/v1/lokets/alpha/pages/werken-als-leraar").json
    assert f'<img src="{item["path"]}" alt="Een klas">' in page["bodyHtml"]


# The editor screen


def test_the_screen_uploads_with_csrf_and_refuses_without(site, client, people):
    login(client)
    page = client.get("/beheer/alpha/media/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Media</h1>" in html and "<script" not in html
    assert 'enctype="multipart/form-data"' in html and 'for="media-bestand"' in html and 'for="media-alt"' in html
    token = csrf_of(html)

    # Upload through the form.
    form = {"csrf_token": token, "file": (io.BytesIO(png(2, 1)), "klas.png"), "alt": "Een klas"}
    done = client.post("/beheer/alpha/media/", data=form, content_type="multipart/form-data")
    assert done.status_code == 302 and done.headers["Location"] == "/beheer/alpha/media/"
    listing = client.get("/beheer/alpha/media/").get_data(as_text=True)
    sha = stored_files(site)[0].name
    assert "Het bestand is toegevoegd." in listing
    assert f'<img src="/api/v1/lokets/alpha/media/{sha}" alt="Een klas"' in listing
    assert f'value="![Een klas](/api/v1/lokets/alpha/media/{sha})"' in listing and "readonly" in listing
    assert "PNG-afbeelding" in listing and "2 × 1 pixels" in listing

    # Without the token: refused, nothing stored.
    forged = client.post("/beheer/alpha/media/", data={"file": (io.BytesIO(jpeg()), "x.jpg")}, content_type="multipart/form-data")
    assert forged.status_code == 400 and "formulier is verlopen" in forged.get_data(as_text=True)
    assert len(stored_files(site)) == 1


def test_the_screen_explains_a_refused_file_in_dutch(site, client, people):
    login(client)
    token = csrf_of(client.get("/beheer/alpha/media/").get_data(as_text=True))
    refused = client.post("/beheer/alpha/media/", data={"csrf_token": token, "file": (io.BytesIO(GIF), "plaatje.png"), "alt": "Mijn tekst"}, content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'class="error-summary"' in html and "dit is een GIF-afbeelding" in html and 'aria-invalid="true"' in html
    assert 'value="Mijn tekst"' in html  # what was typed stays
    nothing = client.post("/beheer/alpha/media/", data={"csrf_token": token, "alt": ""}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "kies een bestand" in nothing.get_data(as_text=True)
    assert stored_files(site) == []


def test_the_screen_changes_the_alt_text_and_withdraws(site, client, people):
    login(client)
    token = csrf_of(client.get("/beheer/alpha/media/").get_data(as_text=True))
    client.post("/beheer/alpha/media/", data={"csrf_token": token, "file": (io.BytesIO(png()), "a.png"), "alt": "Oud"}, content_type="multipart/form-data")
    site.projections.catch_up()
    [row], _ = site.projection("media").view.list("alpha", 10, 0)

    changed = client.post(f"/beheer/alpha/media/{row['id']}/alt-tekst", data={"csrf_token": token, "version": "1", "alt": "Nieuw"})
    assert changed.status_code == 302 and changed.headers["Location"].endswith(f"#media-{row['id']}")
    assert 'alt="Nieuw"' in client.get("/beheer/alpha/media/").get_data(as_text=True)

    # A stale form is refused with a message, not an error page.
    stale = client.post(f"/beheer/alpha/media/{row['id']}/alt-tekst", data={"csrf_token": token, "version": "1", "alt": "Later"}, follow_redirects=True)
    assert "Niet opgeslagen" in stale.get_data(as_text=True)

    withdrawn = client.post(f"/beheer/alpha/media/{row['id']}/verwijderen", data={"csrf_token": token, "version": "2"}, follow_redirects=True)
    assert "Het bestand is verwijderd." in withdrawn.get_data(as_text=True) and "Nog geen bestanden." in withdrawn.get_data(as_text=True)
    assert client.get(f"/api/v1/lokets/alpha/media/{row['sha256']}").status_code == 404


def test_the_screen_is_for_this_lokets_people_only(client, people):
    # beta's editor cannot see alpha's media.
    login(client, "redacteur-beta")
    assert client.get("/beheer/alpha/media/").status_code == 403
    assert client.get("/beheer/beta/media/").status_code == 200


def test_an_auditor_may_look_but_not_change(client, people):
    login(client, "auditor-alpha")
    html = client.get("/beheer/alpha/media/").get_data(as_text=True)
    assert "<h1>Media</h1>" in html and "Uploaden" not in html
    token = csrf_of(html)
    refused = client.post("/beheer/alpha/media/", data={"csrf_token": token, "file": (io.BytesIO(png()), "a.png")}, content_type="multipart/form-data")
    assert refused.status_code == 403


def test_the_screen_needs_a_login(client, people):
    assert client.get("/beheer/alpha/media/").headers["Location"].startswith("/beheer/inloggen")
