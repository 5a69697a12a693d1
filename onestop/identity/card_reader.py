"""The card reader of hall kiosks and windows (一卡): what a reader hands over, and the
simulator used wherever there is no hardware.

A real reader's driver turns a card into text (the chip of a resident ID card holds the ID
number; a social-security card's magnetic stripe or chip holds its card number) and a
`CardReader` turns that text into a `CardRead`. The one in use is named by
`settings.ONESTOP_CARD_READER` (a dotted path to a class with no constructor arguments).

`SimulatedCardReader` takes what a person types: a resident ID number (18 characters, or the
old 15-digit form, converted), or a social-security card number (9 to 12 digits and capital
letters, at least one digit; see `onestop.identity.values`). Anything else is unreadable.
A name in Chinese characters typed beside the number stands for the name a card's chip holds
("440106199003071231 王小明").

A read also says what the chip tells of its holder, where the card holds it: the name, and
for a social-security card the holder's resident ID number. That is what registers a person
the hall sees for the first time (`person_from_card`).
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from onestop.core.errors import DomainError
from onestop.core.ids import normalize_resident_id
from onestop.identity.enums import ErrorCode
from onestop.identity.values import SOCIAL_SECURITY_NO

CardKind = Literal["resident_id", "social_security"]
RESIDENT_ID: CardKind = "resident_id"
SOCIAL_SECURITY: CardKind = "social_security"
RAW_MAX_LENGTH = 64


@dataclass(frozen=True)
class CardRead:
    kind: CardKind
    number: str
    # What the chip says of its holder, when the reader hands it over ("" when not).
    name: str = ""
    holder_id_number: str = ""

    @property
    def resident_id(self) -> str:
        """The holder's resident ID number, if the card tells it."""
        return self.number if self.kind == RESIDENT_ID else self.holder_id_number


def card_unreadable(message: str = "", **params: Any) -> DomainError:
    return DomainError(
        ErrorCode.CARD_UNREADABLE,
        message or _("The card could not be read. Try again, or ask at a window."),
        **params,
    )


class CardReader(ABC):
    @abstractmethod
    def read(self, raw: str) -> CardRead:
        """The card's kind and normalised number; raises card_unreadable."""


# Chinese characters (and the middle dot of transliterated names) typed beside a number.
_NAME_CHARS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff·]+")


class SimulatedCardReader(CardReader):
    def read(self, raw: str) -> CardRead:
        folded = unicodedata.normalize("NFKC", raw or "")[:RAW_MAX_LENGTH]
        name = "".join(_NAME_CHARS.findall(folded))
        text = "".join(_NAME_CHARS.sub(" ", folded).replace(",", " ").split()).upper()
        if not text:
            raise card_unreadable(_("Nothing was read. Place the card on the reader."))
        if len(text) in (15, 18):
            try:
                return CardRead(RESIDENT_ID, normalize_resident_id(text), name=name)
            except DomainError as exc:
                # Say what is wrong with the number: a typed number is often one digit off.
                raise card_unreadable(exc.message, reason=exc.params.get("reason", "")) from exc
        if SOCIAL_SECURITY_NO.fullmatch(text):
            return CardRead(SOCIAL_SECURITY, text, name=name)
        raise card_unreadable(
            _(
                "This is neither a resident ID number (18 characters) nor a social-security "
                "card number (9 to 12 letters and digits)."
            )
        )


def card_reader() -> CardReader:
    reader = import_string(settings.ONESTOP_CARD_READER)()
    if not isinstance(reader, CardReader):
        raise TypeError(f"{settings.ONESTOP_CARD_READER} is not a CardReader")
    return reader
