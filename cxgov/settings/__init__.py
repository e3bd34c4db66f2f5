"""Settings package: base (shared), local, test, production."""
