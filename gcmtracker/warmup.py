"""What a worker process would otherwise do on its first requests, done once in gunicorn's master
before it forks the workers (`gunicorn.conf.py` `pre_fork`, with the app preloaded), so that
every worker, and every worker restarted after `max_requests`, starts warm.

A fresh worker's first state page took 430 ms instead of 40, its first page in French 150 and in
Arabic 110 (issue 18: at 600 requests a second, five workers restarting every 2,000 requests
spent about a fifth of the CPUs on it, and the readers those workers answered waited up to a
second): compiling the templates (the cached loader keeps them per process), loading each
language's translation catalogues, building the URL resolver's reverse map of each language
(`i18n_patterns` keeps one per language) and reading the static files' manifest.

Nothing here opens a database or cache connection: those must not be shared by forked processes.
"""

from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation


def _own_templates() -> list[str]:
    """The names of the project's templates (`templates/`), not the admin's or the libraries'."""
    found = []
    for engine in engines.all():
        for directory in getattr(engine, "dirs", ()):
            root = Path(directory)
            found.extend(str(path.relative_to(root)) for path in sorted(root.rglob("*.html")))
    return found


def warm_up() -> dict[str, int]:
    """Compile the project's templates, load the translations and URL maps of every language and
    the static manifest; returns how many templates and languages were warmed."""
    compiled = 0
    for name in _own_templates():
        for engine in engines.all():
            try:
                engine.get_template(name)
                compiled += 1
                break
            except (TemplateDoesNotExist, TemplateSyntaxError):  # another engine's, or a partial
                continue
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("recommendations:dashboard")  # fills this language's reverse map
            translation.gettext("GCM Tracker")  # loads this language's catalogues
    if settings.STORAGES["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage"):
        from django.contrib.staticfiles.storage import staticfiles_storage

        with suppress(ValueError):  # collectstatic has not run: the workers will say so on their own
            staticfiles_storage.url("css/site.css")  # reads staticfiles.json once
    return {"templates": compiled, "languages": len(settings.LANGUAGES)}
