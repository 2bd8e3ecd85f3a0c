"""Phrases that say a number near them is no PII: an order, a ticket or a plan's number,
an amount of money, and everyday phrases that hide a cue word ("on the account")."""

from __future__ import annotations

from redaction.cue import ENDING, Cue

NOT_PII_CUES: dict[Cue, tuple[str, ...]] = {
    Cue.NEGATIVE: (
        # a court case named by its number: "im a party in case too oh won nine" (not the
        # "in case" of "in case the weather turns")
        *(
            f"{who} in case"
            for who in ("party", "parties", "defendant", "plaintiff", "witness", "petitioner")
        ),
        # a count or an amount is asked for
        "how many",
        "how much",
        "order",
        "order number",
        # (whose number it still is: "what was your last order number")
        *(f"{which} order number" for which in ("last", "previous", "prior", "earlier")),
        "on the order number",
        "on your order number",
        "for the order number",
        "ticket",
        "ticket number",
        # a test kit's number: "dropped off a well sample on monday kit four four nine two"
        "kit",
        "kit number",
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
        # "i got quote four four one nine for the rods": the firm's quote, by its number
        # (not "a text with the quote", said after a number is asked for)
        "got quote",
        "have quote",
        "on quote",
        "plan",
        "model",
        "model number",
        "serial",
        "serial number",
        # a vehicle's or a part's number: "the VIN ends in 8821"
        "vin",
        "vin number",
        "v i n",
        "vehicle identification number",
        "stock number",
        "part number",
        # what the last digits belong to, said first: not "ending in" a social's digits
        *(f"{thing} {ends}" for thing in ("vin", "serial") for ends in ENDING),
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
        "receipt number",
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
        "fare card",
        "transit card",
        "library card",
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
        # freight, fleets and permits: a load's, a truck's or a case's number
        "juror",
        "juror number",
        "statement number",
        "entry number",
        "parcel",
        "parcel number",
        "apn",
        "load",
        "load number",
        "truck number",
        "trailer number",
        "usdot",
        "dot number",
        "mc number",
        "pro number",
        "permit number",
        "docket number",
        "work order",
        "purchase order",
        "po number",
        "job number",
        "quote number",
        # a ticket's seat, a bus's route or gate, a court's citation
        "row",
        "seat",
        "seats",
        "section",
        "route",
        "gate number",
        "citation",
        "citation number",
        # a lens power or a measure below zero: "minus four twenty five"
        "minus",
    ),
    Cue.MONEY: (
        # "deposit is won hundred"; not "direct deposit", which an account follows
        "deposit is",
        "the deposit",
        "deductible",
        "copay",
        "co-pay",
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
        # "the weekly rate is too ten"; not any "rate" ("at the rush rate ... call me at")
        "rate is",
        "rates are",
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
        # an earlier order spoken of, not its number: "same phone n email as last order"
        *(f"{which} order" for which in ("last", "previous", "prior", "earlier")),
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
        # a number asked for to find a record: "your phone number to find the ticket"
        *(
            f"{look} {whose} {record}"
            for look in ("find", "look up", "pull up", "bring up", "locate")
            for whose in ("the", "your", "my")
            for record in ("ticket", "order", "case", "claim", "invoice", "reservation")
        ),
        # a record looked up by what is asked next: "to pull up the account, what's your
        # birth date" asks for the birth date, not the account's number
        *(
            f"{look} {whose} {record}"
            for look in ("find", "look up", "pull up", "bring up", "locate", "access", "open")
            for whose in ("the", "your")
            for record in ("account", "acct", "file", "profile", "record", "records")
        ),
        # what a number is written on: "fix my social on the form"
        *(
            f"{on} {whose} {paper}"
            for on in ("on", "in")
            for whose in ("the", "my", "your")
            for paper in ("form", "forms", "notice")
        ),
        # everyday phrases around a word that otherwise marks a number as not PII
        # (when, not which pass: "the lockout code this season is ...")
        *(f"{which} season" for which in ("this", "next", "last", "the whole", "all")),
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
        # how something is done, not the number asked: "i can take it over the phone"
        "over the phone",
        "on the phone",
        "by phone",
    ),
}
