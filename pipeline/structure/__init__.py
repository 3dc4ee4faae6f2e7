"""Structure: normalization with its offset map, the 章/節/条/項/号/附則 tree, bundle parts
and the title block."""
