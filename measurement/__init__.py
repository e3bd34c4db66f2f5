"""Measurement practice: the KPI register and NPS/CSAT/CES statistics (domain rules so far)."""
