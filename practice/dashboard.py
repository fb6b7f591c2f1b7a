"""The field practice panel of /dashboard/: the person's practices with their drafts and returned records, and, for
trainers, how many records wait for their review. One query for someone without any practice, five at most."""

from django.db.models import Count

from lms import roles

from . import services
from .models import CaseRecord, MonitoringVisit, RecordStatus


def panel_context(request) -> dict | None:
    user = request.user
    practices = list(services.learner_practices(user=user).only("pk", "title", "kind").order_by("title", "pk"))
    waiting = 0
    is_trainer = roles.may_act_as_trainer(user)
    if is_trainer:
        ids = services.trainer_practices(user=user).values("pk")
        for model in (CaseRecord, MonitoringVisit):
            waiting += model.objects.filter(practice_id__in=ids, status=RecordStatus.SUBMITTED).count()
    if not practices and not waiting:
        return None
    states = {RecordStatus.DRAFT: 0, RecordStatus.RETURNED: 0}
    if practices:
        for model in (CaseRecord, MonitoringVisit):
            rows = (
                model.objects.filter(author=user, status__in=list(states))
                .order_by()
                .values_list("status")
                .annotate(n=Count("pk"))
            )
            for status, n in rows:
                states[status] += n
    return {
        "practices": practices,
        "drafts": states[RecordStatus.DRAFT],
        "returned": states[RecordStatus.RETURNED],
        "waiting": waiting,
        "is_trainer": is_trainer,
    }
