"""Indicators: measurements per state against the target, disaggregated where given, entered by
staff with the same scope as status, shown on commitment and state pages and downloadable."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from recommendations.choices import Direction, MigratoryStatus, Sex
from recommendations.models import Commitment, Indicator, Measurement, State
from recommendations.review.indicators import target_progress

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(
        commitment=Commitment.objects.get(number=6),
        code="t-legal-aid",
        name="Migrants with free legal aid",
        unit="%",
        direction=Direction.HIGHER,
        baseline=Decimal("40"),
        target=Decimal("80"),
        target_date=D(2030, 12, 31),
    )


@pytest.fixture
def measurements(indicator, france, kenya):
    rows = [
        (france, D(2020, 12, 31), "60", {}),
        (france, D(2022, 5, 20), "85", {}),
        (france, D(2022, 5, 20), "88", {"sex": Sex.FEMALE}),
        (kenya, D(2022, 5, 20), "50", {"migratory_status": MigratoryStatus.IRREGULAR, "age_group": "0-17"}),
        (kenya, D(2022, 5, 20), "55", {}),
    ]
    created = []
    for state, date, value, extra in rows:
        created.append(
            Measurement.objects.create(
                indicator=indicator,
                state=state,
                date=date,
                value=Decimal(value),
                source='=HYPERLINK("x")' if state == kenya else "Survey",
                **extra,
            )
        )
    return created


def form_data(indicator, state, **overrides):
    data = {
        "indicator": indicator.pk,
        "state": state.pk,
        "date": "2022-05-20",
        "value": "61.5",
        "sex": Sex.TOTAL,
        "age_group": "",
        "migratory_status": MigratoryStatus.ALL,
        "review_cycle": "",
        "source": "Survey",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("value", "direction", "met", "percent"),
    [("85", Direction.HIGHER, True, 112), ("60", Direction.HIGHER, False, 50), ("40", Direction.HIGHER, False, 0)],
)
def test_progress_towards_a_target_is_measured_from_the_baseline(indicator, value, direction, met, percent):
    indicator.direction = direction
    assert target_progress(Decimal(value), indicator) == {"met": met, "percent": percent}


def test_for_a_lower_is_better_indicator_a_value_at_or_below_the_target_meets_it(indicator):
    indicator.direction, indicator.baseline, indicator.target = Direction.LOWER, Decimal("400"), Decimal("0")
    assert target_progress(Decimal("0"), indicator)["met"] is True
    assert target_progress(Decimal("100"), indicator) == {"met": False, "percent": 75}


def test_indicator_page_compares_each_states_latest_total_with_the_target(client, measurements, indicator):
    response = client.get(reverse("cycles:indicator-detail", args=[indicator.code]))
    latest = {m.state.iso2: m.value for m in response.context["latest"]}
    assert latest == {"FR": Decimal("85"), "KE": Decimal("55")}
    assert response.context["met"] == 1
    html = response.content.decode()
    assert "target met" in html
    assert "Female" in html and "Irregular situation" in html and "aged 0-17" in html


def test_indicator_measurements_download_as_csv_with_formulas_defused(client, measurements, indicator):
    response = client.get(reverse("cycles:indicator-detail", args=[indicator.code]) + "?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "indicator,commitment,state_iso2,state,date,review_cycle,sex,age_group,migratory_status,"
        "value,unit,direction,baseline,target,target_met,source"
    )
    assert len(lines) == 1 + len(measurements)
    assert any(",female,,all,88.000,%,higher,40.000,80.000,true,Survey" in line for line in lines)
    assert all("=HYPERLINK" not in line or "'=HYPERLINK" in line for line in lines)


def test_commitment_page_shows_its_indicators_against_the_target(client, measurements, indicator):
    response = client.get(reverse("recommendations:commitment-detail", args=[6]))
    entry = response.context["indicators"][0]
    assert entry["indicator"] == indicator
    assert [m.state.iso2 for m in entry["latest"]] == ["FR", "KE"]
    assert reverse("cycles:indicator-detail", args=[indicator.code]) + "?format=csv" in response.content.decode()


def test_state_page_shows_its_measurements_with_the_target(client, measurements, indicator):
    response = client.get(reverse("recommendations:state-detail", args=["FR"]))
    html = response.content.decode()
    assert "Against the target" in html and "target met" in html
    assert "50% of the way from baseline" in html  # 60 on the way from 40 to 80


def test_anonymous_visitor_is_sent_to_log_in_to_enter_a_measurement(client):
    response = client.get(reverse("staff:measurement-new"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_focal_point_enters_a_measurement_for_their_state(client, focal_point_france, france, indicator):
    client.force_login(focal_point_france)
    response = client.post(reverse("staff:measurement-new"), form_data(indicator, france))
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator, state=france)
    assert measurement.value == Decimal("61.5") and measurement.entered_by == focal_point_france


def test_focal_point_cannot_enter_a_measurement_for_another_state(client, focal_point_france, kenya, indicator):
    client.force_login(focal_point_france)
    response = client.post(reverse("staff:measurement-new"), form_data(indicator, kenya))
    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert not Measurement.objects.filter(state=kenya).exists()
    assert list(response.context["form"].fields["state"].queryset) == [State.objects.get(iso2="FR")]


def test_editor_corrects_a_measurement_for_the_same_date_and_disaggregation(client, editor, kenya, indicator):
    client.force_login(editor)
    client.post(reverse("staff:measurement-new"), form_data(indicator, kenya, value="50"))
    client.post(reverse("staff:measurement-new"), form_data(indicator, kenya, value="52"))
    assert Measurement.objects.get(indicator=indicator, state=kenya).value == Decimal("52")


def test_a_measurement_needs_a_number(client, editor, kenya, indicator):
    client.force_login(editor)
    response = client.post(reverse("staff:measurement-new"), form_data(indicator, kenya, value="lots"))
    assert response.status_code == 200 and "value" in response.context["form"].errors


def test_a_user_without_a_role_may_not_enter_measurements(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get(reverse("staff:measurement-new")).status_code == 403
