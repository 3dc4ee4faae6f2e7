"""Cross-references: relative and absolute citations resolved against the tree."""
