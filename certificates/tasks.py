"""Background re-evaluation: the receivers of the courses and webinars signals enqueue this after commit."""

from django_tasks import task


@task()
def progression_refresh_task(*, user_id: int) -> None:
    from .services import progression_refresh

    progression_refresh(user_ids=[user_id])
