from django.contrib import admin

from .models import Aktivitet, Deltagarantal, Rapport


class DeltagarantalInline(admin.TabularInline):
    model = Deltagarantal
    extra = 0


@admin.register(Rapport)
class RapportAdmin(admin.ModelAdmin):
    list_display = ["insats", "kind", "period_start", "period_end", "due_date", "status"]
    list_filter = ["insats__forbund", "kind", "status"]
    list_select_related = ["insats"]
    inlines = [DeltagarantalInline]


@admin.register(Aktivitet)
class AktivitetAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "forbund"]
    list_filter = ["forbund", "kind"]
    list_select_related = ["forbund"]
