"""The record of a room: approved questions with their answers and the poll results, as Markdown or CSV.
Anonymous questions carry no author; dismissed and unapproved questions are left out."""

import csv
import io

from .models import Poll, Question


def transcript_rows(webinar) -> tuple[list[Question], list[tuple[Poll, list]]]:
    """Three queries whatever the size of the room."""
    questions = list(
        Question.objects.filter(webinar=webinar, status=Question.Status.APPROVED)
        .select_related("author")
        .order_by("created_at", "id")
    )
    polls = list(Poll.objects.filter(webinar=webinar).prefetch_related("choices").order_by("created_at", "id"))
    return questions, [(poll, list(poll.choices.all())) for poll in polls]


def _author(question: Question) -> str:
    if question.anonymous or question.author is None:
        return "Anonymous"
    return question.author.public_name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def transcript_markdown(webinar) -> str:
    questions, polls = transcript_rows(webinar)
    lines = [f"# {webinar.title}", "", f"{webinar.start:%Y-%m-%d %H:%M} UTC", "", "## Questions", ""]
    if not questions:
        lines.append("_No questions._")
    for number, question in enumerate(questions, start=1):
        lines.append(f"### {number}. {_author(question)} · {question.vote_count} votes")
        lines += ["", "> " + "\n> ".join(question.text.splitlines()), ""]
        if question.answer:
            lines += [question.answer, ""]
        elif question.answered_at:
            lines += ["_Answered live._", ""]
    lines += ["## Polls", ""]
    if not polls:
        lines.append("_No polls._")
    for poll, choices in polls:
        total = sum(c.vote_count for c in choices)
        lines += [f"### {_one_line(poll.question)}", "", f"{total} votes, {poll.get_status_display().lower()}", ""]
        for choice in choices:
            share = round(100 * choice.vote_count / total) if total else 0
            lines.append(f"- {_one_line(choice.text)}: {choice.vote_count} ({share}%)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def transcript_csv(webinar) -> str:
    questions, polls = transcript_rows(webinar)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "number", "author", "text", "answer", "votes", "asked_at"])
    for number, question in enumerate(questions, start=1):
        writer.writerow(
            [
                "question", number, _author(question), _safe(question.text), _safe(question.answer),
                question.vote_count, question.created_at.isoformat(),
            ]
        )  # fmt: skip
    for number, (poll, choices) in enumerate(polls, start=1):
        for choice in choices:
            writer.writerow(["poll", number, "", _safe(poll.question), _safe(choice.text), choice.vote_count, ""])
    return out.getvalue()


def _safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
