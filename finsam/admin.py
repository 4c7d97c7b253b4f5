"""Django's admin is for platform staff: they manage förbund, users and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import (
    Arende,
    Beslut,
    Dokument,
    Forbund,
    Handelse,
    Ledamot,
    Malgrupp,
    Medlem,
    Protokoll,
    Roll,
    Sammantrade,
    User,
)


class RollInline(admin.TabularInline):
    model = Roll
    extra = 0
    autocomplete_fields = ["medlem"]


@admin.register(User)
class FinsamUserAdmin(UserAdmin):
    inlines = [RollInline]


class MedlemInline(admin.TabularInline):
    model = Medlem
    extra = 0


@admin.register(Forbund)
class ForbundAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_unit", "report_interval", "require_2fa_kansli"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MedlemInline]


@admin.register(Medlem)
class MedlemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "forbund"]
    list_filter = ["forbund", "kind"]
    search_fields = ["name", "short_name"]


@admin.register(Roll)
class RollAdmin(admin.ModelAdmin):
    list_display = ["user", "forbund", "kind", "medlem"]
    list_filter = ["forbund", "kind"]
    autocomplete_fields = ["medlem"]


@admin.register(Ledamot)
class LedamotAdmin(admin.ModelAdmin):
    list_display = ["name", "party", "medlem", "kind", "chair_role", "mandate_start", "mandate_end"]
    list_filter = ["medlem__forbund", "kind"]
    search_fields = ["name"]


@admin.register(Malgrupp)
class MalgruppAdmin(admin.ModelAdmin):
    list_display = ["name", "forbund", "prioritized"]
    list_filter = ["forbund"]


class ArendeInline(admin.TabularInline):
    model = Arende
    extra = 0


@admin.register(Sammantrade)
class SammantradeAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "status", "forbund"]
    list_filter = ["forbund", "status"]
    date_hierarchy = "date"
    inlines = [ArendeInline]


@admin.register(Arende)
class ArendeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sammantrade", "kind"]
    list_filter = ["sammantrade__forbund"]


@admin.register(Beslut)
class BeslutAdmin(admin.ModelAdmin):
    list_display = ["date", "__str__", "delegated", "forbund"]
    list_filter = ["forbund", "delegated"]


@admin.register(Protokoll)
class ProtokollAdmin(admin.ModelAdmin):
    list_display = ["sammantrade", "signed_at"]


@admin.register(Dokument)
class DokumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "status", "forbund", "created_at"]
    list_filter = ["forbund", "kind", "status"]


@admin.register(Handelse)
class HandelseAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be rewritten, not even by staff."""

    list_display = ["at", "user", "action", "subject_repr", "forbund"]
    list_filter = ["forbund"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
