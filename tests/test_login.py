"""Login, logout, password reset by email, and brute-force throttling (django-axes)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_member_logs_in_and_lands_on_my_work(client, focal_point_france):
    response = login(client, "fp_france", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:my-work")
    assert client.get(reverse("staff:my-work")).status_code == 200


def test_login_page_renders_with_a_reset_link(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert reverse("password_reset") in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, focal_point_france):
    response = login(client, "fp_france", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, focal_point_france):
    client.force_login(focal_point_france)
    response = client.post(reverse("logout"))
    assert response.status_code in (200, 302)
    assert client.get(reverse("staff:my-work")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, focal_point_france):
    response = client.post(reverse("password_reset"), {"email": focal_point_france.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [focal_point_france.email]
    assert "GCM Tracker" in mail.outbox[0].subject
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)  # Django swaps the token for a session marker and redirects
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "a much better passphrase 42", "new_password2": "a much better passphrase 42"}
    )
    assert done.status_code == 302

    client.logout()
    assert login(client, "fp_france", "a much better passphrase 42").status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_repeated_failed_logins_lock_the_account_out_even_with_the_right_password(client, settings, focal_point_france):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "fp_france", "wrong")
    response = login(client, "fp_france", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock_out(client, settings, focal_point_france):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "fp_france", "wrong")
    assert login(client, "fp_france", PASSWORD).status_code == 302


def test_lockout_is_per_account_and_address_not_global(client, settings, focal_point_france, focal_point_kenya):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "fp_france", "wrong")
    assert login(client, "fp_kenya", PASSWORD).status_code == 302
