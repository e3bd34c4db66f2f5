"""Pure roadmap and RACI rules (no Django, no clock, no I/O): prioritisation, scheduling, RACI."""
