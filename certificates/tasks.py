"""Background re-evaluation: the receivers of the courses and webinars signals enqueue this after commit."""

from django_tasks import task


@task()
def progression_refresh_task(*, user_id: int | None = None, user_ids: list[int] | None = None) -> None:
    """Re-evaluate these users (`user_id` is kept for jobs enqueued before `user_ids` existed). Never everyone:
    that is `manage.py refresh_progression`."""
    from .services import progression_refresh

    ids = sorted({*(user_ids or ()), *(() if user_id is None else (user_id,))})
    if ids:
        progression_refresh(user_ids=ids)
