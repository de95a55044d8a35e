"""Persistence: aiosqlite ``Database``, numbered migrations, repositories, FSM storage."""

from __future__ import annotations

from dataclasses import dataclass

from storage.activity import ActivityRepo
from storage.broadcasts import BroadcastCounts, BroadcastJob, BroadcastsRepo
from storage.certificates import (
    Certificate,
    CertificatesRepo,
    SnilsAlreadyUsed,
    SnilsKeys,
    upgrade_registry,
)
from storage.checks import ChecksRepo, CheckStats
from storage.database import Database
from storage.fsm import SQLiteStorage
from storage.migrator import MigrationError, migrate
from storage.questions import QuestionGroup, QuestionsRepo
from storage.reminders import Reminder, RemindersRepo
from storage.staff import StaffMember, StaffRepo
from storage.tickets import PendingPost, Ticket, TicketMessage, TicketsRepo, TicketStats
from storage.users import User, UsersRepo
from storage.wordings import Wording, WordingsRepo


@dataclass(frozen=True, slots=True)
class Repositories:
    """Every repository over one :class:`Database` (injected into handlers as ``repo``)."""

    db: Database
    users: UsersRepo
    checks: ChecksRepo
    certificates: CertificatesRepo
    reminders: RemindersRepo
    tickets: TicketsRepo
    questions: QuestionsRepo
    staff: StaffRepo
    wordings: WordingsRepo
    activity: ActivityRepo
    broadcasts: BroadcastsRepo

    @classmethod
    def create(cls, db: Database) -> Repositories:
        return cls(
            db=db,
            users=UsersRepo(db),
            checks=ChecksRepo(db),
            certificates=CertificatesRepo(db),
            reminders=RemindersRepo(db),
            tickets=TicketsRepo(db),
            questions=QuestionsRepo(db),
            staff=StaffRepo(db),
            wordings=WordingsRepo(db),
            activity=ActivityRepo(db),
            broadcasts=BroadcastsRepo(db),
        )


__all__ = [
    "ActivityRepo",
    "BroadcastCounts",
    "BroadcastJob",
    "BroadcastsRepo",
    "Certificate",
    "CertificatesRepo",
    "CheckStats",
    "ChecksRepo",
    "Database",
    "MigrationError",
    "PendingPost",
    "QuestionGroup",
    "QuestionsRepo",
    "Reminder",
    "RemindersRepo",
    "Repositories",
    "SQLiteStorage",
    "SnilsAlreadyUsed",
    "SnilsKeys",
    "StaffMember",
    "StaffRepo",
    "Ticket",
    "TicketMessage",
    "TicketStats",
    "TicketsRepo",
    "User",
    "UsersRepo",
    "Wording",
    "WordingsRepo",
    "migrate",
    "upgrade_registry",
]
