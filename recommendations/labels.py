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


# Where a recommendation stands in its source (Recommendation.place), written by the tracker: translated
# like events/labels.py's LISTING_PLACES, the source's headings kept in its English inside « ».
RECOMMENDATION_PLACES = [
    gettext_noop("Guiding Questions, question 1"),
    gettext_noop("Guiding Questions, question 2"),
    gettext_noop("Guiding Questions, question 3"),
    gettext_noop("Guiding questions of the Co-Chairs"),
    gettext_noop("Introduction, “Recommendations include”, item 1"),
    gettext_noop("Introduction, “Recommendations include”, item 2"),
    gettext_noop("Introduction, “Recommendations include”, item 3"),
    gettext_noop("Issues raised by the Co-Chairs after the Tools, paragraph 1"),
    gettext_noop("Issues raised by the Co-Chairs after the Tools, paragraph 2"),
    gettext_noop("Issues raised by the Co-Chairs, after their guiding questions"),
    gettext_noop("Key recommendations from GFMD Discussions, item 1"),
    gettext_noop("Key recommendations from GFMD Discussions, item 2"),
    gettext_noop("Key recommendations from GFMD Discussions, item 3"),
    gettext_noop("Key recommendations from GFMD Discussions, item 4"),
    gettext_noop("Key recommendations from GFMD Discussions, item 5"),
    gettext_noop("Key recommendations from GFMD Discussions, item 6"),
    gettext_noop("Key recommendations from GFMD Discussions, item 7"),
    gettext_noop("Key recommendations from GFMD Discussions, item 8"),
    gettext_noop("Main issues discussed, item 1"),
    gettext_noop("Main issues discussed, item 2"),
    gettext_noop("Main issues discussed, item 3"),
    gettext_noop("Main issues repeatedly emphasized, item 1"),
    gettext_noop("Main issues repeatedly emphasized, item 2"),
    gettext_noop("Main issues repeatedly emphasized, item 3"),
    gettext_noop("Main issues repeatedly emphasized, item 4"),
    gettext_noop("Main means of implementation, item 1"),
    gettext_noop("Main means of implementation, item 2"),
    gettext_noop("Main means of implementation, item 3"),
    gettext_noop("Main social inclusion models, item 1"),
    gettext_noop("Main social inclusion models, item 2"),
    gettext_noop("Main social inclusion models, item 3"),
    gettext_noop("Paragraph 5 a), key element a)"),
    gettext_noop("Paragraph 5 a), key element b)"),
    gettext_noop("Paragraph 5 a), key element c)"),
    gettext_noop("Paragraph 5 a), practical recommendation 1"),
    gettext_noop("Paragraph 5 a), practical recommendation 2"),
    gettext_noop("Paragraph 5 a), practical recommendation 3"),
    gettext_noop("Paragraph 5 b), recommendation 1"),
    gettext_noop("Paragraph 5 b), recommendation 2"),
    gettext_noop("Paragraph 5 b), recommendation 3"),
    gettext_noop("Paragraph 5 c), recommendation 1"),
    gettext_noop("Paragraph 5 c), recommendation 2"),
    gettext_noop("Paragraph 5 c), recommendation 3"),
    gettext_noop("Paragraph 5 c), recommendation 3, sub-item"),
    gettext_noop("Paragraph 6, Question 1, takeaway 1"),
    gettext_noop("Paragraph 6, Question 1, takeaway 2"),
    gettext_noop("Paragraph 6, Question 1, takeaway 3"),
    gettext_noop("Paragraph 6, Question 2, takeaway 1"),
    gettext_noop("Paragraph 6, Question 2, takeaway 2"),
    gettext_noop("Paragraph 6, Question 2, takeaway 3"),
    gettext_noop("Paragraph 6, Question 2, takeaway 4"),
    gettext_noop("Paragraph 6, Question 3, takeaway 1"),
    gettext_noop("Paragraph 6, Question 3, takeaway 2"),
    gettext_noop("Paragraph 6, Question 3, takeaway 3"),
    gettext_noop("Paragraph 6, guiding question 1"),
    gettext_noop("Paragraph 6, guiding question 2"),
    gettext_noop("Paragraph 6, guiding question 3"),
    gettext_noop("Political recommendations, item 1"),
    gettext_noop("Political recommendations, item 10"),
    gettext_noop("Political recommendations, item 11"),
    gettext_noop("Political recommendations, item 2"),
    gettext_noop("Political recommendations, item 3"),
    gettext_noop("Political recommendations, item 4"),
    gettext_noop("Political recommendations, item 5"),
    gettext_noop("Political recommendations, item 6"),
    gettext_noop("Political recommendations, item 7"),
    gettext_noop("Political recommendations, item 8"),
    gettext_noop("Political recommendations, item 9"),
    gettext_noop("Practical recommendations, item 1"),
    gettext_noop("Practical recommendations, item 10"),
    gettext_noop("Practical recommendations, item 11"),
    gettext_noop("Practical recommendations, item 12"),
    gettext_noop("Practical recommendations, item 2"),
    gettext_noop("Practical recommendations, item 3"),
    gettext_noop("Practical recommendations, item 4"),
    gettext_noop("Practical recommendations, item 5"),
    gettext_noop("Practical recommendations, item 6"),
    gettext_noop("Practical recommendations, item 7"),
    gettext_noop("Practical recommendations, item 7, sub-item 1"),
    gettext_noop("Practical recommendations, item 8"),
    gettext_noop("Practical recommendations, item 9"),
    gettext_noop("Statement of the chair of the Committee on Migrant Workers"),
    gettext_noop("Table, Challenges / Issues for further discussion, item 1"),
    gettext_noop("Table, Challenges / Issues for further discussion, item 2"),
    gettext_noop("Table, Challenges / Issues for further discussion, item 3"),
    gettext_noop("Table, Points of Convergence, item 1"),
    gettext_noop("Table, Points of Convergence, item 2"),
    gettext_noop("Table, Practical Recommendations, item 1"),
    gettext_noop("Table, Practical Recommendations, item 2"),
    gettext_noop("Table, Practical Recommendations, item 3"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 1"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 2"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 3"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 3 (Policies and measures), part 1"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 3 (Policies and measures), part 2"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 3 (Policies and measures), part 3"),
    gettext_noop("Tools mentioned by the Co-Chairs, item 1, sub-item 3 (Policies and measures), part 4"),
]


def translated(value: str) -> str:
    """`value` in the active language when the catalogs have it, else `value` as stored."""
    return gettext(value) if value else value
