"""Staff pages (login required). Mounted at /staff/ (language-prefixed like the public pages)."""

from django.urls import path

from . import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.my_work, name="my-work"),
    path("implementations/", staff_views.implementation_list, name="implementation-list"),
    path("implementations/<int:pk>/", staff_views.implementation_detail, name="implementation"),
    path("implementations/<int:pk>/assign/", staff_views.implementation_assign, name="implementation-assign"),
    path("implementations/<int:pk>/evidence/", staff_views.evidence_add, name="evidence-add"),
    path("evidence/", staff_views.evidence_review, name="evidence-review"),
    path("evidence/<int:pk>/verify/", staff_views.evidence_verify, name="evidence-verify"),
    path("evidence/<int:pk>/unpublish/", staff_views.evidence_unpublish, name="evidence-unpublish"),
]
