"""Steering rhythm pages: role holders, the meeting series, its calendar file and agenda."""

urlpatterns: list = []
