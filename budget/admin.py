from django.contrib import admin

from .models import (
    Arshjulspost,
    Avsnitt,
    Budget,
    Budgetrad,
    Mal,
    Medlemsavgift,
    Resultatmal,
    Risk,
    Verksamhetsplan,
)


@admin.register(Medlemsavgift)
class MedlemsavgiftAdmin(admin.ModelAdmin):
    list_display = ["medlem", "year", "amount"]
    list_filter = ["medlem__forbund", "year"]
    list_select_related = ["medlem"]


class BudgetradInline(admin.TabularInline):
    model = Budgetrad
    extra = 0


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["forbund", "year", "version", "status"]
    list_filter = ["forbund", "status"]
    list_select_related = ["forbund"]
    inlines = [BudgetradInline]


class AvsnittInline(admin.StackedInline):
    model = Avsnitt
    extra = 0


class MalInline(admin.StackedInline):
    model = Mal
    extra = 0


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


class ArshjulspostInline(admin.TabularInline):
    model = Arshjulspost
    extra = 0


@admin.register(Verksamhetsplan)
class VerksamhetsplanAdmin(admin.ModelAdmin):
    list_display = ["forbund", "year", "version", "status"]
    list_filter = ["forbund", "status"]
    list_select_related = ["forbund"]
    inlines = [AvsnittInline, MalInline, ArshjulspostInline, RiskInline]


class ResultatmalInline(admin.TabularInline):
    model = Resultatmal
    extra = 0


@admin.register(Mal)
class MalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan"]
    list_select_related = ["plan"]
    inlines = [ResultatmalInline]
