from .attempts import AnswerChoice, Attempt, AttemptAnswer
from .bank import Question, QuestionCategory, QuestionOption, ScenarioGroup
from .pages import AssessmentPage

__all__ = [
    "AnswerChoice",
    "AssessmentPage",
    "Attempt",
    "AttemptAnswer",
    "Question",
    "QuestionCategory",
    "QuestionOption",
    "ScenarioGroup",
]
