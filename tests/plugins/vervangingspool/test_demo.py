"""The demo pool: made once, through the ordinary commands, for the demo lokets that have it on."""

from core.demo import DEMO_CONFIG


def test_the_demo_pool_is_made_once(tmp_path):
    import shutil

    from core.site import Site
    from plugins.vervangingspool.demo import seed_demo

    shutil.copy(DEMO_CONFIG, tmp_path / "loket.toml")
    site = Site.open(tmp_path / "loket.toml")
    site.apply_config()
    try:
        made = seed_demo(site)
        assert made == (6 + 4) + (5 + 3)  # substitutes and requests of Voor de Klas and VOTA
        assert seed_demo(site) == 0
        view = site.projection("vervangingspool").view
        statuses = {row["status"] for row in view.query("SELECT status FROM pool_parts WHERE loket = 'vota'")}
        assert "filled" in statuses and statuses <= {"filled", "offered", "open"}
        assert view.query("SELECT COUNT(*) AS n FROM pool_bookings")[0]["n"] > 0
        from plugins.vervangingspool.domain import SubstitutionRequest

        accepted = list(site.app.domain_events(SubstitutionRequest.OfferAccepted))
        assert len(accepted) == 4 and {e.envelope["actor"] for e in accepted} == {"system"}
    finally:
        site.close()
