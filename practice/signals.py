"""Domain signals for the apps above practice (certificates listens). Sent by services after commit, with
send_robust: a failing receiver is logged (django.dispatch) and never undoes or breaks the trainer's action."""

from django.dispatch import Signal

# Sent once, after commit, when a trainer accepts a record: record=<CaseRecord | MonitoringVisit>, user=<its author>.
record_accepted = Signal()
