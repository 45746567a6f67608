"""A desk on a team's PostgreSQL signs in with its user's own login: the password is asked once
(a refused one again), kept in the keyring once the server accepted it, and the desk works as
the login, whatever name the settings hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.desktop import DesktopContext, DesktopStartError, StartProblem, start_desktop
from agentdesk.cli.main import main
from agentdesk.config.credentials import DB_SERVICE, db_key
from agentdesk.config.settings import Settings
from agentdesk.db.engine import normalize_url, session_factory
from agentdesk.org.admin import add_user, set_user
from agentdesk.org.pg_logins import scram_verifier
from agentdesk.ui.shell import login_prompt, start_error
from agentdesk.ui.shell import main as shell_main
from tests.support.logins import PASSWORD, give_logins
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.desk_support import make_settings


@pytest.fixture
def desk_url(pg_engine: Engine, pg_database_url: str) -> str:
    """The URL of ``desk.ann``'s login, without a password (as a desk's settings hold it)."""
    owner: sessionmaker[Session] = session_factory(pg_engine)
    add_user(owner, "desk.ann", name="Ann", role="agent")
    give_logins(owner, ["desk.ann"])
    url = make_url(pg_database_url).set(username="desk.ann")
    return url.render_as_string(hide_password=False)


def _settings(tmp_path: Path, url: str) -> Settings:
    # The settings still name another agent: the login decides who this desk is.
    settings = make_settings(tmp_path, username="someone.else")
    return settings.__class__(**{**settings.__dict__, "database_url": url})


def test_the_password_is_asked_kept_and_the_desk_is_the_login(
    tmp_path: Path, desk_url: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []
    answers = iter(["wrong-password", PASSWORD])

    def fill(dialog: login_prompt.PasswordDialog) -> bool:
        asked.append((dialog.windowTitle(), dialog.findChild(object, "refusedLabel") is not None))
        dialog.passwordEdit.setText(next(answers))
        return True

    started: list[DesktopContext] = []

    def window(context: DesktopContext) -> int:
        started.append(context)
        return 0

    monkeypatch.setattr(login_prompt, "run_dialog", fill)
    monkeypatch.setattr(shell_main, "run", window)
    monkeypatch.setattr(start_error, "run_modal", lambda box: pytest.fail(box.text()))
    settings = _settings(tmp_path, desk_url)
    monkeypatch.setattr("agentdesk.cli.main._settings", lambda args: settings)
    assert main([]) == 0
    assert asked == [("Sign in to the database", False), ("Sign in to the database", True)]
    [context] = started
    assert context.agent == "desk.ann"
    key = db_key(normalize_url(desk_url))
    assert memory_keyring.secrets == {(DB_SERVICE, key): PASSWORD}
    # The next start asks nothing: the keyring has it.
    monkeypatch.setattr(login_prompt, "run_dialog", lambda d: pytest.fail("asked again"))
    again = start_desktop(None, settings)
    try:
        assert again.agent == "desk.ann"
    finally:
        again.close()


def test_a_cancelled_prompt_ends_the_start_and_keeps_nothing(
    tmp_path: Path, desk_url: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[object] = []
    monkeypatch.setattr(login_prompt, "run_dialog", lambda dialog: False)
    monkeypatch.setattr(start_error, "run_modal", shown.append)
    settings = _settings(tmp_path, desk_url)
    monkeypatch.setattr("agentdesk.cli.main._settings", lambda args: settings)
    assert main([]) == 2
    assert len(shown) == 1 and memory_keyring.secrets == {}


def test_an_inactive_user_or_a_stray_login_is_told_whom_to_ask(
    tmp_path: Path, pg_engine: Engine, pg_database_url: str, memory_keyring: MemoryKeyring
) -> None:
    owner = session_factory(pg_engine)
    add_user(owner, "desk.gone", name="Gone", role="agent")
    give_logins(owner, ["desk.gone"])
    set_user(owner, "desk.gone", active=False)
    with pytest.raises(DesktopStartError) as info:
        start_desktop(None, _settings(tmp_path, _as(pg_database_url, "desk.gone")),
                      password=PASSWORD)  # fmt: skip
    assert info.value.problem is StartProblem.DATABASE_LOGIN and info.value.login is None
    assert "switched off" in str(info.value)
    # A login role of the desk group whose user row is gone: the database lets it in, the
    # desk does not work as nobody.
    with pg_engine.begin() as conn:
        conn.execute(text('DROP ROLE IF EXISTS "desk.stray"'))
        verifier = scram_verifier(PASSWORD)  # base64 has ':' which text() would read as binds
        conn.exec_driver_sql(f"CREATE ROLE \"desk.stray\" LOGIN PASSWORD '{verifier}'")
        conn.execute(text('GRANT agentdesk_agent TO "desk.stray"'))
    with pytest.raises(DesktopStartError, match="not an active AgentDesk user"):
        start_desktop(None, _settings(tmp_path, _as(pg_database_url, "desk.stray")),
                      password=PASSWORD)  # fmt: skip
    assert memory_keyring.secrets != {}  # the server accepted the password; the desk did not start


def _as(base: str, username: str) -> str:
    return make_url(base).set(username=username).render_as_string(hide_password=False)
