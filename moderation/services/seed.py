"""Seed the organisation named in policy GP014: officers, channels, office hours.

Idempotent: running it twice changes nothing the first run set, and never
overwrites a password or anything a Lead has since edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import User
from accounts.roles import LEAD, OFFICER, roles_sync
from moderation.models import CannedReply, Channel, OfficeHours, Platform
from moderation.services.audit import audit_record

OFFICERS = (
    # GP014 §1.1: Lauren Eden is responsible; Hayley Lambert and Kathryn Rowland support.
    ("lauren.eden", "Lauren", "Eden", "External Communications Advisor", LEAD),
    ("hayley.lambert", "Hayley", "Lambert", "Communications Manager", LEAD),
    ("kathryn.rowland", "Kathryn", "Rowland", "Internal Communications Advisor", OFFICER),
)

HOUSING_PARTNERSHIP = "Havebury Housing Partnership"
CHANNELS = (
    # GP014 §2.1; Instagram is named in 2.1's purpose statement.
    (Platform.X, "@Havebury", "Havebury"),
    (Platform.FACEBOOK, "HaveburyHousing", HOUSING_PARTNERSHIP),
    (Platform.INSTAGRAM, "haveburyhousing", HOUSING_PARTNERSHIP),
    (Platform.YOUTUBE, "@HaveburyHousingPartnership", HOUSING_PARTNERSHIP),
    (Platform.LINKEDIN, "havebury-housing-partnership", HOUSING_PARTNERSHIP),
)

CANNED_REPLIES = (
    (
        "Repairs: please contact us directly",
        "Thanks for letting us know. So we can get this sorted, please report the repair to our "
        "customer services team by phone or through your online account, and we'll book it in.",
        "repair",
    ),
    (
        "Complaint: take it offline",
        "We're sorry to hear this. We'd like to look into it properly: please send us a direct "
        "message with your address and contact details and we'll log it as a complaint.",
        "complaint",
    ),
    (
        "Personal matter: direct contact",
        "Thanks for getting in touch. To protect your privacy, please don't share personal details "
        "here. Send us a direct message or call us and we'll help.",
        "personal_issue",
    ),
)


@dataclass
class SeedResult:
    users_created: list[User] = field(default_factory=list)
    users_existing: list[User] = field(default_factory=list)
    channels_created: int = 0
    office_hours_created: int = 0
    canned_created: int = 0


def havebury_seed(*, password: str | None = None) -> SeedResult:
    """Create what is missing. A password is set only on users created by this run."""
    result = SeedResult()
    with transaction.atomic():
        groups = roles_sync()
        for username, first, last, title, role in OFFICERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "email": f"{username}@havebury.com",
                    "is_staff": role == LEAD,
                },
            )
            if created:
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
                user.groups.add(groups[role])
                audit_record(actor=None, verb="user.seeded", target=user, detail={"role": role})
                result.users_created.append(user)
            else:
                result.users_existing.append(user)
        for platform, handle, name in CHANNELS:
            channel, created = Channel.objects.get_or_create(
                platform=platform, handle=handle, defaults={"display_name": name}
            )
            if created:
                audit_record(actor=None, verb="channel.seeded", target=channel)
                result.channels_created += 1
        for weekday in range(7):
            opens, closes = (dt.time(9), dt.time(17)) if weekday < 5 else (None, None)
            _, created = OfficeHours.objects.get_or_create(
                weekday=weekday, defaults={"opens": opens, "closes": closes}
            )
            result.office_hours_created += int(created)
        for title, body, route in CANNED_REPLIES:
            _, created = CannedReply.objects.get_or_create(
                title=title, defaults={"body": body, "route": route}
            )
            result.canned_created += int(created)
    return result
