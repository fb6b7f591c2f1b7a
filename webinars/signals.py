"""Domain signals of the webinars app, sent by its services (certificates listens)."""

from django.dispatch import Signal

# Sent after commit when a connected interval in a webinar room closes, with user=<User>, webinar=<WebinarPage>.
attendance_recorded = Signal()
