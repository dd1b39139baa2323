"""All models, imported here so that Alembic and the app see every table."""

from portal.models.applications import (  # noqa: F401
    OBJECTION_GROUNDS,
    OPEN_STATUSES,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Attachment,
    Commitment,
    CommitmentType,
    Objection,
    RepairApplication,
)
from portal.models.audit import AuditLog  # noqa: F401
from portal.models.base import PublicationState  # noqa: F401
from portal.models.content import Article, Column  # noqa: F401
from portal.models.counters import SerialCounter  # noqa: F401
from portal.models.grading import Grade, GradingRun  # noqa: F401
from portal.models.imports import ImportRun  # noqa: F401
from portal.models.lists import ListEntry, ListKind  # noqa: F401
from portal.models.opendata import ApiKey, VisibilityEvent  # noqa: F401
from portal.models.org import Department, Role, StaffSession, StaffUser, UserRole  # noqa: F401
from portal.models.outbox import SearchOutbox  # noqa: F401
from portal.models.projects import Project  # noqa: F401
from portal.models.publicity import License, Penalty  # noqa: F401
from portal.models.reports import ReportIssue  # noqa: F401
from portal.models.revisions import RecordRevision, RevisionState  # noqa: F401
from portal.models.search import CachedFigure, RecordPresentation, SearchDocument, SearchIndexState  # noqa: F401
from portal.models.statistics import StatRecordDay, StatState, StatTimelyDay  # noqa: F401
from portal.models.subject import Subject, SubjectKind, SubjectName  # noqa: F401
