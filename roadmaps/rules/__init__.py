"""The rules the roadmaps app applies, kept as data (``raci.toml``) and read by ``loader``."""
