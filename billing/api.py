"""JSON API: the packages a resident can buy."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from accounts.permissions import IsResident
from billing.models import Package


class PackageSerializer(serializers.ModelSerializer):
    unlimited = serializers.BooleanField(source="is_unlimited", read_only=True)

    class Meta:
        model = Package
        fields = ["id", "name", "price", "quota_bytes", "unlimited", "validity_days"]


@extend_schema(summary="Active packages, cheapest first (price in Rupiah, quota in bytes, 0 = unlimited)")
class PackageListView(ListAPIView):
    permission_classes = [IsResident]
    serializer_class = PackageSerializer
    queryset = Package.objects.filter(is_active=True).order_by("price", "name")
    pagination_class = None
