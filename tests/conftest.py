"""Shared fixtures: the named personas every permission test uses, and the seeded database every
test starts on."""

import io

import pytest

from recommendations.choices import Role
from tests.factories import ImplementationFactory, StateFactory, UserFactory

# The architecture check of writes, active in every test (tests/write_guard.py), and the shared
# cache's `public_cache` fixture (tests/cache_backends.py).
pytest_plugins = ["tests.write_guard", "tests.rounds_arrange", "tests.cache_backends"]

# The suite's own cache and task backend. Local memory: the autouse fixtures below clear the cache
# around every test, including tests without database access, which the database cache of the
# development default would need. Tasks run at once, inside the test (tests that need the real
# queue and a worker process say so: tests/test_tasks.py). The development defaults themselves are
# tested in real processes (tests/test_dev_defaults.py).
TEST_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gcm-tests"}}
TEST_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_configure(config):
    from django.conf import settings
    from django.test.utils import override_settings

    settings.INSTALLED_APPS  # noqa: B018  (configure settings before overriding them)
    override_settings(CACHES=TEST_CACHES, TASKS=TEST_TASKS).enable()


@pytest.fixture
def france(db):
    return StateFactory(iso2="FR", iso3="FRA", numeric="250", name="France")


@pytest.fixture
def kenya(db):
    return StateFactory(iso2="KE", iso3="KEN", numeric="404", name="Kenya", regional_group="african", region="africa")


@pytest.fixture
def focal_point_france(france):
    return UserFactory(username="fp_france", role=Role.FOCAL_POINT, states=[france])


@pytest.fixture
def focal_point_kenya(kenya):
    return UserFactory(username="fp_kenya", role=Role.FOCAL_POINT, states=[kenya])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role=Role.EDITOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)


@pytest.fixture
def contributor(editor):
    """A contributor of an approved organisation, registered, confirmed and approved through the services."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from recommendations import services

    registered = services.organisation_register(
        name="Observatory of Migrants' Rights",
        kind="ngo",
        username="contributor",
        email="contributor@example.org",
        password="a long passphrase for tests",
    )
    user = registered.user
    services.contributor_confirm_email(
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)), token=default_token_generator.make_token(user)
    )
    services.organisation_moderate(actor=editor, organisation=registered.organisation, approve=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def implementation_france(france):
    return ImplementationFactory(state=france)


@pytest.fixture
def implementation_kenya(kenya):
    return ImplementationFactory(state=kenya)


# Every test starts on the seeded database: the real source data, as `migrate` and `seed` leave it.
# A plain test runs in a transaction that is rolled back. A transactional test (live_server,
# transactional_db, django_db(transaction=True)) really commits, and pytest-django empties every
# table after it; the hook below loads the sources again at once, so what a test finds never
# depends on which tests ran before it, in any order (tests/test_test_isolation.py). No test
# reseeds by hand.
_RESEED = pytest.StashKey()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """Load the real source data once: most tests read it, none may change it for the others."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from recommendations.models import Commitment

    def seed():
        call_command("seed", verbosity=0, stdout=io.StringIO())
        ContentType.objects.clear_cache()  # a flush's post_migrate made them anew

    def reseed():
        """After pytest-django's flush: the database as `migrate` and `seed` left it, ids included
        (that flush keeps the sequences going; this one restarts them)."""
        with django_db_blocker.unblock():
            if not Commitment.objects.exists():  # a test skipped before its database was set up flushed nothing
                call_command("flush", interactive=False, verbosity=0)
                seed()

    with django_db_blocker.unblock():
        seed()
    request.config.stash[_RESEED] = reseed


def flushes_the_database(item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase, emptying the tables after it
    (the same rule as pytest-django's own test ordering)."""
    marker = item.get_closest_marker("django_db")
    transactional = False
    if marker:
        args = (*marker.args, False, False)  # django_db(transaction=False, reset_sequences=False, …)
        transactional = marker.kwargs.get("transaction", args[0]) or marker.kwargs.get("reset_sequences", args[1])
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's fixtures are torn down (pytest-django's flush among them),
    load the source data again for whatever runs next."""
    result = yield
    reseed = item.config.stash.get(_RESEED, None)
    if nextitem is not None and reseed is not None and flushes_the_database(item):
        reseed()
    return result


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Start each test with no cached public page: one cached in an earlier test shows that test's
    data, which has been rolled back since (gcmtracker/cache.py)."""
    from gcmtracker.scopes import forget_pending

    forget_pending()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Tests log in hundreds of times; the production hasher is slow on purpose, this one is not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_on_force_login(monkeypatch):
    """`client.force_login(user)` logs staff in as the login page would after the second factor
    (TOTP) too, with the device `UserFactory` gave them; `otp_verified=False` stops after the password."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gcmtracker.accounts import two_factor_required

    password_only = Client.force_login

    def force_login(self, user, backend=None, otp_verified=True):
        password_only(self, user, backend)
        if otp_verified and two_factor_required(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "authenticator"})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def no_api_throttling(settings):
    """Tests call the API hundreds of times a minute from one address; the throttle tests turn the
    rates back on (tests/test_hardening_throttling.py)."""
    settings.API_THROTTLE_ANON = ""
    settings.API_THROTTLE_USER = ""


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test's data is rolled back; a page cached by an earlier test must not outlive it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """A test that switches language (or a request under /fr/) must not leave it on for the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory):
    """A seeded SQLite file served by gunicorn in other processes (tests/served.py)."""
    from tests.served import serve_sqlite_site

    yield from serve_sqlite_site(tmp_path_factory)


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser build), headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A test that flushes and reloads the database (test_backup) leaves content type ids in
    Django's cache that its rollback undid; change records name their record by content type."""
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
