from django.conf import settings
from django.db import models

from everychild.core.wording import long_date


class Anonymisation(models.Model):
    """A child's record made anonymous under the retention policy: when, by whom, under which
    rule. The child's row stays (statistics and the audit log refer to it) without anything
    that identifies them."""

    child = models.OneToOneField(
        "children.Child", on_delete=models.PROTECT, related_name="anonymisation"
    )
    done_at = models.DateTimeField(auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(max_length=200)
    fields_cleared = models.PositiveIntegerField(default=0)
    files_removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-done_at"]

    def __str__(self) -> str:
        return f"Child {self.child_id} anonymised {long_date(self.done_at)}"
