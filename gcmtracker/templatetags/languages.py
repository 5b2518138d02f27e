"""The language switcher: a link to the same page in each interface language.

Links, not the POST form to /i18n/setlang/ it replaces: a page carries no per-visitor CSRF
token (so the shared cache and HTTP caches can keep it whole), it works without JavaScript, and
it can leave any language. The form could not: /i18n/setlang/ has no language prefix, so it ran
in English and could not resolve the /fr/ or /ar/ page it was sent from to translate it.
"""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = translation.get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # A page the URL map cannot translate (an error page): that language's home page.
            with translation.override(code):
                url = reverse("recommendations:dashboard")
        info = translation.get_language_info(code)
        languages.append({"code": code, "name": info["name_local"], "url": url, "current": code == current})
    return {"languages": languages}
