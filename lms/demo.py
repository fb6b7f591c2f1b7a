"""The demo-content registry behind `manage.py load_demo`.

The core app creates the site, locales and accounts; each app registers a loader that adds its own
content. Every loader must be idempotent: `make run` calls load_demo on each start.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[..., None]  # called as load(context) with the DemoContext
    order: int = 100


_loaders: dict[str, DemoLoader] = {}


def demo_password(username: str) -> str:
    """Every demo account's password: its username and "-demo-pass" (local development only)."""
    return f"{username}-demo-pass"


def register_loader(key: str, load: Callable[..., None], *, order: int = 100) -> None:
    _loaders[key] = DemoLoader(key=key, load=load, order=order)


def loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda d: (d.order, d.key))


HOME_CONTENT = {
    "en": {
        "title": "Community Learning",
        "intro": (
            "<p>Courses, live webinars and certificates for community leaders: people who use drugs who "
            "advocate for harm-reduction funding and for their rights, and who train others to do the same.</p>"
        ),
        "call_to_action": "Join without an email address",
    },
    "ru": {
        "title": "Обучение сообщества",
        "intro": (
            "<p>Курсы, живые вебинары и сертификаты для лидеров сообщества: людей, употребляющих наркотики, "
            "которые отстаивают финансирование снижения вреда и свои права и обучают этому других.</p>"
        ),
        "call_to_action": "Присоединиться без адреса электронной почты",
    },
    "uk": {
        "title": "Навчання спільноти",
        "intro": (
            "<p>Курси, живі вебінари та сертифікати для лідерів спільноти: людей, які вживають наркотики, "
            "відстоюють фінансування зменшення шкоди та свої права й навчають цього інших.</p>"
        ),
        "call_to_action": "Приєднатися без адреси електронної пошти",
    },
}


def ensure_home_pages(content: dict[str, dict] | None = None) -> dict:
    """Make a HomePage the default site's root, with a translation per language; returns them by language."""
    from wagtail.models import Locale, Page, Site

    from .models import HomePage

    content = content or HOME_CONTENT
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    root = Page.get_first_root_node()
    if root is None:
        raise RuntimeError("Wagtail's root page is missing: run migrate first.")
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.filter(locale=english).first()
    if home is None:
        # Replace Wagtail's welcome page with ours.
        Page.objects.filter(depth=2).exclude(content_type__model="homepage").delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(slug="home", locale=english, **content["en"]))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    pages = {"en": home}
    for code, _name in settings.LANGUAGES:
        if code == "en":
            continue
        locale = Locale.objects.get(language_code=code)
        translated = home.get_translation_or_none(locale)
        if translated is None:
            translated = home.copy_for_translation(locale).specific
            for attr, value in content.get(code, content["en"]).items():
                setattr(translated, attr, value)
            translated.save_revision().publish()
        pages[code] = translated.specific
    return pages
