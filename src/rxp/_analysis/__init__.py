"""Facts about a parsed pattern, as pure folds over ``rxp._syntax``'s AST: its groups
(``_groups``), where its matches are anchored (``_anchoring``), and whether a backtracking
engine can take exponential time on it (``_automaton`` builds the position automaton,
``_redos`` decides the hazards). Explain, stream and parse build on these.
"""
