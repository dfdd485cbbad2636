from rest_framework import serializers

from ..models import Agency, Membership, Notification, Region, User


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "parent", "parent_code"]


class AgencySerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "region",
            "region_code",
            "code",
            "name",
            "short_name",
            "parent",
            "address",
            "phone",
            "email",
            "head_name",
            "is_active",
        ]
        read_only_fields = ["region", "region_code", "code", "parent", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.IntegerField(source="agency.region_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "agency", "agency_name", "region", "role", "scope"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(source="memberships_cache", many=True, read_only=True)
    unread_notifications = serializers.IntegerField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "is_staff", "memberships", "unread_notifications"]
        read_only_fields = ["id", "email", "is_staff"]

    def update(self, instance, validated_data):
        # Only the fields sent: a full save of the user loaded at the start of the
        # request would undo an account closed meanwhile (is_active) and the like.
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(validated_data))
        return instance


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "created", "kind", "title", "body", "url", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=True)


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
