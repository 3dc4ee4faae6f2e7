"""Cross-references: relative and absolute citations resolved against the tree.

`resolve.resolve` is the stage's entry point; `tree` holds the provisions it looks up, `targets`
walks a reference's fragments to the provisions named, `relative` counts 前条/前項/同号 … from where
the reference stands, and `diagnostics` reports what is dangling, deleted or titled otherwise.
"""
