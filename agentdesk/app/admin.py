"""The admin screen's use cases: users, teams, the role matrix, dispositions, who works
which campaign and the opportunity stages, over the org, calls, dialer and sales services.

Every method blocks (the UI runs it on the executor) and acts as the desk's user: on
PostgreSQL the login decides (``org.admin.acting_user``), on SQLite the configured username.
Each change needs the ``manage_users`` capability. The org, disposition and stage services
check it themselves; campaign assignment does not, so :meth:`AdminService.assign` checks it
first. A campaign's settings need the role's campaign update, which ``dialer.campaign_admin``
checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.disposition_admin import DispositionRow, add_disposition, list_dispositions
from agentdesk.crm import ownership
from agentdesk.db.errors import RequestError
from agentdesk.dialer import campaign_admin
from agentdesk.dialer.campaign_admin import CampaignChanges
from agentdesk.dialer.campaigns import (
    CampaignInfo,
    all_campaigns,
    assign_campaign,
    assigned_to,
    get_campaign,
    load_campaign,
)
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.enums import Role
from agentdesk.org import admin, roles
from agentdesk.org.admin import TeamInfo, UserInfo
from agentdesk.org.roles import RoleInfo
from agentdesk.sales import stages
from agentdesk.sales.stages import Stage

Cell = tuple[RecordKind, Action]
"""One cell of the role matrix: a record kind and an action on it."""


@dataclass(frozen=True, slots=True)
class AdminSnapshot:
    """What the admin screen lists, read in one go when it opens and after each change."""

    users: tuple[UserInfo, ...]
    teams: tuple[TeamInfo, ...]
    dispositions: tuple[DispositionRow, ...]
    campaigns: tuple[str, ...]
    passwords: bool
    """Whether users have passwords: PostgreSQL logins do, the SQLite file has none."""
    stages: tuple[Stage, ...] = ()
    """The opportunity stages in the pipeline's order, retired ones too."""


@dataclass(frozen=True, slots=True)
class NewUser:
    username: str
    name: str
    role: Role
    team: str | None = None
    extension: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class NewDisposition:
    code: str
    label: str
    label_zh: str | None = None
    success: bool = False
    contact: bool = False
    callback: bool = False
    final: bool = False
    dnc: bool = False


@dataclass(frozen=True, slots=True)
class NewStage:
    code: str
    label: str
    label_zh: str = ""
    probability: int = 0
    kind: str = "open"
    """``open``, ``won`` (always 100 %) or ``lost`` (always 0 %)."""
    after: str | None = None
    """The stage it follows; none: before the won and lost stages."""


@dataclass(frozen=True, slots=True)
class StageEdit:
    """What the admin changed of a stage; ``None`` leaves it."""

    label: str | None = None
    label_zh: str | None = None
    probability: int | None = None
    order: int | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who may work a campaign; nobody named means every agent may."""

    campaign: str
    agents: tuple[str, ...]
    teams: tuple[str, ...]

    @property
    def open_to_all(self) -> bool:
        return not self.agents and not self.teams


@dataclass(frozen=True, slots=True)
class RoleSaved:
    """The role as stored after a save; ``error`` is why the save stopped early, if it did
    (the changes before it are kept, the rest are not written)."""

    role: RoleInfo
    error: str | None = None


class AdminService:
    """The admin screen's one door to the services; every call is its own transaction."""

    def __init__(self, sessions: sessionmaker[Session], agent: str, *, passwords: bool) -> None:
        self._sessions = sessions
        self._agent = agent
        self._passwords = passwords

    # -- who may ------------------------------------------------------------------------------

    def require(self) -> None:
        """Raise :class:`~agentdesk.org.access.AccessDeniedError` (a ``RequestError``) unless
        the desk's user may manage users; an unknown or inactive user is refused too."""
        with self._sessions() as session:
            who = admin.acting_user(session, self._agent)
            admin.require_capability(session, who, Capability.MANAGE_USERS)

    def allowed(self) -> bool:
        """Whether the desk's user may open the admin screen."""
        try:
            self.require()
        except RequestError:
            return False
        return True

    # -- reading ------------------------------------------------------------------------------

    def snapshot(self) -> AdminSnapshot:
        """Users, teams, dispositions and campaign names; refused unless :meth:`allowed`."""
        self.require()
        return AdminSnapshot(
            users=tuple(admin.list_users(self._sessions)),
            teams=tuple(admin.list_teams(self._sessions)),
            dispositions=tuple(list_dispositions(self._sessions)),
            campaigns=tuple(c.name for c in all_campaigns(self._sessions)),
            passwords=self._passwords,
            stages=stages.list_stages(self._sessions),
        )

    def role(self, role: Role) -> RoleInfo:
        return roles.show_role(self._sessions, str(role))

    def assignment(self, campaign: str) -> Assignment:
        with self._sessions() as session:
            who = assigned_to(session, load_campaign(session, campaign))
        return Assignment(campaign, tuple(who["agents"]), tuple(who["teams"]))

    # -- users and teams ----------------------------------------------------------------------

    def add_user(self, new: NewUser) -> UserInfo:
        return admin.add_user(
            self._sessions, new.username.strip(), name=new.name, role=str(new.role),
            team=new.team, extension=_text(new.extension), email=_text(new.email),
            agent=self._agent,
        )  # fmt: skip

    def set_user(self, username: str, *, role: Role, team: str | None, active: bool) -> UserInfo:
        """Set the user's role, team (``None``: no team) and active flag as the form shows."""
        return admin.set_user(
            self._sessions, username, role=str(role), team=team, active=active, agent=self._agent
        )

    def set_password(self, username: str, password: str) -> None:
        admin.set_password(self._sessions, username, password, agent=self._agent)

    def transfer_records(self, from_user: str, to_user: str) -> dict[str, int]:
        """Everything ``from_user`` owns, and their pending callbacks, to ``to_user`` (a rep
        who leaves); the count per record kind. Needs the ``reassign`` capability."""
        return ownership.transfer(self._sessions, from_user, to_user, agent=self._agent)

    def add_team(self, name: str, parent: str | None) -> TeamInfo:
        return admin.add_team(self._sessions, name, parent=parent, agent=self._agent)

    # -- roles --------------------------------------------------------------------------------

    def save_role(
        self,
        role: Role,
        cells: Mapping[Cell, Depth],
        capabilities: Mapping[Capability, bool],
    ) -> RoleSaved:
        """Write the changed cells, then the changed capabilities, one audited change each.

        A refusal stops the save: what was written stays, and the result says why the rest
        was not (the screen keeps those edits pending).
        """
        code = str(role)
        try:
            for (kind, action), depth in cells.items():
                roles.set_permission(
                    self._sessions, code, str(kind), str(action), str(depth), agent=self._agent
                )
            for capability, granted in capabilities.items():
                roles.set_capability(
                    self._sessions, code, str(capability), granted, agent=self._agent
                )
        except RequestError as exc:
            return RoleSaved(self.role(role), str(exc))
        return RoleSaved(self.role(role))

    # -- dispositions and campaigns -----------------------------------------------------------

    def add_disposition(self, new: NewDisposition) -> DispositionRow:
        return add_disposition(
            self._sessions, new.code.strip(), label=new.label, label_zh=_text(new.label_zh),
            success=new.success, contact=new.contact, callback=new.callback, final=new.final,
            dnc=new.dnc, agent=self._agent,
        )  # fmt: skip

    def add_stage(self, new: NewStage) -> Stage:
        return stages.add_stage(
            self._sessions,
            new.code,
            label=new.label,
            label_zh=new.label_zh,
            probability=new.probability,
            after=new.after,
            won=new.kind == "won",
            lost=new.kind == "lost",
            actor=self._agent,
        )

    def change_stage(self, code: str, edit: StageEdit) -> Stage:
        return stages.change_stage(
            self._sessions,
            code,
            label=edit.label,
            label_zh=edit.label_zh,
            probability=edit.probability,
            order=edit.order,
            active=edit.active,
            actor=self._agent,
        )

    def remove_stage(self, code: str) -> str:
        stages.remove_stage(self._sessions, code, actor=self._agent)
        return code

    def assign(self, campaign: str, agents: Iterable[str], teams: Iterable[str]) -> Assignment:
        """Replace who may work ``campaign``; nobody at all opens it to every agent."""
        self.require()
        who = assign_campaign(self._sessions, campaign, agents=agents, teams=teams, replace=True)
        return Assignment(campaign, tuple(who["agents"]), tuple(who["teams"]))

    # -- campaign settings (the dialer's own check: the role's campaign update) ---------------

    def campaign(self, name: str) -> CampaignInfo:
        return get_campaign(self._sessions, name)

    def update_campaign(self, name: str, changes: CampaignChanges) -> CampaignInfo:
        campaign_admin.update_campaign(self._sessions, name, changes, actor=self._agent)
        return get_campaign(self._sessions, name)

    def set_campaign_running(self, name: str, running: bool) -> CampaignInfo:
        campaign_admin.set_running(self._sessions, name, running, actor=self._agent)
        return get_campaign(self._sessions, name)

    def archive_campaign(self, name: str) -> str:
        campaign_admin.archive_campaign(self._sessions, name, actor=self._agent)
        return name


def _text(value: str | None) -> str | None:
    """An empty field is no value."""
    return (value or "").strip() or None
