"""A state's page (`/states/FR/`): its commitments, tracked recommendations, evidence, history,
stakeholder reports and indicators, and their downloads. Its recommendations, evidence and
indicators are kept in the cache under facets of the state's scope (`gcmtracker.cache.Parts`),
which a status write leaves alone."""

import functools

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from gcmtracker import scopes
from gcmtracker.cache import Parts, RowsByKey, reference

from .. import selectors
from ..downloads import IMPLEMENTATION_COLUMNS, Column, download_response, requested_format
from ..filtersets import ImplementationFilterSet, any_labels
from ..models import Implementation, State
from ..review.forms import as_of_date
from ..review.indicators import with_progress
from ..voices import PAGE_PARAMETER as STAKEHOLDER_PAGE
from ..voices import voices
from .columns import EVIDENCE_COLUMNS, HISTORY_COLUMNS, item_label
from .common import PAGE_SIZE, as_of_statuses, kept_timeline, stakeholder_download_of
from .history import state_history_page

# The state page's tracked recommendations can be filtered on these (the commitments never are).
STATE_ITEM_FILTERS = ("status", "assessment")
# The state page's sections kept in the cache under their own facet of the state's scope.
STATE_PARTS = ("recommendations", "evidence", "indicators", "voices")


def _state_evidence_scope(request, state) -> tuple[list[int], int | None]:
    """The implementations whose evidence the state page lists: all the state's, or the one a
    row's evidence count links to (?evidence_item=<implementation id>, ignored unless the state's).
    The page and the evidence download read the same."""
    item_ids = selectors.state_item_ids(state)
    chosen = request.GET.get("evidence_item", "")
    if chosen.isdigit() and int(chosen) in item_ids:
        return [int(chosen)], int(chosen)
    return item_ids, None


def state_detail(request, iso2):
    """A state's commitments, tracked recommendations, evidence, history and indicators.

    A state tracks up to ~1,000 recommendations and has hundreds of pieces of evidence and
    thousands of status updates: the page shows the ten commitments whole and one page of each of
    the others (PAGE_SIZE, like every list on the site), each list with its own page parameter
    (items, evidence, page), so that turning one leaves the others where they are. The
    downloads give every row.
    """
    try:
        state = reference(request, f"state:{iso2.upper()}", lambda: State.objects.get(iso2=iso2.upper()))
    except State.DoesNotExist:
        raise Http404(_("No state with the code %(code)s.") % {"code": iso2}) from None
    fmt = requested_format(request)
    listed = request.GET.get("list", "status")
    if fmt and listed == "history":
        return download_response(
            request,
            fmt=fmt,
            filename=f"{state.iso2}-history",
            columns=HISTORY_COLUMNS,
            objects=selectors.public_history().filter(state=state),
        )
    if fmt and listed == "stakeholders":
        return stakeholder_download_of(request, fmt, f"{state.iso2}-stakeholders", as_of_date(request)[1], state=state)
    if fmt and listed == "evidence":
        return download_response(
            request,
            fmt=fmt,
            filename=f"{state.iso2}-evidence",
            columns=EVIDENCE_COLUMNS,
            objects=selectors.state_public_evidence(_state_evidence_scope(request, state)[0]),
        )
    as_of_form, as_of = as_of_date(request)
    # As on the commitment page, the status filters read today's statuses: not offered "as of" a date.
    data = {} if as_of else {name: request.GET[name] for name in STATE_ITEM_FILTERS if request.GET.get(name)}
    # Built where a list is read, which a page whose sections come from the cache does not.
    lists = functools.cache(lambda: _item_lists(state, as_of, data))
    if fmt:
        _items, commitments, filterset = lists()
        # Every commitment, and every tracked recommendation the filters keep: all pages of them.
        commitments = as_of_statuses(selectors.mark_out_of_date(commitments), as_of)
        everything = commitments + as_of_statuses(selectors.mark_out_of_date(filterset.qs), as_of)
        return download_response(
            request,
            fmt=fmt,
            filename=f"{state.iso2}-status",
            columns=[Column("item", item_label), *IMPLEMENTATION_COLUMNS],
            objects=[_with_state(i, state) for i in everything],
        )
    # The sections a status write leaves as they were, kept under their facet of the state's scope
    # (`gcmtracker.scopes`): their queries are run only when the cache misses them.
    parts = Parts(
        request,
        {name: ([scopes.facet(scopes.state(state.iso2), name)], [request.get_full_path()]) for name in STATE_PARTS},
        keep=not as_of,
    )
    context = {
        "state": state,
        "parts": parts,
        "history": state_history_page(state, request.GET.get("page"), per_page=PAGE_SIZE),
        "as_of_form": as_of_form,
        "as_of": as_of,
        "timeline": kept_timeline(request, state, scopes.state(state.iso2)),
    }
    if "voices" not in parts:
        context["stakeholder_voices"] = shown = voices(state=state, as_of=as_of, page=request.GET.get(STAKEHOLDER_PAGE))
        if shown["groups"]:
            parts.forget("voices")  # each item's current status shows beside its reports
    # Where the rows' markup may come from the cache, the commitments are known first by their
    # keys and read only for those it misses (a status write changes one of the ten); elsewhere
    # they are read with the recommendations' page, or alone when that section is in the cache.
    if parts.keeps:
        context["commitments"] = RowsByKey(
            [(pk, state.iso2, version) for pk, version in selectors.state_commitment_keys(state)],
            lambda pks: selectors.state_rows(lists()[0], [], commitment_ids=pks)[0],
        )
    if "recommendations" in parts:
        if not parts.keeps:
            context["commitments"] = as_of_statuses(selectors.state_rows(lists()[0], [])[0], as_of)
    else:
        state_items, _commitments, filterset = lists()
        any_labels(filterset.form)
        items = selectors.page_by_keys(filterset.qs, request.GET.get("items"), per_page=PAGE_SIZE)
        commitments, items.object_list = (
            as_of_statuses(r, as_of) for r in selectors.state_rows(state_items, items.keys, [] if parts.keeps else None)
        )
        if not parts.keeps:
            context["commitments"] = commitments
        context["recommendations"] = items
        context["filterset"] = filterset
        # A filter is worth offering on a list longer than a page (and kept once used).
        context["filter_fields"] = (
            [filterset.form[name] for name in STATE_ITEM_FILTERS]
            if not as_of and (items.paginator.num_pages > 1 or filterset.is_bound)
            else []
        )
    if "evidence" not in parts:
        evidence_ids, evidence_item = _state_evidence_scope(request, state)
        context["evidence"] = selectors.state_public_evidence_page(
            evidence_ids, request.GET.get("evidence"), per_page=PAGE_SIZE
        )
        context["evidence_about"] = (
            Implementation.objects.select_related("commitment", "recommendation").get(pk=evidence_item)
            if evidence_item
            else None
        )
    if "indicators" not in parts:
        context["measurements"] = with_progress(selectors.state_measurements(state))
    return render(request, "recommendations/state_detail.html", context)


def _item_lists(state, as_of, data) -> tuple:
    """The state's items (`selectors.state_items`), its commitments and the filters of its
    tracked recommendations."""
    items = selectors.state_items(state, as_of=as_of)
    commitments, recommendations = selectors.state_implementations(items)
    return items, commitments, ImplementationFilterSet(data or None, queryset=recommendations)


def _with_state(implementation, state):
    # The state is known; setting it saves a query per row.
    implementation.state = state
    return implementation
