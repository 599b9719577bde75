from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedRecord(models.Model):
    """One row taken over from the Flask deployment: its table and id, and the object it became here.
    The unique pair makes a rerun of `import_lpsaring` skip what it already wrote."""

    source_table = models.CharField(_("source table"), max_length=40)
    source_id = models.CharField(_("source id"), max_length=64)
    target = models.CharField(_("target model"), max_length=60)
    target_id = models.BigIntegerField(_("target id"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(fields=["source_table", "source_id"], name="imported_record_once"),
        ]

    def __str__(self):
        return f"{self.source_table}/{self.source_id} → {self.target}#{self.target_id}"
