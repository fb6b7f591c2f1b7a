"""What the webinars app holds on a person, for "Download my data" and "Delete my account".

Anonymous questions are exported to their author (it is their data) but erasing keeps them, like every
question of the person, without any link to them: the transcript stays whole and nobody can trace it back.
Votes and poll votes are deleted; the counts they added to stay, as counts say nothing about anyone.
"""

from django.db import transaction

from .models import Attendance, CalendarFeed, PollVote, Question, Registration, RoomEvent, Vote


def export(user) -> dict:
    return {
        "registrations": [
            {"webinar_id": r.webinar_id, "webinar": r.webinar.title, "registered_at": r.created_at}
            for r in Registration.objects.filter(user=user).select_related("webinar").order_by("created_at")
        ],
        "attendance": [
            {"webinar_id": a.webinar_id, "connected_at": a.connected_at, "disconnected_at": a.disconnected_at}
            for a in Attendance.objects.filter(user=user).order_by("connected_at")
        ],
        "questions": [
            {
                "webinar_id": q.webinar_id,
                "webinar": q.webinar.title,
                "text": q.text,
                "anonymous": q.anonymous,
                "status": q.status,
                "answer": q.answer,
                "asked_at": q.created_at,
            }
            for q in Question.objects.filter(author=user).select_related("webinar").order_by("created_at")
        ],
        "question_votes": [
            {"question_id": v.question_id, "webinar_id": v.question.webinar_id, "voted_at": v.created_at}
            for v in Vote.objects.filter(user=user).select_related("question").order_by("created_at")
        ],
        "poll_votes": [
            {"poll": v.poll.question, "choice": v.choice.text, "voted_at": v.created_at}
            for v in PollVote.objects.filter(user=user).select_related("poll", "choice").order_by("created_at")
        ],
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
    }


@transaction.atomic
def erase(user) -> None:
    question_ids = list(Question.objects.filter(author=user).values_list("pk", flat=True))
    Question.objects.filter(pk__in=question_ids).update(author=None, anonymous=True, client_id="")
    # The room log keeps what was broadcast: take the name out of it too.
    for event in RoomEvent.objects.filter(question_id__in=question_ids):
        for payload in (event.payload, event.presenter_payload):
            if payload and isinstance(payload.get("data"), dict) and "author" in payload["data"]:
                payload["data"]["author"] = None
                payload["data"]["anonymous"] = True
        event.save(update_fields=["payload", "presenter_payload"])
    Vote.objects.filter(user=user).delete()
    PollVote.objects.filter(user=user).delete()
    Attendance.objects.filter(user=user).delete()
    Registration.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
