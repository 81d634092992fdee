"""Facts about a parsed pattern, as pure folds over ``rxp._syntax``'s AST: its groups
(``_groups``), where its matches are anchored (``_anchoring``), whether a linear-time engine
can run it (``_linear``), and whether a backtracking engine can take super-linear time on it
(``_automaton`` builds the position automaton, ``_machine`` runs it as the engine would,
``_pumping`` finds pump words and their degree, ``_redos`` decides the hazards, ``_attack``
runs their attacks on the engine). Explain, stream and parse build on these.
"""
