"""English dates as the UN writes them (5 January 2024), not Django's American default (Jan. 5, 2024).
The other languages use Django's own formats for their locale."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
