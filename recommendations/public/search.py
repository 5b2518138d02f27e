"""The site-wide search page (issue 19): /search/?q=… , one page of results grouped by kind, no
JavaScript. The reads are in recommendations/search.py."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..search import MAX_QUERY_LENGTH, site_search

# Each kind's heading and the list page that gives all its results for the same ?q=.
KINDS = {
    "states": (gettext_lazy("States"), "recommendations:state-list"),
    "commitments": (gettext_lazy("Commitments"), "recommendations:commitment-list"),
    "recommendations": (gettext_lazy("Recommendations and other source items"), "recommendations:recommendation-list"),
    "events": (gettext_lazy("Events"), "events:event-list"),
    "documents": (gettext_lazy("Documents"), "events:document-list"),
    "evidence": (gettext_lazy("Published evidence"), None),
    "stakeholder_reports": (gettext_lazy("Stakeholder reports"), None),
}


def search(request):
    query = " ".join(request.GET.get("q", "").split())
    error = ""
    groups = []
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Search for at most %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
    elif query:
        groups = [
            {"kind": group.kind, "label": KINDS[group.kind][0], "list_url": KINDS[group.kind][1], "group": group}
            for group in site_search(query)
        ]
    context = {
        "query": query,
        "error": error,
        "groups": groups,
        "total": sum(item["group"].total for item in groups),
    }
    return render(request, "recommendations/search.html", context, status=400 if error else 200)
