from .assignment import Assignment, AssignmentAudience, LearnerStatus
from .classroom import ClassGroup, ClassPupil, ClassPupilImport, Classroom

__all__ = [
    "Assignment",
    "AssignmentAudience",
    "ClassGroup",
    "ClassPupil",
    "ClassPupilImport",
    "Classroom",
    "LearnerStatus",
]
