"""The Verksamhetsplan: its outline (outline.py), what it prints (content.py), its pages.

- outline.py: the plan's own outline, an ordered list of chapters (Disposition).
- content.py: everything the printed plan holds, gathered in a fixed number of queries.
- markdown.py: a section's text as sanitised HTML.
- forms.py, views.py, urls.py: the kansli's pages.
"""
