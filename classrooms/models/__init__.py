from .assignment import Assignment, AssignmentAudience, LearnerStatus
from .classroom import ClassGroup, ClassPupil, ClassPupilImport, Classroom
from .notification import CalendarFeed, Notification, NotificationKind

__all__ = [
    "Assignment",
    "AssignmentAudience",
    "CalendarFeed",
    "ClassGroup",
    "ClassPupil",
    "ClassPupilImport",
    "Classroom",
    "LearnerStatus",
    "Notification",
    "NotificationKind",
]
