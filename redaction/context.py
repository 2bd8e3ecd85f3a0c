"""Context cues: the words around a number that say what it is ("security code", "born").

A cue is a phrase from the lexicon below found in the tokens. `find_cues` finds them;
`Transcript.cues_near` (in transcript.py) orders them by distance from a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from redaction.spoken import ORDINALS, Kind, Token


class Cue(StrEnum):
    CARD = "card"
    CVV = "cvv"
    EXPIRY = "expiry"
    SSN = "ssn"
    LAST_DIGITS = "last_digits"  # "ending in": the end of a card or account
    LAST_FOUR = "last_four"  # "last four": of the social, unless a card or account is named
    ACCOUNT = "account"
    ROUTING = "routing"
    PIN = "pin"
    PHONE = "phone"
    NUMBER = "number"  # "number", "digits": a number of some kind
    CODE = "code"  # "code" alone: after a card, its security code
    DOB = "dob"
    ADDRESS = "address"
    ZIP = "zip"
    NAME = "name"
    EMAIL = "email"
    NEGATIVE = "negative"  # order, ticket, plan...: the number is not PII
    MONEY = "money"  # price, charge, balance: an amount, never a number of 12 digits or more
    NEUTRAL = "neutral"  # a phrase that hides a cue word inside it ("on the account")


_LEXICON: dict[Cue, tuple[str, ...]] = {
    Cue.CARD: (
        "card",
        "card number",
        "credit card",
        "debit card",
        "credit",
        "debit",
        "visa",
        "mastercard",
        "master card",
        "amex",
        "american express",
        "discover card",
        # "discover" is a verb too: the card only as a noun
        "its discover",
        "it's discover",
        "my discover",
        "the discover",
        "a discover",
        "discover ending",
        "discover number",
        "discover is",
        "number on the card",
        "numbers on the card",
        "long number",
        "cc",
        # paying by card, the number next ("on the card" alone is neutral: the name on it)
        "put it on the card",
        "put it on my card",
        "put it on a card",
        "on the card its",
        "on the card it's",
    ),
    Cue.CVV: (
        "security code",
        "security number",
        "cvv",
        "cvv2",
        "cvc",
        # spelled as recognisers write it
        "c v v",
        "see v v",
        "c v c",
        "see v c",
        "cid",
        "csc",
        "three digits on the back",
        "three digit code",
        "3 digit code",
        "digits on the back",
        "numbers on the back",
        "number on the back",
        "code on the back",
        "on the back",
        "back of the card",
        "card verification",
        "verification code",
        "verification number",
        "three on the back",
        "the back is",
        "back is",
        "back says",
        "the back says",
        "code on the front",
        "digits on the front",
        "four on the front",
        "by the signature",
        "next to the signature",
        "signature strip",
        "four digit code",
        "4 digit code",
        "code on the front",
        "front code",
        "digits on the front",
        # asked with the expiry: "expiration and the three digit", "... and security"
        "the three digit",
        "and security",
        "and the security",
    ),
    Cue.EXPIRY: (
        "expires",
        "expire",
        "expired",
        "expiry",
        "expiration",
        "expiration date",
        "expiry date",
        "exp",
        "exp date",
        "valid through",
        "valid thru",
        "good through",
        "good thru",
        "valid until",
        "valid till",
        "good until",
        "good till",
        "runs out",
        "expiring",
    ),
    Cue.SSN: (
        "social security",
        "social security number",
        "social",
        "ssn",
        "s s n",
        "tax id",
        "taxpayer id",
        "itin",
        # a credit check runs on the social, not on a card
        "credit check",
        "credit pull",
    ),
    Cue.LAST_FOUR: (
        "last four",
        "last 4",
        "last four digits",
        "last 4 digits",
        "last for",
        "final four",
        "final 4",
        "final four digits",
    ),
    Cue.LAST_DIGITS: (
        "ending in",
        "ends in",
        "ending with",
        "ends with",
        "card ending in",
        "card ending",
        # the g dropped, as noisy recognisers write it
        "endin in",
        "endin with",
    ),
    Cue.ACCOUNT: (
        "account number",
        "account",
        "acct",
        "checking",
        "checking account",
        "savings",
        "savings account",
        "bank account",
        "account no",
        # read off a check: the routing number, then the account number
        "on the check",
        "on my check",
        "of the check",
        "bottom of the check",
        "off the check",
        "from the check",
        "direct deposit",
    ),
    Cue.ROUTING: ("routing", "routing number", "aba", "transit number", "routing and transit"),
    Cue.PIN: (
        "pin",
        "pins",
        "pin number",
        "personal identification number",
        "passcode",
        "passcodes",
        "pass code",
        "security pin",
        "pin code",
        "password",
        "passwords",
        "verbal password",
        "access code",
        "unlock code",
        "lock code",
        "padlock code",
        "safe code",
        "combination",
        "combo",
        "lock combo",
        # a code that opens a door, a gate or a box is said like a PIN and as secret
        "drop box code",
        "dropbox code",
        "box code",
        "locker code",
        "fob code",
        "door code",
        "gate code",
        "garage code",
        "lockbox code",
        "lock box code",
        "lockbox",
        "lock box",
        "key safe",
        "keysafe",
        "key box",
        "keypad",
        "alarm code",
        "entry code",
        "keypad code",
        "buzzer code",
        "buzzer number",
        "intercom code",
        "lobby code",
        "code to get in",
        "code to get into",
        "code for the door",
        "code for the gate",
        "code for the lobby",
        "code for the building",
        "code to the door",
        "code to the gate",
        "code to the lobby",
        "code to the building",
        "key code",
        "building code",
        "pickup code",
        "pick up code",
        "set it to",
        "changed it to",
        "change it to",
        "reset it to",
    ),
    Cue.PHONE: (
        "phone",
        "phone number",
        "telephone",
        "cell",
        "cellphone",
        "cell phone",
        "mobile",
        "mobile number",
        "callback",
        "call back",
        "call you back",
        "call me back",
        "call me",
        "call me at",
        "reach you",
        "reach me",
        "reach u",
        "reach her",
        "reach him",
        "reach them",
        "call her at",
        "call him at",
        "call them at",
        "call us at",
        "call u",
        "text her",
        "text him",
        "best number",
        "contact number",
        "home number",
        "work number",
        "area code",
        "text me",
        "a text",
        "text you",
        "text message",
        "fax",
        "landline",
        "my number",
        "your number",
        "good number",
        "a number to reach",
    ),
    Cue.NUMBER: ("number", "numbers", "digits"),
    Cue.CODE: ("code", "the code", "code is"),
    Cue.DOB: (
        "date of birth",
        "birth date",
        "birthdate",
        "born",
        "birthday",
        "birthdays",
        "dates of birth",
        "birth dates",
        "birthdates",
        "dob",
        "d o b",
        "year of birth",
        # as recognisers write it
        "date a birth",
        "date o birth",
        "dates a birth",
        "date a births",
        "date of births",
        "day of birth",
        "birth day",
    ),
    Cue.ADDRESS: (
        "address",
        "street address",
        "mailing address",
        "billing address",
        "home address",
        "live at",
        "i live on",
        "moved to",
        "ship it to",
        "mail it to",
        "shipping address",
        "delivery address",
        "service address",
        "where do you live",
        "where you live",
        "where are you located",
        "where do you reside",
        "ship to",
        "deliver to",
        "delivered to",
    ),
    Cue.ZIP: ("zip", "zip code", "zipcode", "postal code", "postcode", "post code"),
    Cue.NAME: (
        "name",
        "names",
        "my name",
        "name is",
        "first name",
        "last name",
        "full name",
        "spell",
        "spelled",
        "spelling",
        "speaking with",
        "speaking to",
        "account holder",
        "cardholder",
        "card holder",
        "name on the card",
        "name on the account",
        "who is calling",
        "who's calling",
        # "who's the listing agent": a person is asked for
        "who's the",
        "who is the",
        "whos the",
    ),
    Cue.EMAIL: ("email", "e mail", "email address", "e mail address"),
    Cue.NEGATIVE: (
        # a count or an amount is asked for
        "how many",
        "how much",
        "order",
        "order number",
        "on the order number",
        "on your order number",
        "for the order number",
        "ticket",
        "ticket number",
        "case",
        "case number",
        "confirmation",
        "confirmation number",
        "confirmation code",
        "reference",
        "reference number",
        "tracking",
        "tracking number",
        "invoice",
        "invoice number",
        "plan",
        "model",
        "model number",
        "serial",
        "serial number",
        "version",
        "room",
        "flight",
        "page",
        "step",
        "item",
        "sku",
        "promo",
        "promo code",
        "error code",
        "discount code",
        "product code",
        "group code",
        "coupon",
        "extension",
        "ext",
        "channel",
        "option",
        "press",
        "receipt",
        "transaction",
        "meter",
        "meter reading",
        "usage",
        "policy number",
        "claim number",
        "member id",
        "gift card",
        "insurance card",
        "member card",
        "id card",
        "sim card",
        "card number ending",
        "version number",
        "level",
        "size",
        "episode",
        "season",
        "score",
        "temperature",
        "speed",
        "store",
        "store number",
        "branch number",
        "employee id",
        "employee number",
        "agent id",
        "badge number",
        "rx",
        "rx number",
        "cancellation number",
        "cancellation code",
        "reservation number",
        "booking number",
        "donor id",
        "donor number",
        "reference code",
        "zip codes",
        "claim",
        "claim #",
        "prescription",
        "prescription number",
        "refill",
        "notice",
        "form",
        "flight number",
    ),
    Cue.MONEY: (
        "balance",
        "total",
        "amount",
        "owe",
        "price",
        "cost",
        "costs",
        "charge",
        "fee",
        "payment of",
    ),
    Cue.NEUTRAL: (
        "credit union",
        "on the account",
        "on your account",
        "on my account",
        "on the card",
        "on file",
        "same number",
        # a number asked for "on the order" or "for the confirmation" is not the order's
        "on the order",
        "on your order",
        "on my order",
        "for the order",
        "for your order",
        "with the order",
        "for the confirmation",
        "for confirmation",
        "on the ticket",
        "on the reservation",
        "for the reservation",
        "on the claim",
        "on the policy",
        "on your policy",
        "on the plan",
        "on your plan",
        # everyday phrases around a word that otherwise marks a number as not PII
        "in case",
        "just in case",
        "in any case",
        "in that case",
        "in which case",
        "in order",
        "in order to",
        "plan to",
        "planning to",
        "same page",
        "next step",
    ),
}

# phrase (as a tuple of words) -> cue, and the longest phrase length
_PHRASES: dict[tuple[str, ...], Cue] = {}
for _cue, _phrases in _LEXICON.items():
    for _phrase in _phrases:
        _PHRASES[tuple(_phrase.split())] = _cue
_MAX_LEN = max(len(p) for p in _PHRASES)
_FIRST_WORDS = frozenset(p[0] for p in _PHRASES)

# Cues that say a number's type; the others only steer.
DIGIT_CUES = frozenset(
    {
        Cue.CARD,
        Cue.CVV,
        Cue.EXPIRY,
        Cue.SSN,
        Cue.LAST_DIGITS,
        Cue.LAST_FOUR,
        Cue.ACCOUNT,
        Cue.ROUTING,
        Cue.PIN,
        Cue.PHONE,
        Cue.NUMBER,
        Cue.CODE,
        Cue.DOB,
        Cue.ADDRESS,
        Cue.ZIP,
        Cue.NEGATIVE,
        Cue.MONEY,
    }
)


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    first: int  # token indices, inclusive
    last: int


def find_cues(tokens: list[Token]) -> list[CueMatch]:
    """Lexicon phrases in `tokens`, longest match first, never across a line break.

    Punctuation inside a phrase is skipped ("e-mail", "d.o.b.")."""
    words: list[tuple[str, int]] = []  # (lower word, token index) of the current line
    out: list[CueMatch] = []

    def scan() -> None:
        i = 0
        while i < len(words):
            w = words[i][0]
            if w not in _FIRST_WORDS:
                i += 1
                continue
            for size in range(min(_MAX_LEN, len(words) - i), 0, -1):
                key = tuple(word for word, _ in words[i : i + size])
                cue = _PHRASES.get(key)
                if cue is not None:
                    out.append(CueMatch(cue, words[i][1], words[i + size - 1][1]))
                    i += size
                    break
            else:
                i += 1

    for index, tok in enumerate(tokens):
        if tok.kind == Kind.NEWLINE:
            scan()
            words.clear()
        elif tok.kind in (Kind.WORD, Kind.DIGITS):
            word = tok.lower.replace("’", "'")
            if word.endswith("'s") and word not in ("it's", "that's", "what's", "who's"):
                word = word[:-2]  # "my pin's 1234", "the card's number"
            elif (
                word[:-1] in _NOUNS_BEFORE_IS
                and word.endswith("s")
                and _number_next(tokens, index)
                and not (words and words[-1][0] in _PLURAL_BEFORE)
            ):
                word = word[:-1]  # "gate codes six double ate won": "code's" without "'"
            words.append((word, index))
    scan()
    return [m for m in out if not _birthday_party(tokens, m)]


# Cue nouns a recogniser may write with the "'s" of "is" as a bare "s" ("gate codes 4 4
# 1 9"), read as the noun when a number comes next.
_NOUNS_BEFORE_IS = frozenset({"code", "pin", "zip", "social", "combo", "passcode", "password"})


# Words before "codes" that make it a plural ("zip codes 53045 and 53046").
_PLURAL_BEFORE = frozenset({"zip", "area", "postal", "promo", "discount", "error"})


def _number_next(tokens: list[Token], index: int) -> bool:
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    return nxt is not None and (nxt.kind == Kind.DIGITS or nxt.lower in _DIGIT_WORDS)


_DIGIT_WORDS = frozenset(
    """zero oh one two three four five six seven eight nine won too to for fore ate
    double triple""".split()
)


# Ordinals past the ones every number reader knows, said before "birthday".
_ROUND_BIRTHDAYS = frozenset(
    "fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth".split()
)


def _birthday_party(tokens: list[Token], match: CueMatch) -> bool:
    """ "my son's 9th birthday on Sunday, February 16th", "her fortieth birthday": a
    birthday to celebrate, whose date is no one's date of birth."""
    if match.cue != Cue.DOB or match.first == 0:
        return False
    before = tokens[match.first - 1]
    return (
        before.kind == Kind.ORDINAL or before.lower in ORDINALS or before.lower in _ROUND_BIRTHDAYS
    )


def cue_words() -> frozenset[str]:
    """Every word of a cue phrase that says what a number is ("expiry", "routing")."""
    return frozenset(
        word
        for cue, phrases in _LEXICON.items()
        if cue in DIGIT_CUES and cue not in (Cue.NEGATIVE, Cue.MONEY)
        for phrase in phrases
        for word in phrase.split()
        if len(word) > 2
    )
