"""The bottom layer: what every other package uses and nothing of the project's own.

``errors`` (the one exception hierarchy), ``records`` (the plain records a loader produces), ``roles``
(the words that give a unit its role), ``files`` (atomic writes, which files of a folder are documents).
Nothing here imports from loaders/, graph/, queries/, cascade/ or the app: see docs/ARCHITECTURE.md.
"""
