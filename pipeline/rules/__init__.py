"""Rule models: structural checks and each family's named parameters → `ValidationReport`."""
