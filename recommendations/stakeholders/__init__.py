"""Pages of stakeholder contributors: registering an organisation, the email confirmation,
submitting and editing reports, and a contributor's own submissions. Mounted at /stakeholders/
(language-prefixed). The editors' moderation queue is a staff page (`staff/stakeholders.py`)."""
