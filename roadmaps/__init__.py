"""Roadmaps: targets, initiatives and the RACI of CX ownership (domain rules so far)."""
