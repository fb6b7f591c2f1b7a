"""Questions written before their HTML was stored (0002) get it now; Question.save() renders it from here on."""

from django.db import migrations


def render_missing_html(apps, schema_editor):
    from lms.text import render_markdown

    Question = apps.get_model("webinars", "Question")
    missing = list(Question.objects.filter(text_html="").only("text", "answer"))
    for question in missing:
        question.text_html = str(render_markdown(question.text))
        question.answer_html = str(render_markdown(question.answer)) if question.answer else ""
    Question.objects.bulk_update(missing, ["text_html", "answer_html"], batch_size=500)

class Migration(migrations.Migration):
    dependencies = [("webinars", "0002_question_html")]

    operations = [migrations.RunPython(render_missing_html, migrations.RunPython.noop)]
