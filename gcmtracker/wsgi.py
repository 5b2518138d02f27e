"""WSGI entry point: `gunicorn gcmtracker.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcmtracker.settings")

application = get_wsgi_application()
