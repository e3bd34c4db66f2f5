"""Audit log: who changed what in an organisation's rounds, targets, roadmap, RACI and settings."""
