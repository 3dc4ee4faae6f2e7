"""spaCy components that extract typed values from terms text, one module per kind.

Each kind's module holds a pure finder over text (`periods`, `percentages`, `fractions`,
`amounts`, `dates`, `definitions`; `crossrefs` is a package: the reference grammar and its
parser); `phrases` the phrases they share; `spans` the typed spans they write on a Doc;
`components` the spaCy factories around the finders. Only `components` imports spaCy.
"""
