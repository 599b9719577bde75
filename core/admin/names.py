"""Admin building block: the model's name fields are cleaned by core.names (the one rule for names)."""

from django.contrib.admin.widgets import AdminTextInputWidget

from core.names import NameField


class NameFieldsMixin:
    """For a ModelAdmin or an inline: `name_fields = {"name": True}` maps each field to whether a letter
    is required (False: a letter or a digit will do, as for rooms named "12")."""

    name_fields: dict[str, bool] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.name_fields:
            kwargs.setdefault("widget", AdminTextInputWidget)
            return db_field.formfield(
                form_class=NameField,
                letter_required=self.name_fields[db_field.name],
                **kwargs,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
