"""What the ``agentdesk campaign ...`` and ``agentdesk dnc ...`` commands do.

Each function takes the parsed argument values and returns a JSON-able dict; the CLI prints it
(``--json``) or a summary of it. Import commands follow ``import contacts``: exit status 0 when
every row was loaded, 1 when some were rejected (``exit_status``), and
:class:`~agentdesk.crm.importing.csv_reader.ImportFileError` / :class:`DialerError` for an unusable
request (exit status 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.dialer import campaigns, csv_fill, dnc, loader, outcomes, selection
from agentdesk.dialer.campaigns import DEFAULT_WINDOW, DialerError
from agentdesk.domain.enums import LeadStatus
from agentdesk.domain.phone import InvalidPhoneNumber

EXIT_OK = 0
EXIT_PARTIAL = 1


def exit_status(result: Mapping[str, Any]) -> int:
    """0, or 1 when an import rejected rows (as ``import contacts``)."""
    return EXIT_PARTIAL if result.get("rejected") else EXIT_OK


def parse_at(text: str | None) -> datetime | None:
    """``--at`` as an aware instant; a time without offset is read as UTC."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DialerError(f"--at {text!r} is not an ISO-8601 time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def campaign_create(
    sessions: sessionmaker[Session],
    name: str,
    *,
    mode: str = "preview",
    window: str | None = None,
    max_attempts: int = 5,
    script: str | None = None,
) -> dict[str, Any]:
    """``campaign create NAME [--mode] [--window HH:MM-HH:MM] [--max-attempts N]``."""
    info = campaigns.create_campaign(
        sessions,
        name,
        mode=mode,
        window=window or DEFAULT_WINDOW,
        max_attempts=max_attempts,
        script=script,
    )
    return info.to_json()


def campaign_import(
    sessions: sessionmaker[Session],
    name: str,
    file: Path,
    *,
    region: str,
    encoding: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """``campaign import NAME FILE [--region CC]``: same output keys as ``import contacts``."""
    result = csv_fill.import_csv(
        sessions, name, file, default_region=region, encoding=encoding, actor=actor
    )
    return result.to_json()


def campaign_fill(
    sessions: sessionmaker[Session],
    name: str,
    *,
    city: str | None = None,
    country: str | None = None,
    no_call_in_days: int | None = None,
    owner: str | None = None,
    leads: bool = False,
    lead_statuses: Sequence[str] = (),
    lead_source: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """``campaign fill NAME``: from a CRM contacts query, or ``leads=True`` from leads.

    Returns ``{"imported", "duplicates", "dnc"}``. Options that do not apply to the chosen
    source are a :class:`DialerError` rather than silently ignored: a fill is not undoable.
    """
    if no_call_in_days is not None and no_call_in_days < 0:
        raise DialerError("--no-call-in-days must be 0 or more")
    if country is not None and (len(country.strip()) != 2 or not country.strip().isalpha()):
        raise DialerError(f"--country {country!r}: use a two-letter code such as DE or CN")
    # Check the campaign first: the query may be long, and its error is the one that matters.
    campaigns.get_campaign(sessions, name)
    if leads:
        unused = [
            flag
            for flag, value in (
                ("--country", country),
                ("--no-call-in-days", no_call_in_days),
                ("--owner", owner),
            )
            if value is not None
        ]
        if unused:
            raise DialerError(f"{', '.join(unused)} cannot be used with --leads")
        known = {str(status) for status in LeadStatus}
        wrong = [status for status in lead_statuses if status not in known]
        if wrong:
            raise DialerError(
                f"unknown lead status {wrong[0]!r}: use one of {', '.join(sorted(known))}"
            )
        query = (
            loader.LeadQuery(statuses=tuple(lead_statuses), source=lead_source, city=city)
            if lead_statuses
            else loader.LeadQuery(source=lead_source, city=city)
        )
        result = loader.fill_from_leads(sessions, name, query, actor=actor)
    else:
        if lead_statuses or lead_source is not None:
            flag = "--lead-status" if lead_statuses else "--lead-source"
            raise DialerError(f"{flag} needs --leads")
        contacts = loader.ContactQuery(
            city=city, country=country, no_call_in_days=no_call_in_days, owner=owner
        )
        result = loader.fill_from_contacts(sessions, name, contacts, actor=actor)
    return {"imported": result.imported, "duplicates": result.duplicates, "dnc": result.dnc}


def dnc_import(
    sessions: sessionmaker[Session],
    file: Path,
    *,
    campaign: str | None = None,
    region: str = "US",
    encoding: str | None = None,
) -> dict[str, Any]:
    """``dnc import FILE [--campaign NAME]``."""
    result = dnc.import_file(
        sessions, file, default_region=region, campaign=campaign, encoding=encoding
    )
    return result.to_json()


def dnc_add(
    sessions: sessionmaker[Session],
    numbers: Sequence[str],
    *,
    campaign: str | None = None,
    region: str = "US",
) -> dict[str, Any]:
    """``dnc add NUMBER... [--campaign NAME]``; an unreadable number is a :class:`DialerError`."""
    try:
        result = dnc.add_numbers(sessions, numbers, default_region=region, campaign=campaign)
    except InvalidPhoneNumber as exc:
        raise DialerError(f"cannot read {exc.text!r} as a phone number: {exc.reason}") from None
    return result.to_json()


def campaign_next(
    sessions: sessionmaker[Session],
    name: str,
    *,
    agent: str,
    at: str | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """``campaign next NAME --agent USER [--at ISO] [--dry-run]``: ``{"entry", "blocked"}``."""
    result = selection.next_entry(sessions, name, agent, now=parse_at(at), dry_run=dry_run)
    return result.to_json()


def campaign_status(sessions: sessionmaker[Session], name: str) -> dict[str, Any]:
    """``campaign status NAME``: settings, counts by status and by attempt outcome."""
    info = campaigns.get_campaign(sessions, name)
    progress = outcomes.campaign_progress(sessions, name)
    return {**progress.to_json(), "settings": info.to_json()}


def campaign_assign(
    sessions: sessionmaker[Session],
    name: str,
    *,
    agents: list[str],
    teams: list[str],
    remove: bool = False,
) -> dict[str, Any]:
    """Add (or with ``remove`` take away) agents and teams who work campaign ``name``."""
    if not agents and not teams:
        raise DialerError("name at least one --agent or --team")
    now = campaigns.assign_campaign(
        sessions, name, agents=agents, teams=teams, replace=False, remove=remove
    )
    return {"campaign": name, **now, "open_to_all": not (now["agents"] or now["teams"])}
