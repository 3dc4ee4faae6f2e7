"""Diff: two versions of a document compared provision by provision (新旧対照表).

`pipeline.diff.compare.diff(old, new)` gives the DocumentDiff; its module docstring walks the
steps (nodes → align → text_changes → parameters → edits). `pipeline.diff.render` renders a
DocumentDiff as JSON, Markdown or an HTML 新旧対照表.
"""
