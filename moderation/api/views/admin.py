"""Lead-only endpoints (token scope `admin`): the audit log, API tokens and intranet webhooks."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from moderation.api import selectors
from moderation.api.filters import AuditFilter
from moderation.api.pagination import CreatedCursor
from moderation.api.serializers import (
    ApiTokenCreatedOutput,
    ApiTokenCreateInput,
    ApiTokenOutput,
    AuditEventOutput,
    WebhookDeliveryOutput,
    WebhookEndpointCreatedOutput,
    WebhookEndpointInput,
    WebhookEndpointOutput,
)
from moderation.api.views.reads import ConditionalRetrieveMixin
from moderation.services.api_tokens import api_token_create, api_token_revoke
from moderation.services.intranet_webhooks import webhook_endpoint_create, webhook_endpoint_delete


class AuditEventViewSet(ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The append-only audit trail: who did what to which item, under which clause. Leads only."""

    api_scope = "admin"
    api_permission = "moderation.view_reports"
    serializer_class = AuditEventOutput
    pagination_class = CreatedCursor
    filterset_class = AuditFilter

    def get_queryset(self) -> Any:
        return selectors.audit_list()


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """API tokens: created by Leads and Admins, shown once, revocable."""

    api_scope = "admin"
    api_permission = "moderation.manage_api"
    serializer_class = ApiTokenOutput
    pagination_class = CreatedCursor

    def get_queryset(self) -> Any:
        return selectors.api_token_list()

    @extend_schema(request=ApiTokenCreateInput, responses={201: ApiTokenCreatedOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ApiTokenCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        new = api_token_create(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        body = {**ApiTokenOutput(new.token).data, "token": new.secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiTokenOutput)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        token = api_token_revoke(token_id=self.get_object().pk, actor=request.user)  # type: ignore[arg-type]
        return Response(ApiTokenOutput(token).data)


class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Intranet webhooks: a URL and the events it wants; deliveries are signed (docs/api.md)."""

    api_scope = "admin"
    api_permission = "moderation.manage_api"
    serializer_class = WebhookEndpointOutput
    pagination_class = CreatedCursor

    def get_queryset(self) -> Any:
        return selectors.webhook_endpoint_list()

    @extend_schema(request=WebhookEndpointInput, responses={201: WebhookEndpointCreatedOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = WebhookEndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = webhook_endpoint_create(actor=request.user, **data.validated_data)  # type: ignore[arg-type]
        body = {**WebhookEndpointOutput(endpoint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook_endpoint_delete(endpoint_id=self.get_object().pk, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=WebhookDeliveryOutput(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """Deliveries to this endpoint, newest first, with the intranet's responses."""
        endpoint = self.get_object()
        page = self.paginate_queryset(selectors.webhook_delivery_list().filter(endpoint=endpoint))
        return self.get_paginated_response(WebhookDeliveryOutput(page, many=True).data)
