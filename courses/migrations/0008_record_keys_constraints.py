# The keys filled by 0007 are required, and uniqueness moves from the pages to them.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0007_fill_record_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='assignmentsubmission',
            name='course_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='assignmentsubmission',
            name='lesson_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='enrollment',
            name='course_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='lessonprogress',
            name='course_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='lessonprogress',
            name='lesson_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='quizattempt',
            name='course_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AlterField(
            model_name='quizattempt',
            name='lesson_key',
            field=models.UUIDField(editable=False),
        ),
        migrations.AddIndex(
            model_name='assignmentsubmission',
            index=models.Index(fields=['course_key', 'status'], name='courses_ass_course__641991_idx'),
        ),
        migrations.AddIndex(
            model_name='enrollment',
            index=models.Index(fields=['course_key', 'completed_at'], name='courses_enr_course__cc3a3a_idx'),
        ),
        migrations.AddIndex(
            model_name='lessonprogress',
            index=models.Index(fields=['course_key', 'user'], name='courses_les_course__637135_idx'),
        ),
        migrations.AddIndex(
            model_name='quizattempt',
            index=models.Index(fields=['course_key', 'user'], name='courses_qui_course__989df8_idx'),
        ),
        migrations.AddConstraint(
            model_name='assignmentsubmission',
            constraint=models.UniqueConstraint(fields=('user', 'lesson_key', 'assignment_key'), name='courses_submission_unique_user_assignment_key'),
        ),
        migrations.AddConstraint(
            model_name='enrollment',
            constraint=models.UniqueConstraint(fields=('user', 'course_key'), name='courses_enrollment_unique_user_course_key'),
        ),
        migrations.AddConstraint(
            model_name='lessonprogress',
            constraint=models.UniqueConstraint(fields=('user', 'lesson_key'), name='courses_progress_unique_user_lesson_key'),
        ),
        migrations.AddConstraint(
            model_name='quizattempt',
            constraint=models.UniqueConstraint(fields=('user', 'lesson_key', 'quiz_key', 'number'), name='courses_attempt_unique_key_number'),
        ),
    ]
