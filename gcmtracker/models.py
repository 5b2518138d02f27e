"""Background import jobs: what the admin's import page follows while a worker runs an import.

The uploaded file is kept in the row (imports are at most IMPORT_MAX_BYTES), so any worker on
any machine can run it with no shared disk. A preview job checks every row and writes nothing;
an apply job checks again and writes everything in one transaction, or nothing. The worker
records its progress (rows checked of the total) outside that transaction, and the report when
it is done: the counts, every row error, and the first changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The report keeps every error but only this many changes (the counts cover the rest).
SHOWN_CHANGES = 200


class ImportJob(models.Model):
    class Mode(models.TextChoices):
        PREVIEW = "preview", _("preview")
        APPLY = "apply", _("apply")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=32)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.PREVIEW)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    preview = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="applies")
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # every error: [row or null, column, message]
    changes = models.JSONField(default=list, blank=True)  # the first SHOWN_CHANGES: [row, action, label]
    applied = models.BooleanField(default=False)
    failure = models.TextField(blank=True)  # what stopped the worker, if anything did
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_recent")]

    def __str__(self):
        return f"{self.get_mode_display()} of {self.filename} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def ok(self) -> bool:
        return self.state == self.State.DONE and not self.errors

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
