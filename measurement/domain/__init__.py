"""Pure domain code of the KPI register: metric definitions and statistics."""
