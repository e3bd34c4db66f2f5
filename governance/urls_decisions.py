"""Decision log pages and accountability health."""

urlpatterns: list = []
