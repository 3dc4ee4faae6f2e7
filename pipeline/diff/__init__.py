"""Diff: article alignment across versions, edits, parameter changes, and the 新旧対照表
renderers."""
