"""The admin: every model is there, changelists do not issue more queries as rows grow, and the
history stays read-only even for a superuser."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import services
from recommendations.choices import Status
from recommendations.models import StatusUpdate
from tests.factories import EvidenceFactory, ImplementationFactory, RecommendationFactory, StateFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"events", "recommendations"}


def project_models():
    return [model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS]


def test_every_project_model_is_in_the_admin():
    from django.apps import apps

    registered = {m._meta.label for m in project_models()}
    expected = {m._meta.label for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()}
    assert expected - registered == set()


def grow(n, actor):
    """Add n states each with a tracked recommendation, a status update and a piece of evidence."""
    for _ in range(n):
        implementation = ImplementationFactory(
            state=StateFactory(), commitment=None, recommendation=RecommendationFactory()
        )
        evidence = EvidenceFactory(implementation=implementation)
        services.implementation_set_status(
            implementation=implementation, status=Status.IN_PROGRESS, actor=actor, comment="c", evidence=[evidence]
        )


def changelist_queries(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_changelists_run_a_constant_number_of_queries(client, administrator):
    client.force_login(administrator)
    grow(3, administrator)
    small = {model: changelist_queries(client, model) for model in project_models()}
    grow(40, administrator)
    large = {model: changelist_queries(client, model) for model in project_models()}
    grown = {m._meta.label: (small[m], large[m]) for m in small if large[m] > small[m]}
    assert grown == {}


def test_implementation_change_page_shows_history_read_only(client, administrator, implementation_france):
    services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=administrator, comment="first"
    )
    client.force_login(administrator)
    response = client.get(reverse("admin:recommendations_implementation_change", args=[implementation_france.pk]))
    assert response.status_code == 200
    assert b"first" in response.content


def test_superuser_cannot_change_or_delete_history_in_the_admin(client, administrator, implementation_france):
    update = services.implementation_set_status(
        implementation=implementation_france, status=Status.PLANNED, actor=administrator, comment="kept"
    )
    client.force_login(administrator)
    change_url = reverse("admin:recommendations_statusupdate_change", args=[update.pk])
    response = client.post(change_url, {"comment": "rewritten", "status": Status.IMPLEMENTED})
    delete_url = reverse("admin:recommendations_statusupdate_delete", args=[update.pk])
    client.post(delete_url, {"post": "yes"})
    update = StatusUpdate.objects.get(pk=update.pk)
    assert (update.comment, update.status) == ("kept", Status.PLANNED)
    assert response.status_code in (302, 403)
