"""factory-boy factories (docs/architecture.md §7)."""

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import LEAD, OFFICER, VIEWER, roles_sync
from moderation.models import Action, Author, Channel, Flag, Item, Platform


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@havebury.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(roles_sync()[extracted])
        if create:
            self.save()


def officer(**kwargs):
    return UserFactory(role=OFFICER, **kwargs)


def lead(**kwargs):
    return UserFactory(role=LEAD, **kwargs)


def viewer(**kwargs):
    return UserFactory(role=VIEWER, **kwargs)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    platform = Platform.FACEBOOK
    handle = factory.Sequence(lambda n: f"page{n}")
    display_name = "Havebury Housing Partnership"

    class Params:
        # Has tokens, as after Connect; webhooks for a channel without them are ignored.
        connected = factory.Trait(credentials={"access_token": "test-page-token"})


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    platform = Platform.FACEBOOK
    platform_user_id = factory.Sequence(lambda n: f"72819304{n:05d}")
    handle = factory.Sequence(lambda n: f"tenant{n}")
    display_name = factory.Sequence(lambda n: f"Tenant {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    channel = factory.SubFactory(ChannelFactory)
    platform_id = factory.Sequence(lambda n: f"1029384756_{n:010d}")
    author = factory.SubFactory(AuthorFactory, platform=factory.SelfAttribute("..channel.platform"))
    text = "Is the community hall open on Saturday?"
    created_on_platform = factory.LazyFunction(timezone.now)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    item = factory.SubFactory(ItemFactory)
    category = "profanity"
    clause = "2.3"
    evidence = "bloody"
    score = 0.9
    source = "rule:profanity"
    explanation = "Uses foul language, which GP014 2.3 does not allow on our pages."
    policy_version = "GP014/2022-04"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    item = factory.SubFactory(ItemFactory)
    channel = factory.SelfAttribute("item.channel")
    kind = "hide"
    idempotency_key = factory.Sequence(lambda n: f"test-action-{n}")
