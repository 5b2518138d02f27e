"""Issue 16, finding 6: the indicator admin works at any number of measurements."""

import datetime

import pytest
from django.urls import reverse

from recommendations.models import Commitment, Indicator, Measurement, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_with_many_measurements(administrator):
    indicator = Indicator.objects.create(
        commitment=Commitment.objects.get(number=3), code="hardening-many", name="Many", unit="%", direction="higher"
    )
    states = list(State.objects.order_by("iso2")[:150])
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            state=state,
            date=datetime.date(2000 + year, 1, 1),
            value=year,
            entered_by=administrator,
        )
        for state in states
        for year in range(1, 5)
    )
    return indicator


def test_an_indicator_with_600_measurements_is_saved_in_the_admin(
    client, administrator, indicator_with_many_measurements
):
    indicator = indicator_with_many_measurements
    client.force_login(administrator)
    url = reverse("admin:recommendations_indicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "600 measurements" in page.content.decode()
    # What a browser would send back: far below Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000),
    # where the measurements inline sent some 4,800 fields and the save was a 400.
    assert page.content.count(b" name=") < 100
    response = client.post(
        url,
        {
            "commitment": indicator.commitment_id,
            "code": indicator.code,
            "name": "Renamed",
            "unit": "%",
            "direction": "higher",
        },
    )
    assert response.status_code == 302, response.content[:500]
    indicator.refresh_from_db()
    assert indicator.name == "Renamed"
    assert indicator.measurements.count() == 600


def test_the_indicator_links_to_its_measurements_filtered(client, administrator, indicator_with_many_measurements):
    indicator = indicator_with_many_measurements
    client.force_login(administrator)
    page = client.get(reverse("admin:recommendations_indicator_change", args=[indicator.pk])).content.decode()
    link = f"{reverse('admin:recommendations_measurement_changelist')}?indicator__id__exact={indicator.pk}"
    assert link in page
    listing = client.get(link)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 600
