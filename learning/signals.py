from django.dispatch import Signal

# Sent once when an enrolment first meets its course's completion rules.
# Receivers get `enrolment`; certificates are issued from here.
course_completed = Signal()
