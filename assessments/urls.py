"""Round, questionnaire and sign-in URLs."""

from django.urls import path

from . import views, views_answer_flow, views_answer_raci, views_delegation, views_entry, views_results, views_workshop
from .views_mirror import mirror

app_name = "assessments"

R = "o/<slug:slug>/rounds/<int:round_id>/"

urlpatterns = [
    path("r/new-link/", views_entry.new_link, name="new_link"),
    path("r/<str:token>/", views_entry.sign_in, name="sign_in"),
    path("d/<str:token>/", views_delegation.delegation_answer, name="delegation_answer"),
    path(R, views.round_detail, name="round"),
    path(R + "edit/", views.round_edit, name="round_edit"),
    path(R + "status/", views.round_transition, name="round_transition"),
    path(R + "remind/", views.round_remind, name="round_remind"),
    path(R + "context/", views.round_context, name="round_context"),
    path(R + "print/", views.round_print, name="round_print"),
    path(R + "participants/", views.participant_add, name="participant_add"),
    path(R + "participants/<int:participant_id>/resend/", views.participant_resend, name="participant_resend"),
    path(R + "participants/<int:participant_id>/withdraw/", views.participant_withdraw, name="participant_withdraw"),
    path(R + "participants/<int:participant_id>/answers/", views.participant_answers, name="participant_answers"),
    path(R + "mirror/", mirror, name="mirror"),
    path(R + "mirror/<int:participant_id>/", mirror, name="mirror_participant"),
    path(R + "answer/", views_answer_flow.answer_start, name="answer_start"),
    # Before answer/<page>/: these names are not dimension keys.
    path(R + "answer/welcome/", views_answer_flow.welcome, name="answer_welcome"),
    path(R + "answer/review/", views_answer_flow.review, name="answer_review"),
    path(R + "answer/done/", views_answer_flow.done, name="answer_done"),
    path(R + "answer/mode/", views_answer_flow.mode_set, name="answer_mode"),
    path(R + "answer/q/<str:question_key>/", views_answer_flow.question, name="answer_question"),
    path(R + "answer/raci/<str:key>/", views_answer_raci.raci_activity, name="answer_raci"),
    path(R + "answer/submit/", views.answer_submit, name="answer_submit"),
    path(R + "answer/save/<str:question_key>/", views.answer_save, name="answer_save"),
    path(R + "answer/choice/<str:kind>/<str:key>/", views.answer_choice_save, name="answer_choice_save"),
    path(R + "answer/importance/<str:key>/", views_answer_flow.importance_save, name="answer_importance"),
    path(R + "answer/forward/<str:question_key>/", views_delegation.delegation_create, name="delegation_create"),
    path(R + "answer/forward/<str:question_key>/revoke/", views_delegation.delegation_revoke, name="delegation_revoke"),
    path(R + "answer/<str:page>/", views.answer_page, name="answer_page"),
    path(R + "results/", views_results.summary, name="results"),
    path(R + "results/alignment/", views_results.alignment, name="results_alignment"),
    path(R + "results/ownership/", views_results.ownership, name="results_ownership"),
    path(R + "results/dimensions/<str:key>/", views_results.dimension, name="results_dimension"),
    path(R + "results/consensus/<str:question_key>/", views_results.consensus, name="results_consensus"),
    path(R + "export/scores.<str:fmt>", views_results.export_scores, name="export_scores"),
    path(R + "export/answers.<str:fmt>", views_results.export_answers, name="export_answers"),
    path(R + "workshop/", views_workshop.workshop, name="workshop"),
    # Before workshop/<key>/, which would take "raci" for a dimension key.
    path(R + "workshop/raci/", views_workshop.workshop_raci, name="workshop_raci"),
    path(R + "workshop/<str:key>/", views_workshop.workshop, name="workshop_dimension"),
    path(R + "workshop/<str:key>/live/", views_workshop.workshop_live, name="workshop_live"),
    path(R + "workshop/<str:key>/consensus/", views_workshop.workshop_consensus, name="workshop_consensus"),
]
