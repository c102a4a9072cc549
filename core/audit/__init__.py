"""Audit: the event log as the record — browse it, prove nothing was altered (a hash chain with
checkpoints), and carry it elsewhere (export and import, byte for byte)."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.audit.access import DataAccess

    return [DataAccess]


@hookimpl
def register_projections():
    from core.audit.access import AccessProjection
    from core.audit.chain import ChainProjection

    return [ChainProjection, AccessProjection]


@hookimpl
def register_commands(cli):
    from core.audit import chain, log, replay, transfer

    @cli.group("audit")
    def audit() -> None:
        """The event log as the record: verify it, export and import it."""

    log.add_commands(audit)
    replay.add_commands(audit)
    chain.add_commands(audit)
    transfer.add_commands(audit)

