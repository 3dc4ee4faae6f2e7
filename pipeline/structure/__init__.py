"""Structure: normalized text with its offset map, then the 章/節/条/項/号/附則 tree.

normalize (characters → joining → spaces, and the Locator back to the source) → segment (layout
→ parts → segmenter with paragraphs → builders → freeze, numbering diagnostics) → metadata (the
title block). parts also gives each document of a bundle as a Document of its own.
"""
