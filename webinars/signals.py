"""Domain signals of the webinars app, sent by its services with send_robust (certificates listens): a failing
receiver is logged (django.dispatch) and never breaks the change that was made."""

from django.dispatch import Signal

# Sent after commit when a connected interval in a webinar room closes, with user=<User>, webinar=<WebinarPage>:
# by attendance_close (the person left) and by the closing of a crashed worker's open intervals (once per person
# and webinar).
attendance_recorded = Signal()
# Sent by webinars_ended_announce for each published webinar with presenters that ended in the window it is given
# (what "webinars presented" counts): webinar=<WebinarPage>, presenter_ids=<list of user ids>. Announcing a
# webinar twice is harmless (listeners re-evaluate).
webinar_ended = Signal()
