"""Pages of stakeholder contributors: the email confirmation of a registration and a
contributor's own submissions. Mounted at /stakeholders/ (language-prefixed)."""
