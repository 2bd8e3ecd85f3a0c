"""What a digit run is: a card number, a code, a social, a phone number, or nothing.

A run is typed by its length, its checksums (Luhn, the ABA checksum), its grouping
(3-2-4, 3-3-4) and the cues said around it, nearest first: "security code" makes three
digits a CVV, "routing" nine digits that pass the ABA checksum a routing number, and a
stopping cue ("order number", "the last four of the card") makes the run nothing.
`redaction.numbers` decides which runs of a transcript to try; this module says what one
run is.
"""

from __future__ import annotations

from collections.abc import Sequence

from redaction.checksums import ROUTING_PREFIXES, aba_ok, issuer_prefix, luhn_ok, nanp_ok
from redaction.context import DIGIT_CUES, Cue
from redaction.digit_dates import (
    date_separated,
    numeric_date,
    numeric_expiry,
    numeric_month_day,
    plausible_birth_year,
    written_expiry,
)
from redaction.model import EntityType
from redaction.number_shapes import (
    Label,
    by_shape,
    card_begun,
    card_by_checksum,
    one_digit_said,
    toll_free,
    without_cue,
)
from redaction.spoken import DigitRun, Gap

E = EntityType

# Cues naming what "the last four" may belong to, other than the social.
_OWNED = frozenset({Cue.CARD, Cue.ACCOUNT, Cue.PHONE, Cue.ROUTING})
# What a number read in named pieces is, by the cue that asked for it.
_PIECE_OF = {
    Cue.SSN: E.US_SSN,
    Cue.CARD: E.CREDIT_CARD,
    Cue.PHONE: E.PHONE_NUMBER,
    Cue.ACCOUNT: E.BANK_ACCOUNT,
    Cue.ROUTING: E.BANK_ROUTING,
    Cue.PIN: E.PIN,
}


class _Stop(Exception):
    """A cue says the number is not PII (an order number, the last four of a card)."""


def _named_nearer(kinds: Sequence[Cue], cue: Cue, others: Sequence[Cue]) -> bool:
    """`cue` is among the cues, nearer than any of `others` (cues come nearest first)."""
    if cue not in kinds:
        return False
    return all(other not in kinds or kinds.index(cue) < kinds.index(other) for other in others)


def _digit_by_digit(run: DigitRun) -> bool:
    """Read one digit at a time, or as one digit string ("six one seven", "617"); not
    as a time or an amount ("5 30", "ten fifteen")."""
    return len(run.pieces) == 1 or all(len(p.digits) == 1 for p in run.pieces)


def _digit_then_pair(run: DigitRun) -> bool:
    """Said as one digit and a pair, in words ("nine twenty-five", "six fifty")."""
    said = [p.digits for p in run.pieces]
    return [len(d) for d in said] == [1, 2] and not any(p.written for p in run.pieces)


def _month_and_year_said(run: DigitRun) -> bool:
    """ "oh seven twenty six": a zero, a month's digit, then a two-digit year a card may
    have, said as words."""
    said = [p.digits for p in run.pieces]
    return (
        len(said) == 3
        and said[0] == "0"
        and said[1] != "0"
        and len(said[2]) == 2
        and not any(p.written for p in run.pieces)
        and numeric_expiry(run)
    )


def _round_in_words(run: DigitRun) -> bool:
    """One round number of thousands said in words ("four thousand"): how much of
    something, never a code or an account read out (a year may be: "two thousand"; a
    code may be "twenty one hundred")."""
    return len(run.pieces) == 1 and not run.pieces[0].written and run.digits.endswith("000")


def _area_and_exchange(run: DigitRun) -> bool:
    """Said as a phone number's first six digits are: a digit word at a time ("ate too
    three triple five" too), or two groups of three ("479 555"); not one string of six
    ("730425"), which codes are."""
    pieces = run.pieces
    return all(one_digit_said(p) and not p.written for p in pieces) or [
        len(p.digits) for p in pieces
    ] == [3, 3]


def _by_cue(
    cue: Cue,
    run: DigitRun,
    cues: list[Cue],
    open_end: bool,
    card_said: bool = True,
    distance: float = 0.0,
) -> Label | None:
    digits = run.digits
    n = len(digits)
    # The text ends inside the number: the rest may come in the next line (live).
    partial = open_end and n >= 3
    if cue == Cue.NEGATIVE:
        raise _Stop
    if cue == Cue.MONEY:
        if n >= 12:
            return None  # "charge 4005 ... for the balance": the card, not the amount
        raise _Stop
    if cue == Cue.CARD:
        if 13 <= n <= 19 and luhn_ok(digits):
            # grouped as cards print them (4-4-4-4, Amex 4-6-5), a run beats one that
            # passes Luhn by chance with the expiry's digits ("4929 1234 5678 9015, 11/30")
            if run.group_sizes() in ([4, 4, 4, 4], [4, 6, 5]):
                return Label(E.CREDIT_CARD, 0.96)
            # most cards have 15 or 16 digits: a digit more that passes Luhn by chance is
            # rather the next number's
            return Label(E.CREDIT_CARD, 0.95 if n in (15, 16) else 0.93)
        if partial and run.group_sizes() == [4, 6] and digits[:2] in ("34", "37"):
            return Label(E.CREDIT_CARD, 0.95)  # "It's an Amex, 3417 994496...": 4-6-5 begun
        if partial and distance < 1 and (6 <= n < 13 or n == 4) and issuer_prefix(digits):
            # "amex three seven won five three six ate won nine", the line ending there:
            # a card begun as its network issues them, named right before it, whatever
            # else the question asked for (a billing ZIP has as many digits), or its first
            # group broken off ("visa four three eight three no wait that one's expired"),
            # which no ZIP has
            return Label(E.CREDIT_CARD, 0.85)
        if toll_free(digits):
            return None  # "... or at one eight seven seven ...": the company's line
        if run.group_sizes() in ([4, 4, 4, 4], [4, 6, 5]):
            # grouped as cards print them, though its checksum fails: misread, or the
            # caller flipped two digits ("Oh, I flipped the end.")
            return Label(E.CREDIT_CARD, 0.85)
        if 12 <= n <= 19:
            return Label(E.CREDIT_CARD, 0.6)  # the ASR lost or misheard a digit
        # not a year said in pairs: "... wraps up in twenty twenty seven"
        year = n == 4 and len(run.pieces) == 2 and run.pieces[0].digits in ("19", "20")
        if 9 <= n < 12 or (partial and n < 9 and not year):
            return Label(E.CREDIT_CARD, 0.5)
        if n == 8 and run.group_sizes() == [4, 4]:
            return Label(E.CREDIT_CARD, 0.5)  # "5412 3721 um hang on": half the card
    elif cue == Cue.CVV:
        if n == 3:
            return Label(E.CVV, 0.9)
        if n == 4:
            # only American Express prints four; asked for the expiry and the code
            # together, "oh two thirty" or "03/29" is the expiry
            if Cue.EXPIRY in cues and numeric_expiry(run):
                return None
            if not card_said and Cue.EXPIRY not in cues:
                # "the four digit code we texted you", no card named in the lines read: a
                # code that opens something, kept secret like a PIN
                return Label(E.PIN, 0.75)
            return Label(E.CVV, 0.8)
    elif cue == Cue.EXPIRY:
        if numeric_expiry(run):
            return Label(E.EXPIRY, 0.9)
    elif cue == Cue.SSN:
        if n == 9:
            return Label(E.US_SSN, 0.95)
        if n == 4:
            return Label(E.US_SSN, 0.8)
        if partial and run.group_sizes() == [3, 2]:
            # "921-91..." and the line ends: a social's first two groups, as it is written
            # and said, its last four to come (whatever else was asked for before it)
            return Label(E.US_SSN, 0.9)
        if partial and n < 9 and distance <= 1 and run.pieces[0].gap != Gap.LINE:
            # "social is nine five five seven one four", the line ending there: the social
            # begun right after its name, whatever date its digits make so far
            return Label(E.US_SSN, 0.85)
        if n in (7, 8, 10) or (partial and n < 9):
            return Label(E.US_SSN, 0.5)
    elif cue in (Cue.LAST_DIGITS, Cue.LAST_FOUR):
        if n in (4, 9) and Cue.SSN in cues:
            return Label(E.US_SSN, 0.85)
        if n <= 4 and cues[0] == cue and Cue.PART in cues:
            # "first four 4532 next four ... last four 6412": the last piece
            return _by_cue(Cue.PART, run, cues, open_end, card_said)
        whole_or_begun = n == 4 or (open_end and n < 4)  # not "72 croissants"
        if whole_or_begun and cue == Cue.LAST_FOUR and not _OWNED.intersection(cues):
            # "the last four are 1120", asked of nothing else: a social, as callers are
            # verified by it; better hidden than leaked
            return Label(E.US_SSN, 0.8)
        if n <= 4:
            raise _Stop  # the last four of a card or account identify nobody
    elif cue == Cue.PART:
        # "first three 963 middle two 21": a piece of the number asked for before
        whole = next((c for c in cues if c in _PIECE_OF), None)
        if whole is not None and n <= 6:
            return Label(_PIECE_OF[whole], 0.8)
    elif cue == Cue.ACCOUNT:
        if n == 9 and aba_ok(digits) and digits[:2] in ROUTING_PREFIXES:
            # read off a check, the routing number comes first and passes its checksum
            return Label(E.BANK_ROUTING, 0.9)
        if 6 <= n <= 17:
            # named right before it ("checking, account 246199576"), whatever was asked
            # before; not where a routing number may come first ("routing then account:")
            named = distance < 1 and Cue.ROUTING not in cues
            return Label(E.BANK_ACCOUNT, 0.9 if named else 0.85)
        if partial and n < 6:
            # "... n account fore six fore nine", the line ending there: the account's
            # start when asked for nearest, whatever a social said before would make it
            return Label(E.BANK_ACCOUNT, 0.8 if n == 4 and cues[0] == Cue.ACCOUNT else 0.5)
    elif cue == Cue.ROUTING:
        if n == 9:
            # a number that fails the ABA checksum is rather the account said with it
            return Label(E.BANK_ROUTING, 0.95 if aba_ok(digits) else 0.75)
        if partial and n < 9 and digits[:2] in ROUTING_PREFIXES:
            # "routing is oh too too six six seven", the line ending there: the routing
            # number's start, the rest to come (asked for it, not the account that direct
            # deposit was asked for before; eight digits are rather a whole account)
            return Label(E.BANK_ROUTING, 0.85 if n <= 6 else 0.5)
        if 6 <= n <= 17:
            # routing numbers have nine digits: asked for the routing (or told where it
            # is on the check), a caller reading another length reads the account
            return Label(E.BANK_ACCOUNT, 0.6)
        if partial:
            return Label(E.BANK_ROUTING, 0.5)
    elif cue == Cue.PIN:
        if 4 <= n <= 6:
            return Label(E.PIN, 0.9)
        read_in_pieces = len(run.pieces) >= n // 2
        answered = len(run.pieces) == 1 and distance <= 1 and cues[0] == Cue.PIN
        if n in (7, 8) and (read_in_pieces or answered) and not date_separated(run):
            # some systems take PINs of up to eight digits, read out a digit or two at a
            # time, or written whole as the answer right after the PIN is named ("your
            # account PIN? / It's 23693821"), though not "loan AL-88213406" lines after
            # it; asked for nearest, surely one ("the main gate code is eight triple one
            # eight nine three")
            said_once = all(p.gap != Gap.LINE for p in run.pieces[1:])  # not two codes
            return Label(E.PIN, 0.85 if cues[0] == Cue.PIN and said_once else 0.75)
        if n == 3 and len(run.pieces) == 3 and not any(p.written for p in run.pieces):
            # "gate code is too six won um hold on": a code's start, or a short one, said
            # a digit word at a time (not "120 units", nor an offer's "2 for 1")
            return Label(E.PIN, 0.6)
    elif cue == Cue.PHONE:
        if n == 10 or (n == 11 and digits[0] == "1"):
            return Label(E.PHONE_NUMBER, 0.95)
        if n == 7:
            return Label(E.PHONE_NUMBER, 0.85)
        if partial and n == 6 and _area_and_exchange(run) and cues[0] == Cue.PHONE:
            # "my cell is four seven nine five five five", the line ending there: the
            # area code and the exchange, the last four to come in the next line (asked
            # for nearest: after "social", six digits are the social's start)
            return Label(E.PHONE_NUMBER, 0.9)
        # a digit lost, or the rest still to come
        # ("call me at 5 30" is too short; "it's six one seven" and the line ends is
        # the area code)
        if n in (8, 9) or (partial and 4 <= n < 10):
            return Label(E.PHONE_NUMBER, 0.5)
        named = distance <= 1 and cues[0] == Cue.PHONE
        if partial and n == 3 and digits[0] not in "01" and _digit_by_digit(run):
            # "... code triple nine n my cell is five seven ate", the line ending there:
            # the area code, named right before it, whatever code was asked for before
            return Label(E.PHONE_NUMBER, 0.85 if named else 0.5)
        if partial and n == 3 and digits[0] not in "01" and named and _digit_then_pair(run):
            # "my number is nine twenty-five," the line ending there: an area code said as
            # a digit and a pair
            return Label(E.PHONE_NUMBER, 0.85)
        if n >= 3 and len(run.pieces) == n and not (n in (15, 16) and luhn_ok(digits)):
            # the ASR garbled the rest ("free one two, time, time, one four seven"): what
            # survives of a number said digit by digit after a phone cue is still its part
            # (not a card's sixteen digits that pass its checksum)
            return Label(E.PHONE_NUMBER, 0.5)
    elif cue == Cue.NUMBER:
        if (n == 10 or (n == 11 and digits[0] == "1")) and nanp_ok(digits):
            return Label(E.PHONE_NUMBER, 0.85)
        if n == 9 and Cue.SSN in cues:
            # "you need my social" / "go ahead with the full number": the social's nine
            return Label(E.US_SSN, 0.8)
        said_singly = len(run.pieces) == n and not any(p.written for p in run.pieces)
        if partial and n == 6 and distance <= 1 and digits[0] not in "01":
            if run.group_sizes() == [3, 3]:
                # "The new number is three one six, 555...", the line ending there: an
                # area code and an exchange, grouped as phone numbers are read
                return Label(E.PHONE_NUMBER, 0.85)
        if partial and n == 3 and digits[0] not in "01" and distance <= 1 and said_singly:
            # "her number is ate won ate", the line ending there: an area code, the rest
            # to come in the next line
            return Label(E.PHONE_NUMBER, 0.5)
        if 13 <= n <= 19 and luhn_ok(digits):
            return Label(E.CREDIT_CARD, 0.9)
        if n == 7:
            return Label(E.PHONE_NUMBER, 0.6)
    elif cue == Cue.CODE:
        # "the key's in the lockbox by the pump house code six four nine seven": what the
        # code opens was named nearer than any card paid with earlier
        opens_something = _named_nearer(cues, Cue.PIN, (Cue.CARD, Cue.CVV, Cue.EXPIRY))
        carded = not opens_something and bool({Cue.CARD, Cue.CVV, Cue.EXPIRY}.intersection(cues))
        if n == 3:
            # "and the code is 233", after the expiry; with no card in sight, weaker than
            # a longer code it may be part of ("the gate code is 8 uh 6 1 8")
            return Label(E.CVV, 0.85 if carded else 0.55)
        # not "four thousand two hundred and fifty"; right after "code", pairs too
        # ("exp oh nine thirty code three too double six")
        one_by_one = (
            len(run.pieces) == n
            or (distance < 1 and all(len(p.digits) <= 2 for p in run.pieces))
            or (len(run.pieces) == 1 and run.pieces[0].written)  # "the code is 8949"
            # mostly single digits a few words after "code" ("the code on front is oh
            # double six ate"), not two pairs ("twenty twenty")
            or (
                distance <= _CODE_NAMED_NEAR
                and len(run.pieces) >= 3
                and all(len(p.digits) <= 2 for p in run.pieces)
            )
        )
        card_seen = bool({Cue.CARD, Cue.EXPIRY}.intersection(cues))
        if n == 4 and not opens_something and (Cue.CARD in cues or (card_seen and one_by_one)):
            # an Amex's four-digit code, after the card or its expiry ("expires february
            # twenty thirty code six zero nine two"; not an amount, "four thousand ..."):
            # surely one when named right before it ("... and the code's two four six
            # oh"), whatever social was asked for turns before
            return Label(E.CVV, 0.85 if distance < 1 else 0.7)
        one_line = all(p.gap != Gap.LINE for p in run.pieces)
        # five or six digits are no card's code, even where a card was just paid with,
        # named nearest ("CVV 837." / "The new code for the lower pasture gate is 81711";
        # not "code 031." / "The certificate number is GC-20418")
        gate_code = n in (5, 6) and cues[0] == Cue.CODE
        if (not carded or gate_code) and 4 <= n <= 8 and (n <= 6 or one_line):
            # "the code is 8152", "the code is fore five nine ate five ate too" (a long one
            # in one breath), no card in sight: a code that opens something (a lockbox, a
            # gate, a locker), which a caller keeps secret like a PIN; named right before
            # it, whatever an older question asked ("the last four of your social" / "is
            # there a gate" / "yeah the code is four seven one five")
            return Label(E.PIN, 0.8 if distance <= 1 else 0.6)
        if distance <= 1 and Cue.CARD not in cues and (5 <= n <= 6 or (n == 4 and not one_by_one)):
            # "The barn gate has a code, 4 triple 5.", a card's expiry asked for lines
            # before: named right before it, five or six digits no card's code has, or four
            # said as no card's code is read ("triple five")
            return Label(E.PIN, 0.6)
    elif cue == Cue.DOB:
        if numeric_date(run) is not None:
            # "5 5 1 2" may be a date, but a short one is a weak reading ("5/3/92",
            # written as a date, is not)
            written_date = date_separated(run) and len(run.pieces) == 3
            # "... and i was born six nine fifty five": named right before it, whatever
            # the last four asked for before
            # said as a month, a day and a year ("seven five ninety nine") where a birth
            # date is the nearest thing asked for, the second of two answers too
            sure = (
                n > 4 or written_date or (len(run.pieces) == 3 and (distance < 1 or cues[0] == cue))
            )
            return Label(E.DATE_OF_BIRTH, 0.9 if sure else 0.7)
        if n == 4 and plausible_birth_year(int(digits)):
            return Label(E.DATE_OF_BIRTH, 0.7)
        if numeric_month_day(run) and distance <= _MONTH_DAY_REACH:
            # a month and day with no year is a birth date only when asked for near it,
            # not a time said well after a birth date was given ("born sept seventeenth
            # ninety ... shift is seven to three thirty")
            return Label(E.DATE_OF_BIRTH, 0.8)
        if _garbled_date(run):
            return Label(E.DATE_OF_BIRTH, 0.75)
    elif cue in (Cue.ZIP, Cue.ADDRESS):
        last = run.pieces[-1]
        if last.digits.endswith("000") and not last.written:
            return None  # "the sixty thousand grain unit": a size, no ZIP code said
        if n in (5, 9):
            return Label(E.ADDRESS, 0.8)
    return None


def _garbled_date(run: DigitRun) -> bool:
    """Said like a month, a day and a year, though no valid date ("13 45 1980", "oh seven
    forty two, seventy two"): the recogniser misheard a digit of a birth date."""
    pieces = run.pieces
    return (
        5 <= len(run.digits) <= 8
        and len(pieces) >= 3
        and len(pieces[0].digits) <= 2
        and len(pieces[-1].digits) in (2, 4)
    )


def _checked(run: DigitRun, kinds: list[Cue]) -> Label | None:
    """A routing or card number that its checksum vouches for, asked for by one of
    `kinds`: what the run is even where a stopping cue stands nearer."""
    digits = run.digits
    if (
        Cue.ROUTING in kinds
        and len(digits) == 9
        and aba_ok(digits)
        and digits[:2] in ROUTING_PREFIXES
    ):
        return Label(E.BANK_ROUTING, 0.8)
    if Cue.CARD in kinds and 15 <= len(digits) <= 16 and luhn_ok(digits):
        return Label(E.CREDIT_CARD, 0.8)
    return None


# Words between a cue and the number it asks for, said right after it.
_ASKED_RIGHT_BEFORE = 3
# Words after a stopping cue past which it no longer names a number said.
_TOPIC_ONLY = 10
# Words a birth-date cue reaches to a month and day said without a year.
_MONTH_DAY_REACH = 10


# How far (in the cue finder's distance) "code" may stand before an Amex's four digits
# read mostly one by one: "the code on the front is oh double six ate".
_CODE_NAMED_NEAR = 3


def classify(
    run: DigitRun,
    cues: list[tuple[Cue, float]],
    *,
    open_end: bool,
    written_on: bool = False,
    card_said: bool = True,
) -> Label | None:
    """What the run is, given the cues around it (nearest first); None if nothing.

    `open_end`: the text ends right after the run, so the number may go on.
    `written_on`: the run is cut from a longer number of a card's length written in one
    string, so its own grouping says nothing ("523-334-3010" of "542-523-334-3010-9903").
    `card_said`: a card is named somewhere in the lines read (a code asked for without
    one is no card's)."""
    # the pieces of one number are said together: a piece named lines ago is another's
    cues = [(cue, d) for cue, d in cues if cue in DIGIT_CUES and (cue != Cue.PART or d <= 6)]
    # "the checking account number?": "number" is the account's, not a number of any kind
    cues = [
        (cue, d)
        for k, (cue, d) in enumerate(cues)
        if not (cue == Cue.NUMBER and k + 1 < len(cues) and cues[k + 1][1] == d + 1)
    ]
    kinds = [cue for cue, _ in cues]
    distance = [d for _, d in cues]
    if _round_in_words(run) and not {Cue.DOB, Cue.EXPIRY}.intersection(kinds):
        return None  # "the fore thousand mix": a size or an amount, said as one
    # "ending in ..." governs a short number only when it is the nearest cue: in "the card
    # ending in 1111? / No, a new one: ..., expiration 12/26", the expiry is asked for
    # (what the last digits belong to, "the last four of the card", may come nearer)
    governing = next((c for c in kinds if c not in _OWNED and c != Cue.NUMBER), None)
    last = governing in (Cue.LAST_DIGITS, Cue.LAST_FOUR)
    if last and len(run.digits) <= 4 and not {Cue.SSN, Cue.PART}.intersection(kinds):
        if Cue.LAST_FOUR not in kinds or _OWNED.intersection(kinds):
            return None  # the last four of a card or an account identify nobody
    # Every cue up to a stopping one is heard, and the best fit wins: in "what's the
    # expiry on that card", "11/29" fits the expiry better than the (nearer) card; a
    # nearer cue wins a tie, as each rank further away costs a little.
    shape = None if written_on else by_shape(run)
    if (
        shape is not None
        and shape.type in (E.PHONE_NUMBER, E.US_SSN)
        and kinds[:1] == [Cue.ACCOUNT]
    ):
        spaced = not any(p.gap in (Gap.HYPHEN, Gap.SLASH, Gap.PUNCT) for p in run.pieces)
        if distance[0] < 1 and spaced:
            # "Reading back, account 768 263 1328?", "account 234 99 3058": named right
            # before it, with no dash or bracket to write it as a phone or a social, the
            # account is what it is
            shape = Label(E.BANK_ACCOUNT, shape.score)
    best = shape
    named_here = False
    for rank, cue in enumerate(kinds):
        if cue == Cue.PART and distance[rank] > 1:
            # a piece's name is said right before it ("first three are 963"), not before
            # a count of something else ("the first two payments were 50")
            continue
        try:
            label = _by_cue(cue, run, kinds, open_end, card_said, distance[rank])
        except _Stop:
            if best is shape and distance[rank] < 1:
                best = None  # "order number 555-010-8842": the cue says what it is
            # "the routing, same as on the form, 1 0 6 ...": a number asked for by name
            # that passes its checksum is that number, whatever stands nearer
            best = best or _checked(run, kinds[rank + 1 :])
            if best is None and distance[rank] > _ASKED_RIGHT_BEFORE and card_by_checksum(run):
                # "we email the gift card where should it go" / "... i'll use discover
                # sixty eleven ...": a stopping cue said well before a whole card
                best = Label(E.CREDIT_CARD, 0.8)
            if best is None and distance[rank] > _TOPIC_ONLY and rank == 0:
                # "i wanna order the finale crate n fore of the rocket packs for pickup
                # under nine oh six five five five ...": an order spoken of a dozen words
                # before is the topic, not the name of a whole phone number said later
                if len(run.digits) == 10 and nanp_ok(run.digits):
                    best = Label(E.PHONE_NUMBER, 0.7)
            break
        if label is not None and label.type == E.PIN and len(run.digits) > 6:
            if distance[rank] > _ASKED_RIGHT_BEFORE:
                # a long code surely one only when asked for right before it, not a phone
                # said later in the line ("pin? / its fore five won nine n call ... at six
                # too three um five five five ...")
                label = Label(E.PIN, min(label.score, 0.75))
        if rank == 0:
            # "... the account is five six one uh ..." after a social asked for twenty
            # words back: a kind named right before the number outranks one named far off
            named_here = label is not None and distance[0] <= 1 and cue != Cue.NUMBER
        elif named_here and distance[rank] > _TOPIC_ONLY:
            break
        if label is not None:
            label = Label(label.type, max(0.0, label.score - 0.05 * rank))
            if best is None or label.score > best.score:
                best = label
    else:
        if best is None and card_said and written_expiry(run):
            # "So that's 04/33, code 557?": a month and a year written with a slash,
            # where a card is being paid with
            return Label(E.EXPIRY, 0.7)
        if best is None and card_said and _month_and_year_said(run):
            # "... this won says oh seven twenty six its dead": a month said with its
            # zero, then a year, as only a card's expiry is read out
            return Label(E.EXPIRY, 0.7)
        if best is None and card_said and open_end and card_begun(run):
            # "card its fore won ... that ones expired hold on" / "ok its five five too ate
            # ate seven three won", the line ending there: another card begun, its network's
            # digits first, where a card is being paid with
            return Label(E.CREDIT_CARD, 0.5)
        if best is None:
            return without_cue(run, open_end)
    return best
