"""Round, questionnaire and results URLs, all under /o/<slug>/."""

app_name = "assessments"

urlpatterns: list = []
