"""Django-admin registration of the user, needed by django-filer's owner fields (the library lives there)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "preferred_language", "time_zone", "country")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "date_joined")
    search_fields = ("username", "display_name", "email")

    def has_module_permission(self, request):
        # Accounts are managed in the Wagtail admin; only superusers see them here.
        return request.user.is_superuser
