"""The admin's record forms and inlines (issue 14): who may use them is `permissions.RECORD_WRITERS`,
and every save goes through the services with a change record, the events' admin included.

`form_data` posts back what the admin's change page shows (the row, and each inline's management
form and rows), so a test changes only what it means to change.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from events.models import Event, EventListing, Participant
from recommendations.choices import ChangeAction, Door
from recommendations.models import ChangeRecord, Corridor

pytestmark = pytest.mark.django_db


def records_of(instance):
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).order_by("created_at", "id")


def _value(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def _add(data, form, names):
    for name in names:
        value = form[name].value()
        if value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else _value(value)


def form_data(response) -> dict:
    """The POST data of an admin change page as it was rendered: the row and every inline."""
    form = response.context["adminform"].form
    data = {}
    _add(data, form, form.fields)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for row in formset.forms:
            _add(data, row, row.fields)
    return data


def test_an_editor_adds_a_corridors_stops_in_its_inline(client, editor, france, kenya):
    """Before, the inline asked Django's per-model permission rows, which no role holds: an editor
    could add a corridor (its admin asks `permissions`) but its stops were left out of the page and
    of the save."""
    client.force_login(editor)
    page = client.get(reverse("admin:recommendations_corridor_add"))
    assert [inline.formset.prefix for inline in page.context["inline_admin_formsets"]] == ["stops"]
    response = client.post(
        reverse("admin:recommendations_corridor_add"),
        {
            "slug": "ke-fr-editor",
            "name": "Kenya to France (editor)",
            "description": "",
            "stops-TOTAL_FORMS": "2",
            "stops-INITIAL_FORMS": "0",
            "stops-0-state": kenya.pk,
            "stops-0-role": "origin",
            "stops-0-order": "1",
            "stops-1-state": france.pk,
            "stops-1-role": "destination",
            "stops-1-order": "2",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    corridor = Corridor.objects.get(slug="ke-fr-editor")
    assert [stop.state_id for stop in corridor.stops.order_by("order")] == [kenya.pk, france.pk]
    assert ChangeRecord.objects.filter(content_type__model="corridorstate", actor=editor).count() == 2


def test_a_focal_point_gets_no_admin_form_to_write(client, focal_point_france):
    client.force_login(focal_point_france)  # not Django staff: the admin sends them to its login
    response = client.get(reverse("admin:recommendations_corridor_add"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _event_with_two_agreeing_places():
    for event in Event.objects.filter(differs_on="").order_by("pk"):
        listings = list(event.listings.all())
        if len(listings) >= 2:
            return event
    pytest.skip("no event with two listings that agree")


def test_an_event_listing_changed_in_the_event_admin_is_recorded_and_its_disagreement_refreshed(client, administrator):
    event = _event_with_two_agreeing_places()
    client.force_login(administrator)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(client.get(url))
    first = event.listings.order_by("order").first()
    prefix = next(key for key, value in data.items() if key.endswith("-id") and value == first.pk)[: -len("-id")]
    data[f"{prefix}-place"] = "Reykjavik (a place no other listing gives)"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    listing = EventListing.objects.get(pk=first.pk)
    assert listing.place == "Reykjavik (a place no other listing gives)"
    [changed] = records_of(listing)
    assert (changed.door, changed.action, changed.actor) == (Door.ADMIN, ChangeAction.CHANGED, administrator)
    assert changed.changes["place"] == {"before": first.place, "after": listing.place}
    event.refresh_from_db()
    assert event.sources_differ and "place" in event.differs_on
    [refreshed] = records_of(event)
    assert refreshed.changes["sources_differ"] == {"before": False, "after": True}
    assert refreshed.is_public


def test_a_participant_deleted_in_the_admin_is_recorded(client, administrator):
    participant = Participant.objects.order_by("pk").first()
    client.force_login(administrator)
    response = client.post(reverse("admin:events_participant_delete", args=[participant.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()
    [removed] = records_of(participant)
    assert removed.action == ChangeAction.DELETED
    assert removed.changes["name"]["before"] == participant.name


def test_editors_see_the_events_but_only_administrators_change_them(client, editor):
    event = Event.objects.order_by("pk").first()
    client.force_login(editor)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url, {"title": "Renamed by an editor"}).status_code == 403
    assert Event.objects.get(pk=event.pk).title == event.title
    assert not records_of(event).exists()


def test_an_events_history_tab_lists_its_change_records(client, administrator):
    event = Event.objects.order_by("pk").first()
    client.force_login(administrator)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(client.get(url))
    data["notes"] = "An editorial note added in the admin."
    assert client.post(url, data).status_code == 302
    history = client.get(reverse("admin:events_event_history", args=[event.pk]))
    assert history.status_code == 200
    assert "An editorial note added in the admin." in history.content.decode()


def test_an_item_starting_to_be_tracked_reads_as_such_on_the_state_page(client, administrator):
    from recommendations import services
    from recommendations.models import Recommendation, State

    recommendation = Recommendation.objects.order_by("pk").first()
    services.implementation_track(
        actor=administrator, state=State.objects.get(iso2="FR"), recommendation=recommendation
    )
    page = client.get(reverse("recommendations:state-detail", args=["FR"])).content.decode()
    assert f"Now tracked: France – Recommendation {recommendation.code}" in page
    assert "admin" not in page.split('id="history-heading"')[1].split("</section>")[0].lower()


def test_rows_deleted_with_an_event_each_get_a_record(client, administrator):
    from tests.arrange import setup_writes
    from tests.factories import DocumentFactory, EventFactory

    event = EventFactory(title="An event to delete")
    with setup_writes():
        listing = EventListing.objects.create(event=event, order=1, document=DocumentFactory(), title="Its listing")
        participant = Participant.objects.create(event=event, order=1, name="Ms Example")
    client.force_login(administrator)
    response = client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    for row in (event, listing, participant):
        [removed] = records_of(row)
        assert (removed.action, removed.actor) == (ChangeAction.DELETED, administrator), row
    assert records_of(listing).get().changes["title"] == {"before": "Its listing", "after": None}
