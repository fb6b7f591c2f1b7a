"""django-allauth adapter: new accounts are learners and keep the language they signed up in; signing in opens the
site in the language a person chose in their profile."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.utils import translation

from . import roles
from .languages import set_language_cookie
from .services import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    @transaction.atomic
    def save_user(self, request, user: User, form, commit=True):
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.grant_role(user, roles.LEARNERS)
        return user

    def get_login_redirect_url(self, request):
        """The dashboard in the person's own language (a `next` URL, which allauth prefers, keeps its own)."""
        with translation.override(request.user.preferred_language):
            return resolve_url(settings.LOGIN_REDIRECT_URL)

    def post_login(self, request, user: User, **kwargs):
        response = super().post_login(request, user, **kwargs)
        set_language_cookie(response, user.preferred_language)
        return response
