"""The tracker's own labels that are stored as data, translated through the interface's catalogs.

Commitment short titles, SDG target titles and M49 sub-region names are written by the tracker
(editorial, see README), not quoted from the sources, so unlike source texts they are translated.
Each is listed here with `gettext_noop` so that `makemessages` puts it in the catalogs; the pages
show `translated(value)`, which falls back to the stored English wording for a label added later
(in the admin) until a translator adds it. tests/test_labels.py checks that every label the
fixtures hold is listed here and translated in every language.
"""

from django.utils.translation import gettext, gettext_noop

COMMITMENT_SHORT_TITLES = [
    gettext_noop("Accountability for abuses and access to justice"),
    gettext_noop("Alternatives to immigration detention"),
    gettext_noop("End child immigration detention and protect migrant children"),
    gettext_noop("Universal health coverage for all migrants"),
    gettext_noop("Quality education for every migrant child"),
    gettext_noop("Firewalls between immigration enforcement and services"),
    gettext_noop("Partnerships and public education against prejudice"),
    gettext_noop("Anti-discrimination laws and help for victims of racism"),
    gettext_noop("Screening and referral of migrants in vulnerable situations"),
    gettext_noop("Protection principles for migrants in vulnerable situations"),
]

SDG_TARGET_TITLES = [
    gettext_noop(
        "Facilitate orderly, safe, regular and responsible migration and mobility of people, including "
        "through the implementation of planned and well-managed migration policies"
    ),
    gettext_noop("Ensure healthy lives and promote well-being for all at all ages"),
    gettext_noop(
        "Protect labour rights and promote safe and secure working environments for all workers, including "
        "migrant workers, in particular women migrants, and those in precarious employment"
    ),
]

# The M49 sub-regions of fixtures/states.json (CLDR names only some of them the M49 way).
SUBREGIONS = [
    gettext_noop("Australia and New Zealand"),
    gettext_noop("Central Asia"),
    gettext_noop("Eastern Asia"),
    gettext_noop("Eastern Europe"),
    gettext_noop("Latin America and the Caribbean"),
    gettext_noop("Melanesia"),
    gettext_noop("Micronesia"),
    gettext_noop("Northern Africa"),
    gettext_noop("Northern America"),
    gettext_noop("Northern Europe"),
    gettext_noop("Polynesia"),
    gettext_noop("South-eastern Asia"),
    gettext_noop("Southern Asia"),
    gettext_noop("Southern Europe"),
    gettext_noop("Sub-Saharan Africa"),
    gettext_noop("Western Asia"),
    gettext_noop("Western Europe"),
]


def translated(value: str) -> str:
    """`value` in the active language when the catalogs have it, else `value` as stored."""
    return gettext(value) if value else value
