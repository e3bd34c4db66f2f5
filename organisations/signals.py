"""Events that organisations emits for the apps built on it.

Organisations is the lowest app: it never imports assessments or anything above it. Apps that
keep data per member (rounds and their participants) listen to these instead.
"""

from django.dispatch import Signal

# Sent inside member_remove's transaction, after the membership is deleted, with the keyword
# arguments `organisation` and `user`. A receiver that fails rolls the removal back.
member_removed = Signal()

# Sent inside invitation_accept's transaction, once the invitation is used up and the person is a
# member, with the keyword arguments `invitation` and `user`: an invitation can stand for more than a
# membership (assessments enrols the person in the round they were invited to answer). A receiver
# that fails rolls the acceptance back, so nobody is half enrolled.
invitation_accepted = Signal()

# Sent inside organisation_update's transaction, after the row is saved, with the keyword arguments
# `organisation` and `before` (the stored values of the fields the update set): apps that derive
# something from the settings follow them (roadmaps renames the chief executive's RACI column).
organisation_updated = Signal()
