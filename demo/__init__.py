"""The demo: composes each app's own demo seeding into `manage.py seed_demo` (top layer, imports every app)."""
