"""Feed import through the API: JSON and CSV, idempotent by externalId, full feeds withdraw what is
missing, rejected rows with reasons, recruiters only for their boards."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from core.envelope import acting
from tests.conftest import bearer
from tests.plugins.vacatures.conftest import LIST, post_vacancy, vacancy_data

IMPORT = "/api/v1/lokets/{loket}/vacatures/import"
ALPHA_IMPORT = IMPORT.format(loket="alpha")
ALPHA = LIST.format(loket="alpha")


def row(external_id: str, **changes):
    """A feed row: a vacancy as the API takes it, with the board system's own id."""
    return vacancy_data(**{"externalId": external_id, "title": f"Leraar {external_id}", **changes})


def events_of(site, item_id: str) -> list:
    return list(site.app.events.get(UUID(item_id)))


def names_of(site, item_id: str) -> list[str]:
    return [type(e).__name__ for e in events_of(site, item_id)]


def test_json_feed_creates_and_publishes_with_a_report(site, client, editor):
    response = client.post(ALPHA_IMPORT, json=[row("A-1"), row("A-2", sectors=["po"], hoursMin=8)], headers=editor)
    assert response.status_code == 200, response.json
    report = response.json
    assert report["counts"] == {"accepted": 2, "changed": 0, "unchanged": 0, "withdrawn": 0, "rejected": 0}
    assert [(e["row"], e["externalId"], e["schoolBoard"]) for e in report["accepted"]] == [(1, "A-1", "41234"), (2, "A-2", "41234")]
    # Each is drafted and published at once, and listed publicly.
    first = report["accepted"][0]
    assert names_of(site, first["id"]) == ["Drafted", "Published"]
    listed = client.get(ALPHA).json
    assert sorted(v["externalId"] for v in listed["items"]) == ["A-1", "A-2"]
    assert client.get(f"{ALPHA}/{first['slug']}").status_code == 200
    # The actor is the token that sent the feed.
    assert events_of(site, first["id"])[0].envelope["actor"].startswith("token:")


def test_the_same_feed_twice_records_nothing_the_second_time(site, client, editor):
    feed = {"vacancies": [row("A-1"), row("A-2", validThrough=None)]}  # A-2 takes the loket's default last day
    assert client.post(ALPHA_IMPORT, json=feed, headers=editor).json["counts"]["accepted"] == 2
    position = site.app.position()

    again = client.post(ALPHA_IMPORT, json=feed, headers=editor)
    assert again.status_code == 200
    assert again.json["counts"] == {"accepted": 0, "changed": 0, "unchanged": 2, "withdrawn": 0, "rejected": 0}
    assert [e["externalId"] for e in again.json["unchanged"]] == ["A-1", "A-2"]
    assert site.app.position() == position


def test_a_changed_row_records_only_what_changed_and_publishes_again(site, client, editor):
    created = client.post(ALPHA_IMPORT, json=[row("A-1"), row("A-2")], headers=editor).json["accepted"]
    before = {e["externalId"]: len(events_of(site, e["id"])) for e in created}

    changed = client.post(ALPHA_IMPORT, json=[row("A-1", hoursMin=28, place="Utrecht"), row("A-2")], headers=editor).json
    assert changed["counts"] == {"accepted": 0, "changed": 1, "unchanged": 1, "withdrawn": 0, "rejected": 0}
    entry = changed["changed"][0]
    assert (entry["row"], entry["externalId"], entry["fields"]) == (1, "A-1", ["hoursMin", "place"])

    # One Revised with only the changes, then one Published; A-2 got nothing.
    new_events = events_of(site, entry["id"])[before["A-1"]:]
    assert [type(e).__name__ for e in new_events] == ["Revised", "Published"]
    assert new_events[0].changes == {"hours_min": 28.0, "place": "Utrecht"}
    assert len(events_of(site, created[1]["id"])) == before["A-2"]
    assert client.get(f"{ALPHA}/{entry['slug']}").json["place"] == "Utrecht"


def test_an_expired_vacancy_with_a_new_last_day_is_published_again(site, client, editor):
    from plugins.vacatures.domain import Vacancy

    created = client.post(ALPHA_IMPORT, json=[row("A-1")], headers=editor).json["accepted"][0]
    with acting(actor="system", loket="alpha"):
        vacancy = site.app.get(UUID(created["id"]), Vacancy)
        vacancy.expire()
        site.app.save(vacancy)
    later = (date.today() + timedelta(days=40)).isoformat()

    report = client.post(ALPHA_IMPORT, json=[row("A-1", validThrough=later)], headers=editor).json
    assert report["changed"][0]["fields"] == ["validThrough"]
    assert names_of(site, created["id"])[-2:] == ["Revised", "Published"]
    assert client.get(f"{ALPHA}/{created['slug']}").json["validThrough"] == later


def test_csv_feed_with_lists_booleans_and_empty_cells(site, client, editor):
    last_day = (date.today() + timedelta(days=25)).isoformat()
    text = (
        "externalId,schoolBoard,schoolBoardName,title,sectors,subjects,function,zijInstroom,applyUrl,hoursMin,validThrough,summary\n"
        f"C-1,41234,Stichting Sterk,Docent wiskunde,vo;mbo,wiskunde; natuurkunde,leraar,ja,https://example.nl/c1,\"24,5\",{last_day},\n"
        f"C-2,41234,Stichting Sterk,Conciërge,po,,conciërge,nee,https://example.nl/c2,,,\"Met, komma\"\n"
    )
    response = client.post(ALPHA_IMPORT, data=text.encode(), content_type="text/csv", headers=editor)
    assert response.status_code == 200, response.json
    report = response.json
    assert report["counts"]["accepted"] == 2, report
    assert [(e["row"], e["line"]) for e in report["accepted"]] == [(1, 2), (2, 3)]
    first = client.get(f"{ALPHA}/{report['accepted'][0]['slug']}").json
    assert (first["sectors"], first["subjects"], first["zijInstroom"], first["hoursMin"]) == (["vo", "mbo"], ["wiskunde", "natuurkunde"], True, 24.5)
    second = client.get(f"{ALPHA}/{report['accepted'][1]['slug']}").json
    assert (second["zijInstroom"], second["subjects"], second["summary"]) == (False, [], "Met, komma")
    assert second["validThrough"] == (date.today() + timedelta(days=30)).isoformat()  # empty cell: the loket's default

    # The same CSV again changes nothing.
    position = site.app.position()
    again = client.post(ALPHA_IMPORT, data=text.encode(), content_type="text/csv", headers=editor).json
    assert again["counts"]["unchanged"] == 2 and site.app.position() == position


def test_a_full_feed_withdraws_what_is_missing_and_leaves_other_boards_alone(site, client, editor):
    other_board = row("B-1", schoolBoard="45678", schoolBoardName="Stichting Ander")
    client.post(ALPHA_IMPORT, json=[row("A-1"), row("A-2"), row("A-3"), other_board], headers=editor)
    by_hand = post_vacancy(client, editor, title="Zonder extern id")  # no externalId: not the feed's

    # The board's full feed no longer holds A-2.
    response = client.post(ALPHA_IMPORT, json={"vacancies": [row("A-1"), row("A-3")], "full": True, "schoolBoard": "41234"}, headers=editor)
    report = response.json
    assert report["counts"] == {"accepted": 0, "changed": 0, "unchanged": 2, "withdrawn": 1, "rejected": 0}
    withdrawn = report["withdrawn"][0]
    assert (withdrawn["externalId"], withdrawn["schoolBoard"], withdrawn["row"]) == ("A-2", "41234", None)
    last = events_of(site, withdrawn["id"])[-1]
    assert (type(last).__name__, last.reason) == ("Withdrawn", "missing from full feed")
    assert sorted(v["externalId"] or "-" for v in client.get(ALPHA).json["items"]) == ["-", "A-1", "A-3", "B-1"]
    assert names_of(site, by_hand["id"])[-1] == "Published"

    # Sent again: nothing more to withdraw, nothing recorded.
    position = site.app.position()
    again = client.post(ALPHA_IMPORT, json={"vacancies": [row("A-1"), row("A-3")], "full": True, "schoolBoard": "41234"}, headers=editor).json
    assert again["counts"]["withdrawn"] == 0 and site.app.position() == position

    # A row that comes back after its withdrawal is rejected with the reason.
    back = client.post(ALPHA_IMPORT, json=[row("A-2")], headers=editor).json
    assert back["counts"]["rejected"] == 1
    assert "withdrawn earlier" in back["rejected"][0]["reasons"]["externalId"]


def test_a_full_csv_feed_takes_its_board_from_the_query(site, client, editor):
    client.post(ALPHA_IMPORT, json=[row("A-1"), row("A-2")], headers=editor)
    text = "externalId,schoolBoardName,title,sectors,function,applyUrl\nA-1,Stichting Sterk Onderwijs,Leraar A-1,po,leraar,https://werkenbij.example.nl/123\n"
    report = client.post(f"{ALPHA_IMPORT}?full=true&schoolBoard=41234", data=text, content_type="text/csv", headers=editor).json
    assert report["full"] is True and report["schoolBoard"] == "41234"
    assert [e["externalId"] for e in report["withdrawn"]] == ["A-2"]
    assert report["counts"]["changed"] == 1  # the fields the CSV leaves out are reset to their defaults

    # A full feed needs its school board: refused as a whole, nothing recorded.
    position = site.app.position()
    refused = client.post(f"{ALPHA_IMPORT}?full=true", data=text, content_type="text/csv", headers=editor)
    assert refused.status_code == 422
    assert {p["name"] for p in refused.json["invalidParams"]} == {"schoolBoard"}
    assert site.app.position() == position


def test_rejected_rows_carry_their_reasons_and_do_not_stop_the_others(site, client, editor):
    rows = [
        row("R-1", sectors=["kleuter"], postcode="1234"),  # invalid fields
        {k: v for k, v in row("R-2").items() if k != "externalId"},  # no external id
        row("R-3"),
        row("R-3", title="Tweede keer"),  # the same external id again
        row("R-4", validThrough=(date.today() - timedelta(days=1)).isoformat()),  # a new vacancy past its last day
    ]
    response = client.post(ALPHA_IMPORT, json=rows, headers=editor)
    assert response.status_code == 200
    report = response.json
    assert report["counts"] == {"accepted": 1, "changed": 0, "unchanged": 0, "withdrawn": 0, "rejected": 4}
    assert report["accepted"][0]["externalId"] == "R-3"
    rejected = {e["row"]: e for e in report["rejected"]}
    assert set(rejected[1]["reasons"]) == {"sectors[0]", "postcode"}
    assert rejected[1]["externalId"] == "R-1"
    assert rejected[2]["externalId"] is None and "required" in rejected[2]["reasons"]["externalId"]
    assert rejected[4]["reasons"] == {"externalId": "appears twice in this feed (first in row 3)"}
    assert rejected[5]["reasons"] == {"validThrough": "the last day has passed"}
    assert client.get(ALPHA).json["total"] == 1


def test_a_feed_that_cannot_be_read_is_refused_as_a_whole(site, client, editor):
    position = site.app.position()
    broken = client.post(ALPHA_IMPORT, data='[{"externalId": "X"', content_type="application/json", headers=editor)
    assert broken.status_code == 422
    assert broken.json["invalidParams"][0]["name"] == "body"
    assert broken.json["invalidParams"][0]["reason"].startswith("line 1, column")
    unknown_column = client.post(ALPHA_IMPORT, data="externalId,titel\nX,Leraar\n", content_type="text/csv", headers=editor)
    assert unknown_column.status_code == 422 and "'titel'" in unknown_column.json["invalidParams"][0]["reason"]
    too_many_cells = client.post(ALPHA_IMPORT, data="externalId,title\nX,Leraar,extra\n", content_type="text/csv", headers=editor)
    assert too_many_cells.json["invalidParams"][0]["reason"].startswith("line 2: 3 cells")
    assert client.post(ALPHA_IMPORT, data="x", content_type="text/plain", headers=editor).status_code == 415
    assert site.app.position() == position


def test_the_import_needs_a_token_with_a_writing_role(client, token):
    assert client.post(ALPHA_IMPORT, json=[row("A-1")]).status_code == 401
    assert client.post(ALPHA_IMPORT, json=[row("A-1")], headers=bearer(token("alpha", "auditor"))).status_code == 403
    assert client.post(ALPHA_IMPORT, json=[row("A-1")], headers=bearer(token("beta", "editor"))).status_code == 403
    assert client.post(IMPORT.format(loket="gamma"), json=[row("A-1")], headers=bearer(token("gamma", "editor"))).status_code == 404


def test_a_recruiter_imports_only_for_their_boards(site, client, token, editor):
    from plugins.vacatures.recruiters import set_boards

    secret = token("alpha", "recruiter")
    token_id = [t.id for t in site.identity.tokens("alpha") if t.role == "recruiter"][0]
    with acting(actor="cli:test", loket="alpha"):
        set_boards(site, "alpha", f"token:{token_id}", ["41234"])
    recruiter = bearer(secret)
    other = row("B-1", schoolBoard="45678", schoolBoardName="Stichting Ander")

    report = client.post(ALPHA_IMPORT, json=[row("A-1"), other], headers=recruiter).json
    assert report["counts"]["accepted"] == 1 and report["counts"]["rejected"] == 1
    assert report["rejected"][0]["reasons"] == {"schoolBoard": "you may not manage the vacancies of school board 45678"}

    # A full feed of another board is refused as a whole; of their own board it withdraws.
    client.post(ALPHA_IMPORT, json=[other], headers=editor)
    refused = client.post(ALPHA_IMPORT, json={"vacancies": [], "full": True, "schoolBoard": "45678"}, headers=recruiter)
    assert refused.status_code == 403
    own = client.post(ALPHA_IMPORT, json={"vacancies": [], "full": True, "schoolBoard": "41234"}, headers=recruiter).json
    assert [e["externalId"] for e in own["withdrawn"]] == ["A-1"]
    assert sorted(v["externalId"] for v in client.get(ALPHA).json["items"]) == ["B-1"]


def test_a_stale_write_rejects_only_that_row(site, client, editor, monkeypatch):
    """An editor saves a vacancy after the import read it: the store refuses the import's write,
    that row is rejected with the reason, and the next row goes on."""
    from core.content.service import Content
    from plugins.vacatures.domain import Vacancy

    created = client.post(ALPHA_IMPORT, json=[row("A-1"), row("A-2")], headers=editor).json["accepted"]
    revise = Content.revise

    def editor_saves_first(self, type_name, loket, item_id, data, expected_version, **kwargs):
        if str(item_id) == created[0]["id"]:
            with acting(actor="user:editor", loket=loket):
                vacancy = self.app.get(item_id, Vacancy)
                vacancy.revise({**vacancy.fields, "summary": "Door de redactie"}, vacancy.slug)
                self.app.save(vacancy)
        return revise(self, type_name, loket, item_id, data, expected_version, **kwargs)

    monkeypatch.setattr(Content, "revise", editor_saves_first)
    report = client.post(ALPHA_IMPORT, json=[row("A-1", place="Utrecht"), row("A-2", place="Utrecht")], headers=editor).json
    assert [e["externalId"] for e in report["rejected"]] == ["A-1"]
    assert "send the row again" in report["rejected"][0]["reasons"]["row"]
    assert [e["externalId"] for e in report["changed"]] == ["A-2"]
    # The editor's save stands.
    assert site.app.get(UUID(created[0]["id"]), Vacancy).fields["summary"] == "Door de redactie"


def test_in_a_loket_with_approval_an_imported_vacancy_waits_for_it(write_config, tmp_path):
    from core.site import Site
    from plugins.vacatures.feed_import import FeedRow, import_feed
    from tests.plugins.vacatures.conftest import CONFIG

    text = CONFIG.replace("[lokets.alpha]\n", '[lokets.alpha]\napproval = ["vacancy"]\n')
    site = Site.open(write_config(text, url=f"sqlite:///{tmp_path}/store/events.sqlite"))
    try:
        site.apply_config()
        with acting(actor="cli:test", loket="alpha"):
            report = import_feed(site, "alpha", [FeedRow(1, row("A-1"))])
        entry = report.entries["accepted"][0]
        assert entry["note"] == "waiting for approval by an editor"
        assert names_of(site, entry["id"]) == ["Drafted", "SubmittedForApproval"]
    finally:
        site.close()
