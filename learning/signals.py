from django.dispatch import Signal

# Sent once when an enrolment first meets its course's completion rules.
# Receivers get `enrolment`; certificates are issued from here.
course_completed = Signal()

# Sent once when a learner first completes a lesson, inside the same transaction.
# Receivers get `completion` (a LessonCompletion, with its enrolment and lesson).
lesson_completed = Signal()

# Sent once when an attempt is marked (submitted by the learner or finalised at its
# deadline), inside the same transaction. Receivers get `attempt`, with its assessment.
attempt_marked = Signal()
