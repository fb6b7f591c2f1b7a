"""Domain signals for the apps above courses (certificates listens). Sent by services after commit, with
send_robust: a failing receiver is logged (django.dispatch) and never undoes or breaks the learner's action."""

from django.dispatch import Signal

# Sent once, after commit, when a learner's enrolment becomes complete: user=..., course=<CoursePage>.
course_completed = Signal()
# Sent after commit when a trainer approves a submission: submission=<AssignmentSubmission>.
assignment_approved = Signal()
# Sent after commit when a learner who has already completed the course raises their best score on one of its
# quizzes (what a "course completed with a minimum quiz score" requirement reads): user=..., course=<CoursePage>,
# lesson=<LessonPage>, quiz_key=<str>, score=<float, the new best>. Before completion course_completed carries it.
quiz_score_improved = Signal()
