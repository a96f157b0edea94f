from .pages import (
    CatalogueIndexPage,
    CoursePage,
    CourseSector,
    LessonPage,
    SectorIndexPage,
    SectorPage,
)
from .progress import Enrolment, LessonCompletion

__all__ = [
    "CatalogueIndexPage",
    "CoursePage",
    "CourseSector",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "SectorIndexPage",
    "SectorPage",
]
