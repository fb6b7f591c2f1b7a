"""Load the demo: site, locales, home pages and accounts, then every app's registered demo content.

Idempotent: `make run` calls it on every start. The passwords are for local development only.
"""

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale

from lms import demo, roles
from lms.models import HomePage
from lms.services import User, user_create

DEMO_ACCOUNTS = [
    # username, display name, role, language; the password is demo.demo_password(username)
    ("learner", "Aigerim", roles.LEARNERS, "ru"),
    ("trainer", "Oleg (trainer)", roles.TRAINERS, "ru"),
    ("certifier", "Certification team", roles.CERTIFIERS, "en"),
    ("admin", "Platform admin", None, "en"),
]


@dataclass
class DemoContext:
    """What the core loader made, handed to each app's loader."""

    home_pages: dict[str, HomePage]  # by language code
    users: dict[str, User]  # by username
    stdout: object = None
    extra: dict = field(default_factory=dict)  # apps may leave things here for loaders after them

    def locale(self, language: str) -> Locale:
        return Locale.objects.get(language_code=language)


class Command(BaseCommand):
    help = "Create or update the demo site, accounts and content (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            context = DemoContext(home_pages=demo.ensure_home_pages(), users=self.ensure_accounts())
            context.stdout = self.stdout
            for loader in demo.loaders():
                loader.load(context)
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Demo logins (development only):"))
        for username, _name, role, _lang in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {demo.demo_password(username):<22} {role or 'superuser'}")

    def ensure_accounts(self) -> dict[str, User]:
        users = {}
        for username, display_name, role, language in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    password=demo.demo_password(username),
                    display_name=display_name,
                    preferred_language=language,
                )
            if role and role != roles.LEARNERS:
                roles.grant_role(user, role)
            if role is None and not user.is_superuser:
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            users[username] = user
        return users
