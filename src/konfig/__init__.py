"""konfig: validate YAML, JSON and TOML configs against JSON Schema, and infer schemas from
examples. (Placeholder: the package's front door is written with ``konfig validate``.)"""
