"""Products and their parts: units, taxes, tags, codes, modifier groups, recipes, packages."""
