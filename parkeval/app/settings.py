"""The one settings object of a run, built where the program starts and passed down."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parkeval.policy.goals import GoalRegistry
    from parkeval.policy.loader import PolicyRegistry
    from parkeval.policy.scheme.loader import SchemeRegistry
    from parkeval.store.database import Engine


TODAY_ENV = "PARKEVAL_TODAY"


def today_from_env() -> dt.date:
    """Today's date, or the date in PARKEVAL_TODAY (YYYY-MM-DD) when it is set: for tests and
    for reproducing an earlier run. The audit log always records the real time."""
    from parkeval.errors import ParkevalError

    value = os.environ.get(TODAY_ENV, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParkevalError(f"环境变量 {TODAY_ENV} 应为日期 YYYY-MM-DD，而不是 “{value}”") from None


@dataclass
class Settings:
    db: str | None = None  # path or SQLAlchemy URL; None → PARKEVAL_DB or ./parkeval.db
    policy_files: list[Path] = field(default_factory=list)
    policy_dirs: list[Path] | None = None  # None → PARKEVAL_POLICY_PATH
    goal_files: list[Path] = field(default_factory=list)  # --goals-file
    goal_dirs: list[Path] | None = None  # None → PARKEVAL_GOALS_PATH
    scheme_files: list[Path] = field(default_factory=list)  # --scheme-file
    debug: bool = False
    user: str | None = None  # who is acting (--by), for history and the audit log
    today: dt.date = field(default_factory=lambda: today_from_env())

    @cached_property
    def db_url(self) -> str:
        """The database as an SQLAlchemy URL."""
        from parkeval.store.database import DB_ENV, resolve_url

        return resolve_url(self.db or os.environ.get(DB_ENV))

    @cached_property
    def database(self) -> Engine:
        """The SQLAlchemy engine of the run's database, its schema checked (and made if empty)."""
        from parkeval.store.database import init_db, make_engine

        engine = make_engine(self.db_url)
        init_db(engine)
        return engine

    def forget_database(self) -> None:
        """Drop the engines opened so far (after a new database was discarded): the next use
        opens the database again, and makes it again if need be."""
        for name in ("database", "reader"):
            engine = self.__dict__.pop(name, None)
            if engine is not None:
                engine.dispose()

    @cached_property
    def reader(self) -> Engine:
        """The database opened for reading only (commands that only read use it): it must
        exist and hold this version's schema; nothing is created, nothing switched."""
        from parkeval.store.database import check_schema, make_engine

        if self.db_url in ("sqlite://", "sqlite:///:memory:"):
            return self.database  # a database in memory exists only in this engine
        engine = make_engine(self.db_url, read_only=True)
        check_schema(engine)
        return engine

    @cached_property
    def registry(self) -> PolicyRegistry:
        """Every policy known to the run: built-in, PARKEVAL_POLICY_PATH, --policy-file."""
        from parkeval.policy.loader import load_registry, policy_path_from_env

        dirs = self.policy_dirs if self.policy_dirs is not None else policy_path_from_env()
        return load_registry(dirs, self.policy_files)

    @cached_property
    def goals(self) -> GoalRegistry:
        """Every development goal file known to the run: built-in, PARKEVAL_GOALS_PATH,
        --goals-file (never read by the policy registry)."""
        from parkeval.policy.goals import goals_path_from_env, load_goal_registry

        dirs = self.goal_dirs if self.goal_dirs is not None else goals_path_from_env()
        return load_goal_registry(dirs, self.goal_files)

    @cached_property
    def schemes(self) -> SchemeRegistry:
        """Every reward scheme known to the run: built-in, PARKEVAL_POLICY_PATH, --scheme-file."""
        from parkeval.policy.loader import policy_path_from_env
        from parkeval.policy.scheme.loader import load_schemes

        dirs = self.policy_dirs if self.policy_dirs is not None else policy_path_from_env()
        return load_schemes(dirs, self.scheme_files)

    @property
    def actor(self) -> str:
        """Who is acting: ``--by``, else the operating-system user."""
        if self.user:
            return self.user
        try:
            return getpass.getuser()
        except Exception:  # no login name (containers): still record something honest
            return "unknown"
