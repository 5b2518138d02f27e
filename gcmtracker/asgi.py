"""ASGI entry point: `gunicorn gcmtracker.asgi`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcmtracker.settings")

application = get_asgi_application()
