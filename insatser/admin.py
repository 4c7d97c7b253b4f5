from django.contrib import admin

from .models import Anslag, Ansokan, AnsokanBelopp, Ansokningsomgang, Insats, Rekvisition


class AnsokanBeloppInline(admin.TabularInline):
    model = AnsokanBelopp
    extra = 0


@admin.register(Ansokan)
class AnsokanAdmin(admin.ModelAdmin):
    list_display = ["diarienummer", "title", "agare", "status", "forbund"]
    list_filter = ["forbund", "status"]
    list_select_related = ["agare", "forbund"]
    search_fields = ["title", "diarienummer"]
    inlines = [AnsokanBeloppInline]


class AnslagInline(admin.TabularInline):
    model = Anslag
    extra = 0


@admin.register(Insats)
class InsatsAdmin(admin.ModelAdmin):
    list_display = ["name", "agare", "kind", "status", "forbund"]
    list_filter = ["forbund", "status", "kind"]
    list_select_related = ["agare", "forbund"]
    search_fields = ["name"]
    inlines = [AnslagInline]


@admin.register(Rekvisition)
class RekvisitionAdmin(admin.ModelAdmin):
    list_display = ["insats", "period_start", "period_end", "amount", "status"]
    list_filter = ["insats__forbund", "status"]
    list_select_related = ["insats"]


# --- part A: application rounds
@admin.register(Ansokningsomgang)
class AnsokningsomgangAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "deadline", "forbund"]
    list_filter = ["forbund"]
