"""Officer decisions on items, as POST actions: one queue service call each (moderation/services/queue.py).

Each action validates the body's shape, makes exactly one service call and serializes
the result; the services check permissions, claims, clauses and capabilities, so the
API and the dashboard cannot disagree. Every POST honours `Idempotency-Key`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from accounts.models import User
from moderation.api import selectors
from moderation.api.filters import ActionFilter
from moderation.api.idempotency import idempotent, service_key
from moderation.api.pagination import CreatedCursor
from moderation.api.serializers import (
    ActInput,
    ActionCreateInput,
    ActionOutput,
    AuditEventOutput,
    ClaimNextInput,
    DismissInput,
    EscalateInput,
    ItemOutput,
    NoteInput,
    ReplyInput,
    ResolveInput,
)
from moderation.api.views.reads import ConditionalRetrieveMixin, ItemReadViewSet
from moderation.models import Item
from moderation.queue_filters import QueueFilters
from moderation.services import queue

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID): the same key again returns the first result, doing nothing twice.",
)


F = TypeVar("F", bound=Callable[..., Response])


def _act_schema(request: type[Serializer[Any]] | None, response: Any, code: int = 200) -> Callable[[F], F]:
    return extend_schema(request=request, responses={code: response}, parameters=[IDEMPOTENCY_KEY])


def _actor(request: Request) -> User:
    return cast(User, request.user)  # RoleAndScope let only signed-in people and tokens through


class ItemViewSet(ItemReadViewSet):
    """Items, and the officer decisions on them (scope `act`)."""

    api_permissions = {"list": "moderation.view_item", "retrieve": "moderation.view_item"}
    # Decisions need a role that works the queue (as the dashboard's views do); each service
    # then checks the decision's own permission, claim and clause.
    api_permission = "moderation.work_queue"

    def _item_id(self) -> int:
        # 404 for an id that does not exist, before any service call.
        return int(self.get_object().pk)

    def _run(
        self, request: Request, body: type[Serializer[Any]] | None, call: Callable[[dict[str, Any]], Response]
    ) -> Response:
        def handler() -> Response:
            data: dict[str, Any] = {}
            if body is not None:
                checked = body(data=request.data)
                checked.is_valid(raise_exception=True)
                data = dict(checked.validated_data)
            return call(data)

        return idempotent(handler, request)

    def _item(self, item: Item) -> Response:
        return Response(ItemOutput(selectors.item_list().get(pk=item.pk)).data)

    def _act(self, request: Request, kind: str, body: type[Serializer[Any]]) -> Response:
        item_id = self._item_id()

        def call(data: dict[str, Any]) -> Response:
            result = queue.item_act(
                item_id=item_id,
                actor=_actor(request),
                kind=kind,
                clause=data.get("clause", ""),
                text=data.get("text", ""),
                idempotency_key=service_key(request),
            )
            return Response(ActionOutput(result).data, status=status.HTTP_202_ACCEPTED)

        return self._run(request, body, call)

    @_act_schema(None, ItemOutput)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        """Claim the item: other officers are refused until you release it or the claim lapses."""
        item_id = self._item_id()
        return self._run(
            request, None, lambda _: self._item(queue.item_claim(item_id=item_id, officer=_actor(request)))
        )

    @_act_schema(None, ItemOutput)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Give the item back to the queue."""
        item_id = self._item_id()
        return self._run(
            request, None, lambda _: self._item(queue.item_release(item_id=item_id, officer=_actor(request)))
        )

    @extend_schema(
        request=ClaimNextInput,
        responses={200: ItemOutput, 204: OpenApiResponse(description="Nothing left to claim.")},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=False, methods=["post"], url_path="claim-next")
    def claim_next(self, request: Request) -> Response:
        """Claim the most urgent, oldest unclaimed item (optionally filtered); 204 when none is left."""

        def call(data: dict[str, Any]) -> Response:
            item = queue.item_claim_next(officer=_actor(request), filters=QueueFilters(**data))
            return self._item(item) if item is not None else Response(status=status.HTTP_204_NO_CONTENT)

        return self._run(request, ClaimNextInput, call)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def hide(self, request: Request, pk: str | None = None) -> Response:
        """Hide on the platform (GP014 2.5); 202: the platform call runs after the response."""
        return self._act(request, "hide", ActInput)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def unhide(self, request: Request, pk: str | None = None) -> Response:
        """Make a hidden item visible again."""
        return self._act(request, "unhide", ActInput)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"], url_path="delete")
    def delete_item(self, request: Request, pk: str | None = None) -> Response:
        """Delete on the platform (GP014 2.5)."""
        # Not named `delete`: APIView would route HTTP DELETE on /items/{id}/ to it.
        return self._act(request, "delete", ActInput)

    @_act_schema(ReplyInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        """Reply publicly, e.g. signposting to direct contact (GP014 2.4)."""
        return self._act(request, "reply", ReplyInput)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def block(self, request: Request, pk: str | None = None) -> Response:
        """Block or ban the item's author on this channel (GP014 2.5)."""
        return self._act(request, "block", ActInput)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def unblock(self, request: Request, pk: str | None = None) -> Response:
        """Lift the author's block on this channel."""
        return self._act(request, "unblock", ActInput)

    @_act_schema(ActInput, ActionOutput, 202)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        """Record that the item was reported to the platform (done in its own app)."""
        return self._act(request, "report", ActInput)

    @_act_schema(DismissInput, ItemOutput)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """A false flag: resolve with no breach (kept as a label for evaluation)."""
        item_id = self._item_id()
        return self._run(
            request,
            DismissInput,
            lambda d: self._item(
                queue.item_dismiss(item_id=item_id, actor=_actor(request), reason=d["reason"])
            ),
        )

    @_act_schema(EscalateInput, ItemOutput)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        """Hand the item to a Lead."""
        item_id = self._item_id()
        return self._run(
            request,
            EscalateInput,
            lambda d: self._item(queue.item_escalate(item_id=item_id, actor=_actor(request), note=d["note"])),
        )

    @_act_schema(ResolveInput, ItemOutput)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        """Close the item with an outcome decided off-platform (e.g. signposted by phone)."""
        item_id = self._item_id()
        return self._run(
            request,
            ResolveInput,
            lambda d: self._item(
                queue.item_resolve(item_id=item_id, actor=_actor(request), outcome=d["outcome"])
            ),
        )

    @_act_schema(NoteInput, AuditEventOutput, 201)
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """Add a note to the item's audit trail."""
        item_id = self._item_id()
        return self._run(
            request,
            NoteInput,
            lambda d: Response(
                AuditEventOutput(
                    queue.item_note(item_id=item_id, actor=_actor(request), text=d["text"])
                ).data,
                status=status.HTTP_201_CREATED,
            ),
        )


class ActionViewSet(
    ConditionalRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Platform actions and their status (pending, sending, sent, confirmed, failed, needs_check)."""

    api_permissions = {"list": "moderation.view_action", "retrieve": "moderation.view_action"}
    api_permission = "moderation.work_queue"
    serializer_class = ActionOutput
    pagination_class = CreatedCursor
    filterset_class = ActionFilter

    def get_queryset(self) -> Any:
        return selectors.action_list()

    @extend_schema(
        request=ActionCreateInput,
        responses={202: ActionOutput, 404: OpenApiResponse(description="No such item.")},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """An officer decision on an item: the same as POST /items/{id}/{kind}/."""

        def handler() -> Response:
            data = ActionCreateInput(data=request.data)
            data.is_valid(raise_exception=True)
            item = data.validated_data["item"]
            if not Item.objects.filter(pk=item).exists():
                raise Item.DoesNotExist(f"No item {item}.")
            result = queue.item_act(
                item_id=item,
                actor=_actor(request),
                kind=data.validated_data["kind"],
                clause=data.validated_data["clause"],
                text=data.validated_data["text"],
                idempotency_key=service_key(request),
            )
            return Response(ActionOutput(result).data, status=status.HTTP_202_ACCEPTED)

        return idempotent(handler, request)
