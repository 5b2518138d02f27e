"""The names of the process's phases and the secretariat's editorial texts, translated through the
interface's catalogs (the names head the events pages as labels; the phases' descriptions stay in the
sources' words). See recommendations/labels.py for how labels stored as data are translated."""

from django.utils.translation import gettext, gettext_noop

PHASE_NAMES = [
    gettext_noop("Phase I – Consultations"),
    gettext_noop("Phase II – Stocktaking"),
    gettext_noop("Phase III – Intergovernmental negotiations"),
]


# The secretariat's own prose stored as data (the fields the models mark "Added by the secretariat, not
# from the source documents"): document descriptions, event notes and the listings' editorial notes.
# Translated like the labels above; what they quote from a source (in quotation marks) stays in its
# words, and so do document symbols and names. tests/test_labels.py fails on one the fixtures hold
# that is not listed here or not translated.
DOCUMENT_DESCRIPTIONS = [  # Document.description
    gettext_noop(
        "Signed by Peter Thomson. Transmits the co-facilitators' letter (with the general concept note and "
        "the procedural note for the first informal thematic session, 8-9 May 2017, Geneva) and the letter of "
        "the Special Representative of the Secretary-General transmitting the Secretary-General's workplan "
        "and the inter-agency issue brief; reminds Member States wishing to moderate an expert panel to "
        "express interest through their regional groups no later than 25 April 2017."
    ),
    gettext_noop(
        "Dated New York, 13 April 2017; signed by Juan José Gómez Camacho (Ambassador and Permanent "
        "Representative of Mexico to the United Nations) and Jürg Lauber (Ambassador and Permanent "
        "Representative of Switzerland to the United Nations). Invites States to the first informal thematic "
        "session (8-9 May 2017, Geneva) and transmits the general concept note, the Secretary-General's "
        "workplan, the inter-agency issue brief and the procedural note."
    ),
    gettext_noop(
        "Overview of the main events of phase I of the preparatory process: informal thematic sessions, "
        "contributions of the UN Regional Commissions, the GFMD, the IOM International Dialogue on Migration "
        "and regional consultative processes, and the informal interactive multi-stakeholder hearings. "
        "Transmitted with the co-facilitators' letter of 13 April 2017."
    ),
    gettext_noop(
        "Table (EVENT, LOCATION, DATES) of the informal thematic sessions, the UN Regional Commissions' "
        "regional preparatory meetings and the informal interactive multi-stakeholder hearings, attached to "
        "the general concept note and repeated after Annex I. Its dates are marked “(*) Subject to change”."
    ),
    gettext_noop(
        "Annex I to the general concept note: accreditation and registration of stakeholders, the informal "
        "interactive multi-stakeholder hearings, the informal thematic sessions, informal dialogues organized "
        "by the co-facilitators and the stakeholder steering committee. The deadline to apply for special "
        "accreditation is Monday, 17 April 2017."
    ),
    gettext_noop(
        "Format of the first informal thematic session (Geneva, 8-9 May 2017, Palais des Nations, Room XIX): "
        "welcoming remarks, presentation of the issue brief, three expert panels, a summary panel and "
        "closing; Annex I gives the two-day agenda. Transmitted with the co-facilitators' letter of 13 April "
        "2017 (the general concept note says procedural notes are circulated by the President of the General "
        "Assembly)."
    ),
    gettext_noop(
        "Signed by Louise Arbour (“Special Representative of the Secretary-General on International "
        "Migration”), addressed to Mr. Peter Thomson, President of the General Assembly. Transmits the "
        "workplan called for in OP22 of A/RES/71/280 and, per OP18, the inter-agency issue brief for the "
        "first thematic session."
    ),
    gettext_noop(
        "Work plan which outlines the “relevant processes, mechanisms and initiatives in the field of "
        "migration” called for in OP 22 of A/71/280, covering the three phases of the preparatory process and "
        "the intergovernmental conference. Prepared by the Secretary-General in close consultation with IOM "
        "and transmitted by the Special Representative of the Secretary-General (letter of 13 April 2017), "
        "whose office will periodically update it. Events are grouped by colour: thematic sessions; UN "
        "Regional Economic Commissions; Regional Consultative Processes; multi-stakeholder consultations; "
        "Global Forum on Migration and Development; IOM International Dialogue on Migration; preparatory "
        "stocktaking meeting, distribution of documents, negotiations."
    ),
    gettext_noop(
        "Inter-agency issue brief for the first informal thematic session, drafted by the Secretary-General "
        "of the intergovernmental conference with the support of IOM and drawing upon the expertise of the "
        "Global Migration Group and other relevant entities; transmitted with the letter of the Special "
        "Representative of the Secretary-General of 13 April 2017. Sections: Introduction, Trends, issues "
        "a-d, Ways forward, Commitments (10)."
    ),
    gettext_noop(
        "Cited by symbol in the general concept note and the procedural note; Annex I writes the symbol "
        "“A/71/1”. Adopted by the General Assembly at the high-level meeting to address large movements of "
        "refugees and migrants. Not one of the five source files: the tracker holds only its citations."
    ),
    gettext_noop(
        "The modalities resolution, adopted 6 April 2017, cited by symbol throughout the UN package (the "
        "workplan writes “A/71/280”). Not one of the five source files: the tracker holds only its citations."
    ),
    gettext_noop("Cited in a footnote of Issue Brief #1 (paragraph 87). Not one of the five source files."),
    gettext_noop("Cited in a footnote of Issue Brief #1 as “The Sutherland Report”. Not one of the five source files."),
    gettext_noop("Cited in a footnote of Issue Brief #1 (para. 80) by symbol only. Not one of the five source files."),
    gettext_noop("Cited in a footnote of Issue Brief #1 by symbol only. Not one of the five source files."),
    gettext_noop("Cited in a footnote of Issue Brief #1 (para. 12). Not one of the five source files."),
    gettext_noop(
        "Briefing paper for Working Session I of the GFMD Dialogue on the Global Compact on Migration (GCM "
        "Cluster 1): a thematic recollection of GFMD discussions since 2007 on human rights of all migrants, "
        "social inclusion, cohesion and discrimination, with eight key recommendations from GFMD discussions "
        "(each with the GFMD year it was made) and three guiding questions. The session report says Maurizio "
        "Busatti of the IOM presented it, and that his presentation was based on a policy brief prepared by "
        "IOM before the meeting. The paper itself gives no date or author."
    ),
    gettext_noop(
        "Report of Working Session 1 (GCM Cluster 1: human rights of all migrants, social inclusion, cohesion "
        "and all forms of discrimination) of the GFMD Dialogue on the Global Compact on Migration, held on 6 "
        "April 2017, 11:30-17:30, at the Palais des Nations, Geneva. Chaired by Ambassador Mehmet Samsar "
        "(Turkey), with input speakers Ambassador Rosemary McCarney (Canada) and William Gois (Migrant Forum "
        "in Asia), Carolina Hernandez (OHCHR) as rapporteur, and Maurizio Busatti (IOM) presenting the "
        "briefing paper. Twenty-six numbered paragraphs, then lists of political and practical "
        "recommendations. The report itself carries no date of issue; 6 April 2017 is the date of the "
        "meeting."
    ),
    gettext_noop(
        "Report of the GFMD Working Session on Human Rights of all migrants, chaired by Ambassador Arturo "
        "Cabrera (Ecuador), with an overview by GCM Rapporteur Ambassador Esteban Conejos Jr. (Philippines) "
        "of the GFMD's draft inputs to GCM thematic cluster 1, and a summary by rapporteur John Bingham "
        "(ICMC). It gives the three GFMD policy areas with their recommendations, the takeaways on three "
        "guiding questions, and a closing table of points of convergence, practical recommendations and "
        "challenges. The source gives no date or place."
    ),
    gettext_noop(
        "The rapporteur's report of two GFMD roundtables: 2.1, Migration, diversity and harmonious societies "
        "(co-chaired by Greece and Morocco), and 2.2, Protection of migrants in all situations (co-chaired by "
        "El Salvador and Sri Lanka), with the tools, policies and measures and the main issues raised, and "
        "what each state or organisation said. The rapporteur is not named; the source gives no date or "
        "place."
    ),
]

EVENT_NOTES = [  # Event.notes
    gettext_noop("The row writes “SRTSG”."),
    gettext_noop(
        "The general concept note: the first IDM workshop, to be held in New York in April 2017, will discuss "
        "international cooperation and governance of migration."
    ),
    gettext_noop("The place is given as “Turkey TBC”."),
    gettext_noop("The workplan row ends with “TBC”."),
    gettext_noop("The procedural note gives the venue as “Palais des Nations, Room XIX”."),
    gettext_noop(
        "The general concept note: in 2017 the GFMD, co-chaired by Germany and Morocco, convenes under the "
        "overall theme “Towards a Global Social Contract on Migration and Development”."
    ),
    gettext_noop(
        "The general concept note: the second IDM workshop, to be held in Geneva in July 2017, will explore "
        "policy perspectives and practical aspects regarding the protection and assistance of migrants in "
        "vulnerable situations."
    ),
    gettext_noop("The workplan row ends with “TBD”."),
    gettext_noop(
        "The general concept note: events of regional consultative processes will culminate in a global "
        "meeting of chairs and secretariats of regional consultative processes on migration, to be held in "
        "Geneva in October 2017."
    ),
    gettext_noop(
        "The workplan text: the preparatory stocktaking meeting is “to be hosted by and held in Mexico in "
        "early December (OP23)”; a chair’s summary will be prepared by the co-facilitators (OP25)."
    ),
    gettext_noop(
        "The high-level meeting was held on 19 September 2016; the source writes 2017. The date is kept as "
        "the source gives it."
    ),
    gettext_noop(
        "Ahead of the first informal thematic session (8-9 May 2017); the letter gives no date and says "
        "formal invitations will follow."
    ),
    gettext_noop(
        "Member States wishing to moderate an expert panel during the six thematic sessions, no later than this date."
    ),
    gettext_noop(
        "The report gives no date or place for the session. It says the chair, Ambassador Arturo Cabrera, is "
        "Deputy Permanent Representative at the Permanent Mission of Ecuador in Geneva (his post, not "
        "necessarily where the session met), and that the GFMD's draft inputs to GCM thematic cluster 1 were "
        'a "report to be submitted to the GCM", so the session came before that submission. The GCM phase is '
        "not stated, so none is set."
    ),
    gettext_noop(
        'The report gives no date or place. In Roundtable 2.1, Algeria "mentioned that yesterday was Human '
        'Rights Day" (Human Rights Day is 10 December), which suggests the roundtables met on 11 December of '
        "an unstated year; no date is set from this. The GCM phase is not stated, so none is set."
    ),
    gettext_noop(
        "The report gives no date or place; it reports Roundtable 2.2 after Roundtable 2.1. The GCM phase is "
        "not stated, so none is set."
    ),
]

LISTING_NOTES = [  # EventListing.editorial_note and ParticipantListing.editorial_note
    gettext_noop("In the workplan the row's “TBC” stands after the title, not after the date."),
    gettext_noop(
        "The workplan has two rows for the Economic Commission for Africa (14-15 September, and November TBA "
        "during African Development Forum X); the sources do not say which of them the table's 19-20 October "
        "meeting is. The secretariat pairs the table row with the September row."
    ),
    gettext_noop("The same document’s table gives “4-6 December”."),
    gettext_noop(
        "The PGA letter and the concept note write “Jose” without the accent the co-facilitators' own "
        "signature gives; the participant's name follows the signature."
    ),
    gettext_noop("The role is the letter's paragraph 1, in which both co-facilitators write together."),
    gettext_noop(
        "The agenda names no one; the participant is tied to this item by the concept note's appointment of "
        "Ms. Louise Arbour as Secretary-General of the intergovernmental conference. Her position on the "
        "participant joins the agenda's role and the signature's title."
    ),
    gettext_noop(
        "The high-level meeting was held on 19 September 2016; the source writes 2017. The date is kept as "
        "the source gives it."
    ),
    gettext_noop("“ahead of this session”: the first informal thematic session."),
    gettext_noop("The report gives no date or place."),
]


# Where a listing stands in its source ("place in the source" of EventListing and ParticipantListing),
# written by the tracker: its own words (table, row, paragraph, section, month names…) are translated;
# a heading of the source it names stays in the source's English inside « » (isolated in Arabic).
# tests/test_editorial_texts.py fails on a stored one that is not listed here or not translated.
LISTING_PLACES = [
    gettext_noop("1. Introduction, paragraph 1"),
    gettext_noop("1. Introduction, paragraph 2"),
    gettext_noop("2. (b) Special accreditation for entities not in consultative status with ECOSOC"),
    gettext_noop("6. Stakeholder steering committee, paragraph 3"),
    gettext_noop("Annex I: Agenda, Day 1, 10:00 – 10:15"),
    gettext_noop("Heading"),
    gettext_noop("Paragraph 1"),
    gettext_noop("Paragraph 3"),
    gettext_noop("Paragraph 7"),
    gettext_noop("Phase II paragraph (OP23)"),
    gettext_noop("Section 1, paragraph 1"),
    gettext_noop("Section 1, paragraph 2"),
    gettext_noop("Section 1, paragraph 3"),
    gettext_noop("Section 1, paragraph 4"),
    gettext_noop("Signature"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 1"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 2"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 3"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 4"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 5"),
    gettext_noop("Table, Informal interactive multi-stakeholder hearings, row 6"),
    gettext_noop("Table, Informal thematic sessions, row 1"),
    gettext_noop("Table, Informal thematic sessions, row 2"),
    gettext_noop("Table, Informal thematic sessions, row 3"),
    gettext_noop("Table, Informal thematic sessions, row 4"),
    gettext_noop("Table, Informal thematic sessions, row 5"),
    gettext_noop("Table, Informal thematic sessions, row 6"),
    gettext_noop("Table, Phase I – Consultations, April 2017"),
    gettext_noop("Table, Phase I – Consultations, August 2017"),
    gettext_noop("Table, Phase I – Consultations, July 2017"),
    gettext_noop("Table, Phase I – Consultations, June 2017"),
    gettext_noop("Table, Phase I – Consultations, March 2017"),
    gettext_noop("Table, Phase I – Consultations, May 2017"),
    gettext_noop("Table, Phase I – Consultations, October 2017"),
    gettext_noop("Table, Phase I – Consultations, September 2017"),
    gettext_noop("Table, Phase II – Stocktaking, December 2017"),
    gettext_noop("Table, Phase II – Stocktaking, January 2018"),
    gettext_noop("Table, Phase II – Stocktaking, November 2017"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, April 2018"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, February 2018"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, July 2018"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, June 2018"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, March 2018"),
    gettext_noop("Table, Phase III – Intergovernmental negotiations, May 2018"),
    gettext_noop("Table, September 2018 (listed after Phase III)"),
    gettext_noop("Table, United Nations Regional Commissions, row 1"),
    gettext_noop("Table, United Nations Regional Commissions, row 2"),
    gettext_noop("Table, United Nations Regional Commissions, row 3"),
    gettext_noop("Table, United Nations Regional Commissions, row 4"),
]


def translated(value: str) -> str:
    return gettext(value) if value else value
