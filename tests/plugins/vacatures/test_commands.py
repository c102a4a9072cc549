"""``loket vacatures import FILE`` and ``loket vacatures recruiters set|list``, through the real console script."""

from __future__ import annotations

import json

from core.envelope import acting
from plugins.vacatures.domain import vacancy_id
from tests.conftest import PASSWORD, run_cli
from tests.plugins.vacatures.conftest import vacancy_data

HEADER = "externalId,schoolBoard,schoolBoardName,title,sectors,function,zijInstroom,applyUrl\n"


def test_import_a_csv_file_then_a_full_json_feed(site, tmp_path):
    config = str(site.config.path)

    # A CSV file: two vacancies, created and published by the operator.
    feed = tmp_path / "sterk.csv"
    feed.write_text(
        HEADER
        + "C-1,41234,Stichting Sterk,Leraar groep 3,po,leraar,ja,https://example.nl/c1\n"
        + "C-2,41234,Stichting Sterk,Onderwijsassistent,po,onderwijsassistent,nee,https://example.nl/c2\n",
        encoding="utf-8",
    )
    result = run_cli("vacatures", "import", str(feed), "--loket", "alpha", "--config", config)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("accepted   row 1 (line 2)") and "C-1" in lines[0] and "leraar-groep-3" in lines[0]
    assert lines[-1] == "Totals: 2 accepted, 0 changed, 0 unchanged, 0 withdrawn, 0 rejected."
    events = list(site.app.events.get(vacancy_id("alpha", "41234", "C-1")))
    assert [type(e).__name__ for e in events] == ["Drafted", "Published"]
    assert events[0].envelope["actor"].startswith("cli:")

    # A full JSON feed of the board: C-1 changed, C-2 missing, one row invalid (the others go on).
    full = tmp_path / "sterk-volledig.json"
    c1 = vacancy_data(externalId="C-1", title="Leraar groep 3", schoolBoardName="Stichting Sterk", hoursMin=20)
    full.write_text(json.dumps({"vacancies": [c1, vacancy_data(externalId="C-9", function="directeur")]}), encoding="utf-8")
    result = run_cli("vacatures", "import", str(full), "--loket", "alpha", "--full", "--school-board", "41234", "--config", config)
    assert result.returncode == 1, result.stderr  # a rejected row: the others went through, the status says so
    assert "Totals: 0 accepted, 1 changed, 0 unchanged, 1 withdrawn, 1 rejected." in result.stdout
    rejected = next(line for line in result.stdout.splitlines() if line.startswith("rejected"))
    assert "row 2" in rejected and "C-9" in rejected and "function: must be one of" in rejected
    withdrawn = list(site.app.events.get(vacancy_id("alpha", "41234", "C-2")))[-1]
    assert (type(withdrawn).__name__, withdrawn.reason) == ("Withdrawn", "missing from full feed")


def test_a_bad_file_names_file_line_and_reason_and_changes_nothing(site, tmp_path):
    position = site.app.position()
    feed = tmp_path / "kapot.csv"
    feed.write_text(HEADER + "C-1,41234,Stichting Sterk,Leraar,po,leraar,ja,https://example.nl/c1\nC-2,41234,te,veel,cellen,po,leraar,ja,https://x.nl\n", encoding="utf-8")
    result = run_cli("vacatures", "import", str(feed), "--loket", "alpha", "--config", str(site.config.path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"loket: {feed}: line 3: 9 cells, but the header names 8 fields"
    assert result.stdout == ""
    assert site.app.position() == position


def test_recruiters_set_and_list(site):
    config = str(site.config.path)
    with acting(actor="cli:test"):
        site.identity.add_user("werving", PASSWORD)
        site.identity.grant("werving", "alpha", "recruiter")
        token_id, _ = site.identity.create_token("ATS Stichting Ander", "alpha", "recruiter")
    user_actor = f"user:{site.identity.get_user('werving').id}"

    # A user by name, with two boards.
    result = run_cli("vacatures", "recruiters", "set", "werving", "--loket", "alpha", "--board", "41234", "--board", "45678", "--config", config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "werving manages the vacancies of 41234, 45678 in alpha."

    # A token by its id; a mistyped board is refused.
    result = run_cli("vacatures", "recruiters", "set", "--token", str(token_id), "--loket", "alpha", "--board", "45678", "--config", config)
    assert result.returncode == 0, result.stderr
    assert run_cli("vacatures", "recruiters", "set", "werving", "--loket", "alpha", "--board", "4123", "--config", config).returncode == 2

    listed = run_cli("vacatures", "recruiters", "list", "--loket", "alpha", "--config", config).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["token", "werving"]
    assert listed[0].endswith("45678") and f"token:{token_id}" in listed[0]
    assert user_actor in listed[1] and listed[1].endswith("41234, 45678")

    # What the commands recorded is what scopes the recruiters.
    from plugins.vacatures.recruiters import boards_of

    assert boards_of("alpha", user_actor, site=site) == ["41234", "45678"]
    assert boards_of("alpha", f"token:{token_id}", site=site) == ["45678"]
