"""Every staff page (login required), in one place. Mounted at /staff/ (language-prefixed like the
public pages)."""

from django.urls import path

from . import coverage, measurements, rounds, stakeholders, views

app_name = "staff"
urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("implementations/", views.implementation_list, name="implementation-list"),
    path("implementations/<int:pk>/", views.implementation_detail, name="implementation"),
    path("implementations/<int:pk>/assign/", views.implementation_assign, name="implementation-assign"),
    path("implementations/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("evidence/", views.evidence_review, name="evidence-review"),
    path("evidence/<int:pk>/verify/", views.evidence_verify, name="evidence-verify"),
    path("evidence/<int:pk>/unpublish/", views.evidence_unpublish, name="evidence-unpublish"),
    path("measurements/new/", measurements.measurement_new, name="measurement-new"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("rounds/", rounds.round_list, name="round-list"),
    path("rounds/new/", rounds.round_new, name="round-new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/confirm/", rounds.round_confirm, name="round-confirm"),
    path("stakeholders/", stakeholders.queue, name="stakeholder-queue"),
    path("stakeholders/organisations/<int:pk>/", stakeholders.moderate_organisation, name="stakeholder-organisation"),
    path("stakeholders/reports/<int:pk>/", stakeholders.moderate_report, name="stakeholder-report"),
]
