"""The reporting API's endpoints. Read-only: anything but GET, HEAD or OPTIONS is 405.

Every queryset starts from the token's organisation, so nothing of another organisation
can be listed or named (an id from elsewhere is 404)."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination

from core.api_not_found import keep_not_found
from reports.tokens import note_use

from . import records
from .access import BearerTokenAuthentication, HasApiToken, TokenRateThrottle
from .serializers import (
    AssignmentSerializer,
    LearnerDetailSerializer,
    LearnerSerializer,
    MessageSerializer,
    StatusSerializer,
)

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only rows created or changed at or after this time (ISO 8601).",
)
BIGGEST_ID = 2**63 - 1
ERRORS = {401: MessageSerializer, 404: MessageSerializer, 429: MessageSerializer}


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ReportingView(generics.GenericAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiToken]
    throttle_classes = [TokenRateThrottle]
    pagination_class = Pages

    def initial(self, request, *args, **kwargs):
        keep_not_found(request._request)
        super().initial(request, *args, **kwargs)
        note_use(request.auth, request._request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal records: no shared cache or proxy may keep a copy.
        patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def organisation(self):
        return self.request.auth.organisation

    def updated_since(self):
        value = self.request.query_params.get("updated_since")
        if not value:
            return None
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.datetime.combine(day, datetime.time())
        if moment is None:
            raise exceptions.ValidationError(
                {"updated_since": [_("Give a date or time in ISO 8601, e.g. 2026-01-31.")]}
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class LearnerList(ReportingView, generics.ListAPIView):
    """Members of the organisation, with their staff numbers and cohorts."""

    serializer_class = LearnerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Only members who joined at or after this time (ISO 8601).",
            )
        ],
        responses={200: LearnerSerializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        memberships = records.memberships(self.organisation)
        if since := self.updated_since():
            memberships = memberships.filter(joined_at__gte=since)
        return memberships


class LearnerDetail(ReportingView, generics.RetrieveAPIView):
    """One member of the organisation, with their status on every assignment."""

    serializer_class = LearnerDetailSerializer

    @extend_schema(responses={200: LearnerDetailSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        # No id is larger than the database's biggest integer; asking it would be an error.
        if self.kwargs["learner_id"] > BIGGEST_ID:
            raise Http404
        membership = (
            records.memberships(self.organisation).filter(user_id=self.kwargs["learner_id"]).first()
        )
        if membership is None:
            raise Http404
        pairs = records.status_pairs(self.organisation, learner_id=membership.user_id)
        membership.statuses = records.status_rows(self.organisation, pairs, timezone.localdate())
        return membership


class AssignmentList(ReportingView, generics.ListAPIView):
    """Courses set by the organisation's trainers, for a cohort or for one learner."""

    serializer_class = AssignmentSerializer

    @extend_schema(parameters=[UPDATED_SINCE], responses={200: AssignmentSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        assignments = records.assignments(self.organisation)
        if since := self.updated_since():
            assignments = assignments.filter(created_at__gte=since)
        return assignments


class StatusList(ReportingView, generics.ListAPIView):
    """Every assigned learner's status on each assignment, as learning.rules defines it.

    Statuses change as days pass (an assignment becomes overdue, a certificate
    expires), so read the whole list for an up-to-date picture."""

    serializer_class = StatusSerializer

    @extend_schema(responses={200: StatusSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return records.status_pairs(self.organisation)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = records.status_rows(self.organisation, page, timezone.localdate())
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
