"""The kinds of cue: what a phrase near a number, a name or an address says it is."""

from __future__ import annotations

from enum import StrEnum


class Cue(StrEnum):
    CARD = "card"
    CVV = "cvv"
    EXPIRY = "expiry"
    SSN = "ssn"
    LAST_DIGITS = "last_digits"  # "ending in": the end of a card or account
    LAST_FOUR = "last_four"  # "last four": of the social, unless a card or account is named
    PART = "part"  # "first three", "middle two": a piece of the number named before it
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


# How the last digits of a number are said to follow: "card ending in 1111".
ENDING = ("ending in", "ends in", "ending with", "ends with")
