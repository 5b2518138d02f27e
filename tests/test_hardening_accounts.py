"""Issue 16, finding 8: password reset is throttled per account and per client address."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_twelve_quick_requests_for_one_account_send_at_most_three_emails(client, focal_point_france):
    answers = [
        client.post(reverse("password_reset"), {"email": focal_point_france.email}).status_code for _ in range(12)
    ]
    assert len(mail.outbox) == 3
    assert answers[:3] == [302, 302, 302]
    assert set(answers[3:]) == {429}


def test_the_refusal_says_to_wait_and_sends_nothing(client, focal_point_france):
    for _ in range(3):
        client.post(reverse("password_reset"), {"email": focal_point_france.email})
    mail.outbox.clear()
    response = client.post(reverse("password_reset"), {"email": focal_point_france.email.upper()})
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert mail.outbox == []


def test_one_client_asking_for_many_accounts_is_throttled_too(client, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 5
    answers = [
        client.post(reverse("password_reset"), {"email": f"someone{i}@example.org"}).status_code for i in range(8)
    ]
    assert answers[:5] == [302] * 5
    assert set(answers[5:]) == {429}


def test_an_unknown_address_is_throttled_like_a_known_one(client):
    answers = [client.post(reverse("password_reset"), {"email": "nobody@example.org"}).status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
