"""The governance pages: the steering rhythm (urls_rhythm.py) and the decision log (urls_decisions.py)."""

from . import urls_decisions, urls_rhythm

app_name = "governance"
urlpatterns = [*urls_rhythm.urlpatterns, *urls_decisions.urlpatterns]
