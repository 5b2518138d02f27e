"""The columns of the public pages' downloads (`?format=csv|json`), each listed explicitly so that
nothing reaches a download that was not chosen for it. (The implementation columns several areas
share are `downloads.IMPLEMENTATION_COLUMNS`.)"""

from ..downloads import Column


def item_label(implementation) -> str:
    if implementation.commitment_id:
        return implementation.commitment.stored_label
    return implementation.recommendation.code


EVIDENCE_COLUMNS = [
    Column("item", lambda e: item_label(e.implementation)),
    Column("title", lambda e: e.title),
    Column("kind", lambda e: e.kind),
    Column("date", lambda e: e.date),
    Column("url", lambda e: e.url),
    Column("description", lambda e: e.description),
    Column("published_at", lambda e: e.published_at),
]


STATE_COLUMNS = [
    Column("iso2", lambda s: s.iso2),
    Column("iso3", lambda s: s.iso3),
    Column("name", lambda s: s.name),
    Column("membership", lambda s: s.membership),
    Column("regional_group", lambda s: s.regional_group),
    Column("region", lambda s: s.region),
    Column("subregion", lambda s: s.subregion),
    Column("commitments_reported_on", lambda s: s.commitments_reported),
    Column("commitments_implemented_in_full_or_part", lambda s: s.commitments_implemented),
    Column("public_evidence_count", lambda s: s.public_evidence),
    Column("last_update", lambda s: s.last_update),
]


HISTORY_COLUMNS = [
    Column("effective_date", lambda u: u.effective_date),
    Column("state_iso2", lambda u: u.implementation.state.iso2),
    Column("item", lambda u: item_label(u.implementation)),
    Column("track", lambda u: u.track),
    Column("previous_status", lambda u: u.previous_status),
    Column("status", lambda u: u.status),
    Column("rationale", lambda u: u.rationale),
    Column("author_role", lambda u: u.author_role),
    Column("public_evidence", lambda u: [e.title for e in u.public_evidence]),
]


RECOMMENDATION_COLUMNS = [
    Column("code", lambda r: r.code),
    Column("text", lambda r: r.text),
    Column("kind", lambda r: r.kind),
    Column("document", lambda r: r.document.slug),
    Column("document_title", lambda r: r.document.title),
    Column("section", lambda r: r.section),
    Column("place", lambda r: r.place),
    Column("order", lambda r: r.order),
    Column("event", lambda r: r.event.slug if r.event_id else ""),
    Column("year_first_made", lambda r: r.year_text),
    Column("themes", lambda r: [t.slug for t in r.themes.all()]),
    Column("commitments", lambda r: [c.number for c in r.commitments.all()]),
]
