"""Where a typed number's span starts and ends: widened over the digits next to it in one
unbroken stretch, with an expiry read straight after a card; a false start the caller
restarted; a run too long for any one number, redacted whole under its cue."""

from __future__ import annotations

import re

from redaction.checksums import ROUTING_PREFIXES, aba_ok, whole_card
from redaction.context import Cue
from redaction.digit_dates import numeric_expiry, this_year
from redaction.expiry_code import fits_card, unfolded
from redaction.model import EntityType, Finding
from redaction.spoken import DigitRun, Gap
from redaction.transcript import Transcript

E = EntityType


def false_starts(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """Runs left untyped that begin a number found after them ("4485 2366, no sorry, 4485
    2366 7127 6844"): a caller restarting a number says its first digits twice. Where the
    caller says it was a slip ("six one one, no sorry, six one four one ...", "seven ate
    no wait seven won won ate"), two digits are enough and only the first must match: the
    slip is part of the same number."""
    typed = [(f, _digits_in(doc, f)) for f in found]
    out = []
    for run in _said_before_restarts(doc, found):
        start = run.digits
        if len(start) < 2 or not doc.overlaps_target(run.start, run.end):
            continue
        # a weak guess at a broken-off number yields to the number it restarts
        if any(f.start < run.end and run.start < f.end and f.score >= _SLIP_SCORE for f in found):
            continue
        for finding, digits in typed:
            if finding.start < run.end or len(start) >= len(digits):
                continue
            between = doc.text[run.end : finding.start].lower()
            corrected = len(between) <= _CORRECTION_CHARS and _CORRECTION.search(between)
            if (len(start) >= 4 and digits.startswith(start)) or (
                corrected and digits[0] == start[0] and len(start) >= _SLIP_DIGITS
            ):
                out.append(
                    Finding(finding.type, run.start, run.end, min(finding.score, _SLIP_SCORE))
                )
                break
    return out


def restarts_retyped(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A number broken off and said again from its start ("routin six six won seven five
    six too no wait start over six six won seven five six too fore three") is the kind the
    whole restart is, whatever its first digits alone were taken for (seven digits after
    "routing and account" make an account)."""
    typed = sorted(((f, _digits_in(doc, f)) for f in found), key=lambda pair: pair[0].start)
    out = []
    for k, (finding, digits) in enumerate(typed):
        restart = next(
            (
                (later, whole)
                for later, whole in typed[k + 1 :]
                if later.start >= finding.end and whole
            ),
            None,
        )
        if restart is not None:
            later, whole = restart
            between = doc.text[finding.end : later.start].lower()
            if (
                later.type != finding.type
                and len(digits) >= 4
                and len(whole) > len(digits)
                and whole.startswith(digits)
                and len(between) <= _CORRECTION_CHARS
                and _CORRECTION.search(between)
            ):
                finding = Finding(later.type, finding.start, finding.end, finding.score)
        out.append(finding)
    return out


def routing_restarted(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A routing number broken off and given again whole ("her routing is two five one oh
    seven no sorry that's her old bank it's six four one ...") stays a routing number where
    the whole passes the routing checksum, whatever older question it might answer."""
    routing = [f for f in found if f.type == EntityType.BANK_ROUTING]
    if not routing:
        return found
    out = []
    for finding in found:
        before = [r for r in routing if r.end <= finding.start]
        restart = before and finding.type != EntityType.BANK_ROUTING
        digits = _digits_in(doc, finding) if restart else ""
        if len(digits) == 9 and aba_ok(digits) and digits[:2] in ROUTING_PREFIXES:
            between = doc.text[before[-1].end : finding.start].lower()
            if len(between) <= _CORRECTION_CHARS and _CORRECTION.search(between):
                finding = Finding(EntityType.BANK_ROUTING, finding.start, finding.end, 0.85)
        out.append(finding)
    return out


_SLIP_SCORE = 0.6
# How few digits a caller may take back ("seven ate, no wait, ..."): fewer than that is a
# word, not the start of a number.
_SLIP_DIGITS = 2
# What a caller says to take back digits just said, and how far the restart may follow.
_CORRECTION = re.compile(
    r"\b(?:no|sorry|wait|actually|oops|scratch that|start over|i mean|let me start)\b"
)
_CORRECTION_CHARS = 40


def _said_before_restarts(doc: Transcript, found: list[Finding]) -> list[DigitRun]:
    """Each run's last line, and the part of it said before a number found inside it
    ("nine too ate uh sorry nine too for ...": the pause joins slip and number in one
    run)."""
    said = []
    for whole in doc.runs:
        # a number read on from the line before is not restarted here: its last line is
        lines = [k for k, piece in enumerate(whole.pieces) if piece.gap == Gap.LINE]
        first = lines[-1] if lines else 0
        run = whole.sub(first, len(whole.pieces))
        said.append(run)
        starts = {f.start for f in found if run.start < f.start < run.end}
        said += [
            whole.sub(first, k)
            for k in range(first + 1, len(whole.pieces))
            if whole.pieces[k].start in starts
        ]
    return said


def _digits_in(doc: Transcript, finding: Finding) -> str:
    return "".join(
        run.sub(i, i + 1).digits
        for run in doc.runs
        for i in range(len(run.pieces))
        if finding.start <= run.sub(i, i + 1).start < finding.end
    )


# What a run too long for any one number is, when a cue says what was being read out.
_OVERLONG = {
    Cue.CARD: E.CREDIT_CARD,
    Cue.SSN: E.US_SSN,
    Cue.ACCOUNT: E.BANK_ACCOUNT,
    Cue.ROUTING: E.BANK_ROUTING,
    Cue.PHONE: E.PHONE_NUMBER,
}


def overlong(run: DigitRun, cues: list[tuple[Cue, float]]) -> Finding | None:
    """A run of more digits than any number, said without pauses ("four one one one ...
    one two three" for a card and its code): redacted whole, as what its cue names."""
    for cue, _ in cues:
        if cue == Cue.NEGATIVE:
            return None
        if cue in _OVERLONG:
            return Finding(_OVERLONG[cue], run.start, run.end, 0.5)
    return None


def card_in_one_breath(doc: Transcript, run: DigitRun) -> list[Finding]:
    """A card number, its expiry and its code said in one breath, too many digits for any
    one number ("three four nine ... eight four one one twenty seven four four one seven"),
    or the card begun on the line before: the first 15 or 16 digits pass Luhn, then a month
    and year, then 3 or 4 digits. No cue is needed; the checksum, a valid expiry and the
    code's length say what they are. Where the words run together ("... too thirty for oh
    won"), the year's tens and the code's first digit may be one word heard as "thirty
    four". A card begun on an earlier line is reported from its first digit on the line
    being checked."""
    pieces = run.pieces
    line_starts = [k for k, piece in enumerate(pieces) if piece.gap == Gap.LINE]
    # the card's lines make a whole card on their own: no expiry follows it, unless a card
    # begun the line before runs on into an expiry and a code ("discover six oh double won
    # five fore won ate" / "three seven ... six oh twelve twenty six double ate three":
    # the second line alone passes Luhn by chance)
    whole_in_a_line = any(whole_card(run.sub(k, len(pieces)).digits) for k in line_starts)
    # the card may start a piece or two in, after a word read as a digit ("a new one
    # ..."), or at the start of a later line
    starts = [k for k in range(min(_STRAY_PIECES + 1, len(pieces))) if not _line_before(run, k)]
    starts += line_starts
    for card_start in starts:
        for card_end in range(card_start + 1, len(pieces)):
            card = run.sub(card_start, card_end)
            if len(card.digits) > 16:
                break
            if not whole_card(card.digits):
                continue
            rest = pieces[card_end:]
            if whole_in_a_line and not (card_start < min(line_starts) < card_end):
                continue
            splits = [
                split
                for tail in (rest, unfolded(doc, rest))
                for split in _expiry_and_code(DigitRun(tail))
            ]
            lo, _ = doc.target_span
            first = next((p.start for p in card.pieces if p.start >= lo), card.start)
            if splits:
                # only an American Express has a four-digit code
                fits = [split for split in splits if fits_card(card.digits, split[1])]
                expiry, code = (fits or splits)[0]
                return [
                    Finding(E.CREDIT_CARD, first, card.end, 0.85),
                    Finding(E.EXPIRY, expiry.start, expiry.end, 0.8),
                    Finding(E.CVV, code.start, code.end, 0.8),
                ]
            expiry = DigitRun(rest)
            # said in one line, or the expiry on a line of its own after the card's
            one_line = all(piece.gap != Gap.LINE for piece in pieces[card_start + 1 :])
            next_line = pieces[card_end].gap == Gap.LINE and all(
                piece.gap != Gap.LINE for piece in rest[1:]
            )
            if (one_line or next_line) and numeric_expiry(expiry) and not whole_in_a_line:
                # "visa four one nine ... eight oh seven twenty seven code three eight nine":
                # the expiry alone after the card, its code named after it
                return [
                    Finding(E.CREDIT_CARD, first, card.end, 0.85),
                    Finding(E.EXPIRY, expiry.start, expiry.end, 0.8),
                ]
    return []


def _line_before(run: DigitRun, k: int) -> bool:
    """A line break falls between the run's first piece and piece k."""
    return any(piece.gap == Gap.LINE for piece in run.pieces[1 : k + 1])


def _expiry_and_code(tail: DigitRun) -> list[tuple[DigitRun, DigitRun]]:
    """Each way the run is a month and year, then a code of 3 or 4 digits, and nothing
    else."""
    splits = []
    for code_start in range(1, len(tail.pieces)):
        expiry, code = tail.sub(0, code_start), tail.sub(code_start, len(tail.pieces))
        if numeric_expiry(expiry) and len(code.digits) in (3, 4):
            splits.append((expiry, code))
    return splits


_STRAY_PIECES = 2


# Numbers a finding covering part of one unbroken stretch of digits is widened to cover.
_WIDENED = frozenset({E.CREDIT_CARD, E.US_SSN, E.BANK_ACCOUNT, E.PHONE_NUMBER})
# Below this a pick is a guess (seven digits with no cue as a phone number, 0.3).
_FIRM = 0.5
# Between the digits of one unbroken stretch: no pause word, no comma, no sentence end.
_UNBROKEN = frozenset({Gap.SPACE, Gap.COMPOUND, Gap.HYPHEN})
# Inside an expiry date: "0 9 27", "09/27", "09-27".
_EXPIRY_JOINS = frozenset({Gap.SPACE, Gap.COMPOUND, Gap.HYPHEN, Gap.SLASH})


def _expiry_after_card(run: DigitRun, i: int, covered: set[int]) -> int | None:
    """End (piece index) of a month and year ("0 9 27", "9/27", "0927", "09 2027") said
    from piece i on and nothing after it but a pause or the end of the run, when no other
    finding has its pieces."""
    pieces = run.pieces
    j = i + 1
    while j < len(pieces) and pieces[j].gap in _EXPIRY_JOINS:
        j += 1
    if any(k in covered for k in range(i, j)):
        return None
    digits = run.sub(i, j).digits
    if len(digits) == 3:
        month, year = int(digits[0]), digits[1:]
    elif len(digits) == 4:
        month, year = int(digits[:2]), digits[2:]
    elif len(digits) == 6 and digits[2:4] == "20":
        month, year = int(digits[:2]), digits[4:]
    else:
        return None
    now = this_year() % 100
    if not 1 <= month <= 12 or not now - 3 <= int(year) <= now + 9:
        return None
    return j


def widen(
    run: DigitRun, picks: list[tuple[EntityType, float, int, int]]
) -> list[tuple[EntityType, float, int, int]]:
    """The picks, each card, social, account or phone number widened over the digits
    next to it in the same unbroken stretch that no other finding took ("4-1-1-...-1"
    with a 17th digit); a month and year read straight after a card is its expiry
    ("4111 ... 1111 0 9 27")."""
    # A guess does not keep a card's expiry and code from being read after it.
    weak = [pick for pick in picks if pick[1] < _FIRM]
    picks = _card_details_first(run, [pick for pick in picks if pick[1] >= _FIRM])
    covered = {k for _, _, i, j in picks for k in range(i, j)}
    pieces = run.pieces
    out: list[tuple[EntityType, float, int, int]] = []
    for entity, score, i, j in sorted(picks, key=lambda p: -p[1]):
        if entity not in _WIDENED:
            out.append((entity, score, i, j))
            continue
        while i > 0 and i - 1 not in covered and pieces[i].gap in _UNBROKEN:
            i -= 1
            covered.add(i)
        expiry = None
        while j < len(pieces) and j not in covered:
            if entity == E.CREDIT_CARD and pieces[j].gap != Gap.LINE:
                end = _expiry_after_card(run, j, covered)
                if end is not None:
                    expiry = (E.EXPIRY, 0.7, j, end)
                    covered.update(range(j, end))
                    break
            if pieces[j].gap not in _UNBROKEN:
                break
            covered.add(j)
            j += 1
        out.append((entity, score, i, j))
        if expiry is not None:
            out.append(expiry)
            code = _code_after_expiry(run, expiry[3], covered)
            if code is not None:
                out.append((E.CVV, 0.7, expiry[3], code))
                covered.update(range(expiry[3], code))
    return out + [pick for pick in weak if not covered.intersection(range(pick[2], pick[3]))]


def _card_details_first(
    run: DigitRun, picks: list[tuple[EntityType, float, int, int]]
) -> list[tuple[EntityType, float, int, int]]:
    """The picks without those that a card's own expiry and code, said straight after it,
    should have ("card: 2615 ... 4155, 07/29, 803" after a question about an account: the
    "07/29, 803" is no account number). Only picks lying wholly inside the month, year and
    code go, and only after a card read with its checksum or grouping (score >= 0.9)."""
    cards = [pick for pick in picks if pick[0] == E.CREDIT_CARD]
    held = {k for _, _, i, j in cards for k in range(i, j)}
    for _, score, _, j in cards:
        if score < 0.9 or j >= len(run.pieces) or run.pieces[j].gap == Gap.LINE:
            continue
        end = _expiry_after_card(run, j, held)
        if end is None:
            continue
        code = _code_after_expiry(run, end, held)
        last = code if code is not None else end
        picks = [
            pick
            for pick in picks
            if pick[0] == E.CREDIT_CARD or not (j <= pick[2] and pick[3] <= last)
        ]
    return picks


def _code_after_expiry(run: DigitRun, i: int, covered: set[int]) -> int | None:
    """End of three or four digits said from piece i to the end of the run, after a
    card and its expiry ("4929 ... 9015, 11/30, 482"): the card's security code."""
    pieces = run.pieces
    if i >= len(pieces) or pieces[i].gap == Gap.LINE or i in covered:
        return None
    j = i + 1
    while j < len(pieces) and pieces[j].gap in _UNBROKEN:
        j += 1
    if j != len(pieces) or len(run.sub(i, j).digits) not in (3, 4):
        return None
    return j
