"""The shared list layer: a base table, a base filter set and `list_view`.

A new list costs a `Table` subclass, a `FilterSet` subclass and a call to
`list_view(request, queryset, TheTable, TheFilter, template=..., filename=...)`.
"""
