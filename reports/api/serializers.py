"""The reporting API's JSON: flat, stable field names an HR system or Power BI can map."""

from rest_framework import serializers

from learning.rules import Status


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="cohort.pk")
    name = serializers.CharField(source="cohort.name")


class LearnerSerializer(serializers.Serializer):
    """A member of the organisation (a Membership, with its user)."""

    id = serializers.IntegerField(source="user.pk", help_text="The learner's id in Recognise.")
    staff_number = serializers.CharField(
        help_text="Collar, payroll or ESR number, as the organisation recorded it; may be empty."
    )
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    joined_at = serializers.DateTimeField(help_text="When they joined the organisation.")
    cohorts = CohortSerializer(source="user.org_cohorts", many=True)


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = CourseSerializer()
    cohort_id = serializers.IntegerField(
        allow_null=True, help_text="Set for a cohort's assignment; null for one learner's."
    )
    cohort_name = serializers.CharField(source="cohort.name", allow_null=True, default=None)
    learner_id = serializers.IntegerField(
        source="user_id", allow_null=True, help_text="Set for one learner's assignment."
    )
    due_date = serializers.DateField()
    recertify_months = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class StatusSerializer(serializers.Serializer):
    """One learner on one assignment."""

    assignment_id = serializers.IntegerField(source="assignment.pk")
    learner_id = serializers.IntegerField(source="learner.pk")
    staff_number = serializers.CharField(source="learner.staff_number", allow_null=True)
    name = serializers.CharField(source="learner.display_name")
    email = serializers.EmailField(source="learner.email")
    course = CourseSerializer(source="assignment.course")
    cohort_id = serializers.IntegerField(source="assignment.cohort_id", allow_null=True)
    # The learner's own due date: later than the assignment's for a late joiner.
    due_date = serializers.DateField()
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=(
            "completed once the course was completed or a certificate for it is valid; "
            "overdue past the due date otherwise; in_progress once anything is done; "
            "not_started otherwise."
        ),
    )
    completed_at = serializers.DateTimeField(allow_null=True)
    certificate_expires_on = serializers.DateField(allow_null=True)
    certificate_valid = serializers.BooleanField()


class LearnerDetailSerializer(LearnerSerializer):
    statuses = StatusSerializer(many=True)


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
