"""Staff two-factor authentication (django-otp): enrolment, verification with a TOTP code or a
recovery code, and what an account that has given only its password can reach."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.choices import Role
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("two-factor")


def _password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "correct horse battery staple"})
    assert response.status_code == 302
    return response


def test_an_editor_is_sent_from_the_staff_pages_and_the_admin_to_the_second_factor(client, editor):
    _password_login(client, editor)
    for address in (reverse("staff:my-work"), reverse("admin:index"), "/fr/staff/"):
        response = client.get(address)
        assert response.status_code == 302
        assert "/accounts/two-factor/?next=" in response["Location"]


def test_a_code_from_the_app_opens_the_staff_pages(client, editor):
    _password_login(client, editor)
    response = client.post(TWO_FACTOR, {"code": totp_code(editor), "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get(reverse("staff:my-work")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(client, editor):
    _password_login(client, editor)
    response = client.post(TWO_FACTOR, {"code": "000000" if totp_code(editor) != "000000" else "111111"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.get(reverse("staff:my-work")).status_code == 302


def test_an_editor_without_an_authenticator_enrols_and_gets_recovery_codes_that_work_once(client):
    user = UserFactory(username="new-editor", role=Role.EDITOR, second_factor=False)
    _password_login(client, user)
    page = client.get(TWO_FACTOR)
    content = page.content.decode()
    assert "Set up two-factor authentication" in content
    assert "otpauth://totp/" in content
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', content).group(1)
    assert len(secret.replace(" ", "")) == 32

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(TWO_FACTOR, {"code": "12345"}).status_code == 400
    device.throttle_reset()  # a failure makes django-otp wait a second before the next try
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    response = client.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("staff:my-work")).status_code == 200

    # Next session: a recovery code instead of the app, once.
    client.logout()
    _password_login(client, user)
    assert client.post(TWO_FACTOR, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("staff:my-work")).status_code == 200
    client.logout()
    _password_login(client, user)
    assert client.post(TWO_FACTOR, {"code": codes[0]}).status_code == 400


def test_before_the_second_factor_the_public_pages_and_the_api_show_only_public_data(client, editor):
    from tests.factories import EvidenceFactory, ImplementationFactory, StateFactory

    implementation = ImplementationFactory(state=StateFactory(iso2="XQ", iso3="XQQ", numeric="999", name="Q"))
    EvidenceFactory(implementation=implementation, title="Unpublished interview notes")
    _password_login(client, editor)
    detail = client.get(f"/api/v1/implementations/{implementation.pk}/").json()
    assert detail["staff"] is None and detail["evidence"] == []
    assert "Staff login" in client.get("/").content.decode()


def test_focal_points_need_it_only_when_the_setting_says(client, focal_point_france, settings):
    _password_login(client, focal_point_france)
    assert client.get(reverse("staff:my-work")).status_code == 200
    settings.TWO_FACTOR_FOCAL_POINTS = True
    response = client.get(reverse("staff:my-work"))
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)


def test_a_verified_user_can_replace_the_recovery_codes(client, editor):
    client.force_login(editor)
    assert "Make new recovery codes" in client.get(TWO_FACTOR).content.decode()
    response = client.post(TWO_FACTOR, {"recovery": "1"})
    assert len(re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())) == 10


def test_the_next_address_never_leaves_the_site(client, editor):
    _password_login(client, editor)
    response = client.post(TWO_FACTOR, {"code": totp_code(editor), "next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:my-work")
