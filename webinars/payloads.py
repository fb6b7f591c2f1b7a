"""The JSON shapes of questions and polls in room messages. Nothing here ever names the author of an
anonymous question or says who voted for what; per-person flags (mine, voted) are added only for that person."""

from .models import Poll, Question


def question_data(question: Question) -> dict:
    author = None
    if not question.anonymous and question.author_id is not None:
        author = question.author.public_name
    return {
        "id": question.pk,
        "text": question.text,
        "html": question.text_html,
        "author": author,
        "anonymous": question.anonymous,
        "status": question.status,
        "votes": question.vote_count,
        "pinned": question.pinned,
        "answered": question.answered_at is not None,
        "answer": question.answer,
        "answer_html": question.answer_html,
        "created_at": question.created_at.isoformat(),
    }


def poll_data(poll: Poll, choices, *, show_counts: bool) -> dict:
    """`votes` per choice is null while results are hidden from this audience; the total is always shown."""
    return {
        "id": poll.pk,
        "question": poll.question,
        "status": poll.status,
        "results_hidden": poll.results_hidden,
        "total": sum(c.vote_count for c in choices),
        "choices": [{"id": c.pk, "text": c.text, "votes": c.vote_count if show_counts else None} for c in choices],
    }
