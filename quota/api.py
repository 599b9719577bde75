"""JSON API for residents: their own status, quota and devices (session authentication)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsResident
from quota.selectors import quota_summary


class DeviceSerializer(serializers.Serializer):
    mac = serializers.CharField()
    label = serializers.CharField()
    last_ip = serializers.IPAddressField(allow_null=True)
    last_seen = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    phone = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "fup", "habis", "expired", "inactive", "blocked"])
    status_label = serializers.CharField()
    unlimited = serializers.BooleanField()
    purchased_bytes = serializers.IntegerField()
    used_bytes = serializers.IntegerField()
    remaining_bytes = serializers.IntegerField()
    expires_at = serializers.DateTimeField(allow_null=True)
    devices = DeviceSerializer(many=True)


class MeView(APIView):
    permission_classes = [IsResident]

    @extend_schema(
        responses=MeSerializer, summary="The signed-in resident's access status, quota and devices"
    )
    def get(self, request):
        user = request.user
        data = {
            "phone": user.phone,
            "full_name": user.full_name,
            "role": user.role,
            **quota_summary(user),
            "devices": user.devices.filter(is_authorized=True).order_by("-last_seen", "pk"),
        }
        return Response(MeSerializer(data).data)
