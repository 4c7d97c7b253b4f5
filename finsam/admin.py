"""Django's admin is for platform staff: they manage förbund, users and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .history import describe
from .models import (
    Arende,
    Beslut,
    Dagordningspunkt,
    Dokument,
    Forbund,
    Handelse,
    Jav,
    Justering,
    KallelseUtskick,
    Ledamot,
    Malgrupp,
    Medlem,
    Narvaro,
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
    list_display = [
        "name",
        "slug",
        "display_unit",
        "report_interval",
        "report_due_days",
        "require_2fa_kansli",
    ]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MedlemInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting a förbund would delete its audit trail: only one without history
        # goes here (the loader's --replace is the other way, for the demo).
        if obj is None or obj.handelser.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Medlem)
class MedlemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "forbund"]
    list_filter = ["forbund", "kind"]
    list_select_related = ["forbund"]
    search_fields = ["name", "short_name"]


@admin.register(Roll)
class RollAdmin(admin.ModelAdmin):
    list_display = ["user", "forbund", "kind", "medlem"]
    list_filter = ["forbund", "kind"]
    list_select_related = ["user", "forbund", "medlem"]
    autocomplete_fields = ["medlem"]


@admin.register(Ledamot)
class LedamotAdmin(admin.ModelAdmin):
    list_display = ["name", "party", "medlem", "kind", "chair_role", "mandate_start", "mandate_end"]
    list_filter = ["medlem__forbund", "kind"]
    list_select_related = ["medlem"]
    search_fields = ["name"]


@admin.register(Malgrupp)
class MalgruppAdmin(admin.ModelAdmin):
    list_display = ["name", "forbund", "prioritized"]
    list_filter = ["forbund"]
    list_select_related = ["forbund"]


class ArendeInline(admin.TabularInline):
    model = Arende
    extra = 0


@admin.register(Sammantrade)
class SammantradeAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "status", "forbund"]
    list_filter = ["forbund", "status"]
    list_select_related = ["forbund"]
    date_hierarchy = "date"
    inlines = [ArendeInline]


@admin.register(Arende)
class ArendeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sammantrade", "kind"]
    list_filter = ["sammantrade__forbund"]
    list_select_related = ["sammantrade"]


@admin.register(Beslut)
class BeslutAdmin(admin.ModelAdmin):
    list_display = ["date", "__str__", "delegated", "forbund"]
    list_filter = ["forbund", "delegated"]
    list_select_related = ["forbund"]


@admin.register(Protokoll)
class ProtokollAdmin(admin.ModelAdmin):
    list_display = ["sammantrade", "signed_at"]
    list_select_related = ["sammantrade"]


@admin.register(Dokument)
class DokumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "status", "forbund", "created_at"]
    list_filter = ["forbund", "kind", "status"]
    list_select_related = ["forbund"]


@admin.register(Handelse)
class HandelseAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be rewritten, not even by staff."""

    list_display = ["at", "user", "action", "subject_repr", "what_changed", "forbund"]
    list_filter = ["forbund"]
    list_select_related = ["user", "forbund", "subject_type"]
    search_fields = ["subject_repr", "action", "reason"]
    date_hierarchy = "at"
    actions = None
    fields = ["at", "forbund", "user", "action", "subject_type", "subject_id", "subject_repr"]
    fields += ["reason", "changes_described", "changes"]
    readonly_fields = ["changes_described"]

    @admin.display(description="Ändringar")
    def what_changed(self, obj):
        return ", ".join(change.label for change in describe(obj)) or "–"

    @admin.display(description="Ändringar i klartext")
    def changes_described(self, obj):
        lines = []
        for change in describe(obj):
            changes = change.parts or [change]
            prefix = f"{change.label}: " if change.parts else ""
            for part in changes:
                before = f"{part.before} → " if part.before is not None else ""
                lines.append(f"{prefix}{part.label}: {before}{part.after}")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- part B: the meeting in detail (platform staff read; the pages are where work is done)


@admin.register(Dagordningspunkt)
class DagordningspunktAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "standing", "kind", "forbund"]
    list_filter = ["forbund"]
    list_select_related = ["forbund"]


@admin.register(Narvaro)
class NarvaroAdmin(admin.ModelAdmin):
    list_display = ["sammantrade", "ledamot", "present", "serving_for"]
    list_filter = ["sammantrade__forbund"]
    list_select_related = ["sammantrade", "ledamot", "serving_for"]


@admin.register(Jav)
class JavAdmin(admin.ModelAdmin):
    list_display = ["arende", "ledamot", "reason", "declared_at"]
    list_filter = ["arende__sammantrade__forbund"]
    list_select_related = ["arende", "ledamot"]


@admin.register(KallelseUtskick)
class KallelseUtskickAdmin(admin.ModelAdmin):
    list_display = ["sammantrade", "ledamot", "email", "queued_at", "sent_at"]
    list_filter = ["sammantrade__forbund"]
    list_select_related = ["sammantrade", "ledamot"]


# --- part C: signatures of the minutes, read only (a signature is never edited).
@admin.register(Justering)
class JusteringAdmin(admin.ModelAdmin):
    list_display = ["protokoll", "ledamot", "role", "signed_at", "checksum"]
    list_select_related = ["protokoll__sammantrade", "ledamot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
