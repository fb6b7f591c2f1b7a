"""Domain signals for the apps above courses (certificates listens). Sent by services after commit."""

from django.dispatch import Signal

# Sent once, after commit, when a learner's enrolment becomes complete: user=..., course=<CoursePage>.
course_completed = Signal()
# Sent after commit when a trainer approves a submission: submission=<AssignmentSubmission>.
assignment_approved = Signal()
