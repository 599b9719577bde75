"""Admin actions behind a confirmation page that shows what will change, for one object or a selection.

An action is a `ConfirmedAction`: a label, an optional form (reason, amount…), a per-object refusal rule,
a preview (rows of field, before, after) and `apply`, which calls one service. The same action runs as a
changelist bulk action and from a button on the change page (`<id>/do/<name>/`). Each page carries a
random token; services that need idempotency derive their key from it, so a double submit applies once.
"""

import logging
import uuid

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

STEP_FIELD = "_lps_step"


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class ConfirmedAction:
    name = ""
    label = ""
    form_class = ConfirmForm
    bulk = True
    permission = "change"  # the model permission the staff member needs

    def form_kwargs(self, objs) -> dict:
        return {}

    def refusal(self, request, obj) -> str | None:
        """Why this object cannot take the action (None when it can)."""
        return None

    def preview(self, obj, data: dict) -> list[tuple[str, str, str]]:
        return []

    def apply(self, request, obj, data: dict) -> str | None:
        raise NotImplementedError


class ConfirmedActionsMixin:
    confirmed_actions: list[ConfirmedAction] = []
    confirm_template = "admin/lps_confirm_action.html"

    # -- wiring into the changelist and the URLs ---------------------------------------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        for action in self.confirmed_actions:
            if action.bulk and self._allowed(request, action):
                actions[action.name] = (self._bulk_runner(action), action.name, action.label)
        return actions

    def _bulk_runner(self, action):
        def run(modeladmin, request, queryset):
            return self.confirmed_action_view(request, action, list(queryset.order_by("pk")), bulk=True)

        return run

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/do/<str:action_name>/",
                self.admin_site.admin_view(self.single_action_view),
                name=self._url_name("do"),
            )
        ]
        return extra + super().get_urls()

    def _allowed(self, request, action) -> bool:
        checker = getattr(self, f"has_{action.permission}_permission")
        return checker(request)

    def single_action_view(self, request, object_id, action_name):
        action = next((a for a in self.confirmed_actions if a.name == action_name), None)
        if action is None or not self._allowed(request, action):
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        return self.confirmed_action_view(request, action, [obj], bulk=False)

    def object_actions_for(self, request, obj) -> list[dict]:
        """Buttons for the change page: the actions this staff member may take on this object."""
        if obj is None:
            return []
        return [
            {"label": a.label, "url": reverse(f"admin:{self._url_name('do')}", args=[obj.pk, a.name])}
            for a in self.confirmed_actions
            if self._allowed(request, a) and a.refusal(request, obj) is None
        ]

    # -- the confirmation page ---------------------------------------------------------------
    def confirmed_action_view(self, request, action, objs, *, bulk):
        step = request.POST.get(STEP_FIELD, "") if request.method == "POST" else ""
        form_kwargs = action.form_kwargs(objs)
        has_fields = len(action.form_class(**form_kwargs).fields) > 1
        if step in ("preview", "apply"):
            form = action.form_class(request.POST, **form_kwargs)
        elif not has_fields:  # nothing to type: straight to the preview
            form = action.form_class({"token": uuid.uuid4().hex}, **form_kwargs)
        else:
            form = action.form_class(initial={"token": uuid.uuid4().hex}, **form_kwargs)
        rows = [(obj, action.refusal(request, obj)) for obj in objs]
        allowed = [obj for obj, refused in rows if refused is None]
        valid = form.is_bound and form.is_valid()
        if step == "apply" and valid and allowed:
            return self._apply(request, action, allowed, form.cleaned_data, bulk=bulk)
        data = form.cleaned_data if valid else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": action.label,
            "action": action,
            "bulk": bulk,
            "form": form,
            "has_fields": has_fields,
            "preview_ready": data is not None,
            "rows": [
                {
                    "obj": obj,
                    "refused": refused,
                    "changes": action.preview(obj, data) if data is not None and refused is None else [],
                }
                for obj, refused in rows
            ],
            "allowed_count": len(allowed),
            "selected_name": ACTION_CHECKBOX_NAME,
            "step_field": STEP_FIELD,
            "next_step": "apply" if data is not None else "preview",
            "cancel_url": self._back_url(objs, bulk),
        }
        return TemplateResponse(request, self.confirm_template, context)

    def _back_url(self, objs, bulk):
        if bulk or len(objs) != 1:
            return reverse(f"admin:{self._url_name('changelist')}")
        return reverse(f"admin:{self._url_name('change')}", args=[objs[0].pk])

    def _url_name(self, suffix: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def _apply(self, request, action, objs, data, *, bulk):
        done = 0
        for obj in objs:
            try:
                note = action.apply(request, obj, data)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            except DatabaseError:
                log.exception("admin action %s on %s failed", action.name, obj.pk)
                self.message_user(
                    request,
                    _("%(obj)s: the change could not be saved; nothing changed.") % {"obj": obj},
                    messages.ERROR,
                )
                continue
            done += 1
            if note:
                self.message_user(request, f"{obj}: {note}", messages.INFO)
        if done:
            self.message_user(
                request,
                _("%(action)s: done for %(count)d.") % {"action": action.label, "count": done},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._back_url(objs, bulk))


class ReasonForm(ConfirmForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)


class OptionalReasonForm(ConfirmForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False)
