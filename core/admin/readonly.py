from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and derived data: staff may look, never add, edit or delete here."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
