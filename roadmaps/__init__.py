"""Roadmaps: targets, the initiative library, generated roadmaps, and the RACI of CX ownership."""
