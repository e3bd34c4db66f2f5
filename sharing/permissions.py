"""Who may create and revoke share links, in terms of organisations/permissions.py."""

from organisations.permissions import Action

# Facilitators and sponsors: the roles that read results before publication are the ones who may hand
# them out. (A dedicated Action in organisations/permissions.py would name this right explicitly.)
SHARE_RESULTS = Action.VIEW_RESULTS_UNPUBLISHED
