"""The digit runs of a transcript that are PII, and where each one begins and ends.

Each run that touches the line being checked is tried whole and, when it mixes several
numbers ("206 555 0198, 98101"), in its sub-runs between pauses; `number_kinds` says what
each is, and the best-scored readings that do not overlap are kept. Amounts said
roughly, years after "since", form names ("W2") and a company's toll-free number are
left alone; a number broken off and said again is caught by `number_spans`.
"""

from __future__ import annotations

from itertools import pairwise

from redaction.checksums import aba_ok, luhn_ok
from redaction.context import Cue
from redaction.date_context import death_date
from redaction.digit_dates import date_separated, this_year
from redaction.expiry_code import (
    card_before,
    card_said_before,
    code_length,
    expiry_first,
    expiry_then_code,
)
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.number_joins import (
    card_resumed,
    routing_begun_with_a_word,
    ssn_resumed,
    two_answers_kept,
)
from redaction.number_kinds import classify
from redaction.number_shapes import Label, by_shape, toll_free
from redaction.number_spans import (
    card_in_one_breath,
    false_starts,
    overlong,
    restarts_retyped,
    routing_restarted,
    widen,
)
from redaction.number_words import filler_end
from redaction.spoken import DigitRun, Gap, Kind
from redaction.tokens import HESITATIONS
from redaction.transcript import Transcript

E = EntityType

MAX_DIGITS = 19
# Gaps that join written digit groups into one number: "542-523-334-3010".
_WRITTEN_ON = frozenset({Gap.HYPHEN, Gap.SLASH})
_CUT_WRITTEN = 0.35
_SHAPED = frozenset({E.PHONE_NUMBER, E.US_SSN})
# Words before a year: "since two thousand eight", "back in 1998".
# Cues under which a year is PII after all: "born in 1972", "expires in 2027".
_DATED = frozenset({Cue.DOB, Cue.EXPIRY})
_HEDGES = frozenset({"like", "about", "around", "maybe", "roughly", "back"})
_BEFORE_YEAR = frozenset({"since", "in", "from", "until", "till", "year", "around", "circa"})


def _year_after(doc: Transcript, run: DigitRun) -> bool:
    """The run begins with a year said after "since", "in"...: not a number to redact,
    whatever was asked before it ("with Northwind Mobile since 2008")."""
    first = run.pieces[0].digits  # the year, whatever the next line goes on with
    year = int(first) if len(first) == 4 else 0
    if not 1900 <= year <= this_year() + 1:
        return False
    k = run.first_token - 1
    while k >= 0 and doc.tokens[k].kind == Kind.PUNCT:
        k -= 1
    while k >= 0 and (filler_end(doc.tokens, k) > k or doc.tokens[k].lower in _HEDGES):
        k -= 1  # "since uh 2008", "since like 2015"
    return k >= 0 and doc.tokens[k].lower in _BEFORE_YEAR


# Said before an amount of about some size: "up to eight thousand", "about eleven
# hundred".
_ROUGHLY = frozenset(
    {
        "about",
        "bout",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
        "over",
        "under",
        "least",
    }
)
_SCALES = frozenset({"hundred", "thousand", "million", "grand"})
# Words that make any short number rough, with or without its scale ("under" does not:
# "it's under 425-555-0109" names an account).
_ABOUT = frozenset({"about", "bout", "around", "roughly", "approximately", "nearly", "almost"})
_ABOUT_DIGITS = 4


def _rough_amount(doc: Transcript, run: DigitRun) -> bool:
    """The run is an amount said roughly: "about 185", or with its scale, "approved for
    up to eight thousand", "it comes out every friday about eleven hundred". No code or
    account is said that way."""
    toks = doc.tokens
    k = run.first_token - 1
    before = toks[k].lower if k >= 0 else ""
    if before in _ABOUT and len(run.digits) <= _ABOUT_DIGITS:
        return True  # "about 185, and my wife ... around 130": weights, prices, counts
    if before == "between" and len(run.digits) <= _ABOUT_DIGITS:
        return True  # "we deliver between 8 and 11": a range of hours or amounts
    valid_until = k > 0 and toks[k - 1].lower in ("good", "valid")  # "good til three twenty nine"
    if before in _BY_A_TIME and _time_in_words(run) and not valid_until:
        return True  # "hell be there by ten thirty": when, not an expiry
    if before == "the" and k > 0 and toks[k - 1].lower == "for" and _said_as_amount(run):
        return True  # "great and the card for the six fifty": what is paid for
    said = {toks[k].lower for k in range(run.first_token, run.last_token + 2) if k < len(toks)}
    after = toks[run.last_token + 1].lower if run.last_token + 1 < len(toks) else ""
    if after in _TOTALLED and len(run.digits) <= _ABOUT_DIGITS:
        return True  # "one hundred sixty five per person so three thirty total"
    if not said & _SCALES:
        return False
    if after in _SUMMED:
        return True  # "n thats won thousand ate hundred twenty total"
    paid = {toks[j].lower for j in range(max(0, k - 1), k + 1)} & _PAID
    return (
        before in _ROUGHLY
        or (before == "to" and k > 0 and toks[k - 1].lower == "up")
        or bool(paid)  # "i'll pay the eleven hundred forty with visa ..."
    )


def _said_as_amount(run: DigitRun) -> bool:
    """At most four digits, some said as tens or hundreds ("six fifty", "eleven forty"),
    not read digit by digit nor written."""
    return (
        len(run.digits) <= _ABOUT_DIGITS
        and len(run.pieces) < len(run.digits)
        and not any(p.written for p in run.pieces)
    )


# Said before a time of day: "by ten thirty", "until five fifteen".
_BY_A_TIME = frozenset({"by", "until", "till", "til", "before", "after"})


def _time_in_words(run: DigitRun) -> bool:
    """An hour and its minutes said as words ("ten thirty", "five fifteen"), not a
    number written or read digit by digit."""
    if len(run.pieces) != 2 or any(p.written for p in run.pieces):
        return False
    hour, minutes = run.pieces[0].digits, run.pieces[1].digits
    return 1 <= int(hour) <= 12 and len(minutes) == 2 and 10 <= int(minutes) <= 59


# Said right before an amount with its scale ("pay the eleven hundred forty").
_PAID = frozenset({"pay", "paid", "paying", "owe", "spend", "spent", "cost", "costs"})
# Said after an amount with its scale: "eleven hundred total", "two thousand even".
_SUMMED = frozenset({"total", "altogether", "even", "flat", "bucks"})
# Said after an amount even without its scale ("so three thirty total").
_TOTALLED = frozenset({"total", "altogether", "bucks"})


# Tax forms known by their number: "the mailing address for your 1099".
_TAX_FORMS = frozenset({"1040", "1098", "1099", "941", "940", "4868", "8879"})
_DETERMINERS = frozenset({"a", "the", "your", "my", "his", "her", "our", "their", "ur"})


def _tax_form(doc: Transcript, run: DigitRun) -> bool:
    """The run is a tax form's number after "your", "a", "the" ... ("for your 1099", "for a
    ten ninety nine"), said as one number or in pairs: a form, not a social's last four."""
    if len(run.pieces) > 2 or run.digits not in _TAX_FORMS:
        return False
    k = run.first_token - 1
    return k >= 0 and doc.tokens[k].lower in _DETERMINERS


# Said between a routing number and the word that names the account after it.
_BETWEEN_NUMBERS = frozenset({"and", "n", "an", "&", "then", "the", "my", "checking", "savings"})


def _account_named_after_number(doc: Transcript, run: DigitRun) -> bool:
    """ "routing 271933812 account 504418826", "... six six n account won won oh ...":
    "account" said right after another number names this one, whatever checksum its
    digits pass by chance."""
    toks = doc.tokens
    k = run.first_token - 1
    while k >= 0 and (toks[k].kind == Kind.PUNCT or toks[k].lower in ("is", "number", "#")):
        k -= 1
    if k < 0 or toks[k].lower != "account":
        return False
    k -= 1
    while k >= 0 and (toks[k].kind == Kind.PUNCT or toks[k].lower in _BETWEEN_NUMBERS):
        k -= 1
    before = doc.run_ending.get(k)
    return before is not None and len(before.digits) >= 3


def _named_before(doc: Transcript, run: DigitRun, names: frozenset[str]) -> bool:
    """One of `names` right before the run, perhaps with "is" or "'s" ("code is", "pin's")."""
    toks = doc.tokens
    k = run.first_token - 1
    if k >= 0 and toks[k].lower in ("is", ":"):
        k -= 1
    return k >= 0 and toks[k].lower.removesuffix("'s") in names


_CODE_NAMES = frozenset({"code", "pin", "passcode"})
# "... exp zero four thirty three security three four one": the code named by half its name
_SECURITY = frozenset({"security"})


def find_numbers(doc: Transcript) -> list[Finding]:
    """Typed findings for the digit runs that touch the line being checked."""
    found: list[Finding] = []
    card_said = (
        any(m.cue == Cue.CARD for m in doc.cues)
        or any(cue == Cue.CARD for cue, _ in doc.prompt_cues)
        or doc.prompt_card
    )
    for run in doc.runs:
        if not doc.overlaps_target(run.start, run.end):
            continue
        if _rough_amount(doc, run) or _tax_form(doc, run):
            continue
        # more digits than a card's 15 or 16: perhaps its expiry (and code) said on in one
        # breath ("amex three double seven ... six three oh seven thirty too code ...")
        in_one_breath = card_in_one_breath(doc, run) if len(run.digits) > _CARD_DIGITS else []
        if in_one_breath:
            found += [f for f in in_one_breath if doc.overlaps_target(f.start, f.end)]
            continue
        open_end = doc.ends_text(run.last_token) or _broken_off(doc, run)
        dated = _named_date_pieces(doc, run)
        segments = run.segments()
        candidates: list[tuple[float, bool, int, int, int, EntityType]] = []
        split_segments: set[int] = set()  # said an expiry and its code
        for a in range(len(segments)):
            cues = None
            said = run.sub(*segments[a])
            if doc.overlaps_target(said.start, said.end):
                near = doc.cues_near(said.first_token, said.last_token)
                card = card_before(run, segments[a][0])
                if not card and a == 0:
                    card = card_said_before(doc, run)
                if card:
                    # the card's number is complete: its expiry and code come next
                    near = [*near, (Cue.EXPIRY, 0.0), (Cue.CVV, 0.0)]
                both = expiry_then_code(doc, said, near, card=card)
                if both:
                    found += [f for f in both if doc.overlaps_target(f.start, f.end)]
                    split_segments.add(a)
                    continue
            for b in range(a, len(segments)):
                sub = run.sub(segments[a][0], segments[b][1])
                if len(sub.digits) > MAX_DIGITS:
                    break
                if not doc.overlaps_target(sub.start, sub.end):
                    continue
                if cues is None:
                    cues = doc.cues_near(sub.first_token, run.last_token)
                if _year_after(doc, sub) and not _DATED.intersection(c for c, _ in cues):
                    continue
                if a == 0 and _glued_to_letters(doc, sub):
                    continue  # "notice CP2000", "form W2": a code, not a number
                if _date_and_more(sub):
                    continue  # "7405, 1/23/75": a social's last four, then a birth date
                if segments[a][0] < dated < segments[b][1]:
                    continue  # "May 21, 1981, and 4220": the date's day and year, then more
                # only the whole run may be the start of a longer number, or the part of it
                # said from a line on ("ticket fifty won ate six" / "five too ate won oh
                # wait": the card begun, whatever number the line before ended with)
                last_line = run.pieces[segments[a][0]].gap == Gap.LINE
                whole = (a == 0 or last_line) and b == len(segments) - 1
                written_on = _cut_from_card_length(run, segments[a][0], segments[b][1])
                label = classify(
                    sub,
                    cues,
                    open_end=open_end and whole,
                    written_on=written_on,
                    card_said=card_said,
                )
                if label is not None and label.type == E.BANK_ROUTING and a == 0:
                    if _account_named_after_number(doc, sub):
                        label = Label(E.BANK_ACCOUNT, 0.95)
                if label is not None and label.type == E.DATE_OF_BIRTH:
                    if death_date(doc, sub.first_token):
                        continue  # "... passed march ninth twenty twenty fore"
                if label is not None and label.type == E.DATE_OF_BIRTH and a == 0:
                    if _named_before(doc, sub, _CODE_NAMES):
                        # "your new code is 716482": whatever date its digits make
                        label = Label(E.PIN, 0.9)
                if label is not None and len(sub.digits) in (3, 4) and card_said and a == 0:
                    if label.type != E.CVV and _named_before(doc, sub, _SECURITY):
                        label = Label(E.CVV, 0.85)
                    elif label.type == E.PIN and _amex_code(doc, sub, cues):
                        label = Label(E.CVV, 0.85)
                if label is not None:
                    # at equal scores, one number read over two lines is less likely than
                    # two numbers said one after the other (a routing number, then the
                    # account number)
                    one_line = all(p.gap != Gap.LINE for p in sub.pieces[1:])
                    if not one_line and _complete_before_line(doc, sub):
                        continue
                    if not one_line and _asked_another_kind(doc, sub, label.type):
                        continue
                    if not one_line and _trailed_off(doc, sub):
                        one_line = True  # "The account is 1996..." / "Okay." / "7100."
                    # a phone number or social cut from a longer number written in one
                    # string ("523-334-3010" of "542-523-334-3010-9903") is less likely
                    # than the whole (a card's digits written one by one are cut anyway)
                    cut = written_on and label.type in _SHAPED
                    score = label.score - (_CUT_WRITTEN if cut else 0.0)
                    # rounded, so that a float's last bit (0.95 - 0.05 < 0.9) never decides
                    # between two readings the rules score alike: the longer one wins then
                    score = round(score, 6)
                    candidates.append((score, one_line, b - a, a, b, label.type))
        candidates = two_answers_kept(doc, run, segments, candidates)
        taken: set[int] = set(split_segments)
        picks: list[tuple[EntityType, float, int, int]] = []  # piece ranges [i, j)
        for score, _one_line, _size, a, b, entity in sorted(candidates, reverse=True):
            if any(i in taken for i in range(a, b + 1)):
                continue
            taken.update(range(a, b + 1))
            picks.append((entity, score, segments[a][0], segments[b][1]))
        picks = expiry_first(run, picks)
        picks = _code_after_expiry(run, segments, picks)
        for entity, score, i, j in widen(run, picks):
            sub = run.sub(i, j)
            if entity == E.PHONE_NUMBER and toll_free(sub.digits) and not _mine(doc, sub):
                continue  # "our toll-free line is 1-800...": a company's, no caller's
            if doc.overlaps_target(sub.start, sub.end):
                found.append(Finding(entity, sub.start, sub.end, score))
        if not taken and len(run.digits) > MAX_DIGITS:
            too_long = overlong(run, doc.cues_near(run.first_token, run.last_token))
            if too_long is not None:
                found.append(too_long)
    found = routing_begun_with_a_word(doc, found)
    found = ssn_resumed(doc, card_resumed(doc, found, card_said=card_said))
    found = routing_restarted(doc, restarts_retyped(doc, found))
    found = [f for f in found if not _counted_in_thousands(doc, f)]
    return found + false_starts(doc, found)


def _counted_in_thousands(doc: Transcript, finding: Finding) -> bool:
    """A social, a bank number or a phone number said with "thousand" in it ("the quote was
    eight thousand seven hundred fifty ... i need ur social"): an amount, as no one reads
    those numbers out (a year, a card's code or a PIN may be said so)."""
    if finding.type not in _NEVER_IN_THOUSANDS:
        return False
    # what this line says of it: a birth year "two thousand three" may end the line before
    lo, hi = doc.target_span
    said = doc.text[max(finding.start, lo) : min(finding.end, hi)].lower().split()
    return "thousand" in said


_NEVER_IN_THOUSANDS = frozenset({E.US_SSN, E.BANK_ACCOUNT, E.BANK_ROUTING, E.PHONE_NUMBER})


def _amex_code(doc: Transcript, sub: DigitRun, cues: list[tuple[Cue, float]]) -> bool:
    """Four digits called a code, nothing more said of its kind ("the fore digit code seven
    fore seven three"), where an American Express is being paid with: its code, which only
    that card prints with four digits, not a PIN."""
    return (
        len(sub.digits) == 4 and bool(cues) and cues[0][0] == Cue.CODE and code_length(doc, "") == 4
    )


def _code_after_expiry(
    run: DigitRun,
    segments: list[tuple[int, int]],
    picks: list[tuple[EntityType, float, int, int]],
) -> list[tuple[EntityType, float, int, int]]:
    """ "exp 03/29, 905", "good through oh eight twenty eight and seven four four eight":
    three or four digits said right after an expiry in one breath, and read as nothing
    else (or only as a code recited with nothing asking for one), are its card's security
    code."""
    expiry_ends = {j for entity, _score, _i, j in picks if entity == E.EXPIRY}
    for a, b in segments:
        if a not in expiry_ends or len(run.sub(a, b).digits) not in (3, 4):
            continue
        covering = [p for p in picks if p[2] <= a < p[3]]
        if not covering:
            return [*picks, (E.CVV, 0.7, a, b)]
        entity, score, i, j = covering[0]
        if (entity, i, j) == (E.PIN, a, b) and score < _GUESSED:
            return [p for p in picks if p != covering[0]] + [(E.CVV, 0.7, a, b)]
    return picks


# Below this, a reading was guessed from the digits alone, no cue asking for it.
_GUESSED = 0.5


# The kind of number a cue in the other party's question asks for.
_ASKED_FOR = {
    Cue.CARD: E.CREDIT_CARD,
    Cue.CVV: E.CVV,
    Cue.EXPIRY: E.EXPIRY,
    Cue.SSN: E.US_SSN,
    Cue.ACCOUNT: E.BANK_ACCOUNT,
    Cue.ROUTING: E.BANK_ROUTING,
    Cue.PIN: E.PIN,
    Cue.PHONE: E.PHONE_NUMBER,
    Cue.DOB: E.DATE_OF_BIRTH,
    # "account 871-490-458." / "Is there a code?" / "Yeah, it's 4934": the code asked for
    Cue.CODE: E.PIN,
    # "account 975641004" / "and the property address?" / "89203 gulf shore boulevard":
    # the house number the new question asks for, not the account going on
    Cue.ADDRESS: E.ADDRESS,
    Cue.ZIP: E.ADDRESS,
}


def _asked_another_kind(doc: Transcript, sub: DigitRun, entity: EntityType) -> bool:
    """`sub` goes on from the speaker's previous line into this one, but the other party
    asked for another kind of number in between ("account 4470 2381 95" / "and the last
    four of your social?" / "6031"): this line answers the new question."""
    if doc.token_line[sub.first_token] == doc.target or not doc.prompt_between:
        return False
    asked = [
        (words, _ASKED_FOR[cue])
        for cue, words in doc.prompt_cues
        if cue in _ASKED_FOR and (cue not in _PLACES or words <= _PLACE_ASKED_LAST)
    ]
    # what the question asks for last: "reading the account back ... and i need the last
    # four of your social" asks for the social
    return bool(asked) and min(asked)[1] != entity


# An address is asked for at the end of the question ("and the property address for the
# permit?"), not in what was said before the number began ("delivered to the same floor
# as last time" / "uh huh go on").
_PLACES = frozenset({Cue.ADDRESS, Cue.ZIP})
_PLACE_ASKED_LAST = 6


def _named_date_pieces(doc: Transcript, run: DigitRun) -> int:
    """How many of the run's first pieces are the day and year of a date said with its
    month's name before it ("May 21, 1981, and 4220": two), 0 if none."""
    k = run.first_token - 1
    while k >= 0 and doc.tokens[k].kind == Kind.PUNCT:
        k -= 1
    if k < 0 or month_of(doc.tokens[k].lower.strip(".")) is None:
        return 0
    # written as digits, so that each piece is a whole part ("nineteen seventy five" is a
    # year said in two pieces)
    day, year = run.pieces[:2] if len(run.pieces) > 2 else (None, None)
    if day is None or year is None or not (day.written and year.written):
        return 0
    if not (len(day.digits) <= 2 and 1 <= int(day.digits) <= 31):
        return 0
    if not (len(year.digits) == 4 and 1900 <= int(year.digits) <= this_year() + 1):
        return 0
    # "..., and 4220": the date ends where the speaker paused
    return 2 if run.pieces[2].gap in (Gap.PUNCT, Gap.FILLER) else 0


def _date_and_more(run: DigitRun) -> bool:
    """A date written with slashes and another number said before or after it, apart
    ("7405, 1/23/75"): two numbers, whatever their digits would make together."""
    gaps = {p.gap for p in run.pieces[1:]}
    return Gap.SLASH in gaps and bool(gaps & {Gap.PUNCT, Gap.FILLER, Gap.LINE})


def _cut_from_card_length(run: DigitRun, first: int, end: int) -> bool:
    """Pieces first..end-1 are part of a longer number written in one string, of a
    card's length ("523-334-3010" of "542-523-334-3010-9903")."""
    pieces = run.pieces
    lo, hi = first, end
    while lo > 0 and pieces[lo].gap in _WRITTEN_ON:
        lo -= 1
    while hi < len(pieces) and pieces[hi].gap in _WRITTEN_ON:
        hi += 1
    return (lo, hi) != (first, end) and len(run.sub(lo, hi).digits) >= 13


def _mine(doc: Transcript, run: DigitRun) -> bool:
    """ "my ..." within the five words before the run: the caller's own; or someone's cell
    ("Her cell is 844-555-0108"), which no company's line is."""
    words = [t.lower for t in doc.tokens[: run.first_token] if t.kind == Kind.WORD][-5:]
    if "my" in words or "mine" in words:
        return True
    return any(w in _OWNERS and nxt in _OWN_LINES for w, nxt in pairwise(words))


# Whose line it is, and the lines only a person has: "her cell", "his mobile".
_OWNERS = frozenset({"her", "his", "their", "ur", "your"})
_OWN_LINES = frozenset({"cell", "mobile", "cellphone", "personal", "home"})


# Said right after digits to take them back: the number was broken off, not finished.
# The most digits a card has as networks issue them today.
_CARD_DIGITS = 16
_BREAKING_OFF = frozenset(
    {"no", "wait", "sorry", "sry", "oops", "whoops", "actually", "hold", "hang"}
    | {"shoot", "dang", "darn", "crap", "ugh", "scratch", "nah", "nope", "nevermind"}
)
_TAKEN_BACK = frozenset({("never", "mind"), ("forget", "that"), ("forget", "it")})


def _broken_off(doc: Transcript, run: DigitRun) -> bool:
    """The speaker takes the number back right after it ("card its fore won fore seven
    wait no that ones expired"), or says more is to come ("and the rest is..."): what was
    said is the start of the number asked for (or, said again, of the number it restarts:
    `number_spans.false_starts`)."""
    k = run.last_token + 1
    # past a pause: "... ate five oh um wait thats the old one"
    while k < len(doc.tokens) and (
        doc.tokens[k].kind == Kind.PUNCT or doc.tokens[k].lower in HESITATIONS | {"oh"}
    ):
        k += 1  # "5153, oh wait, that one expired"
    if k < len(doc.tokens) and doc.tokens[k].lower in _BREAKING_OFF:
        return True
    # "Visa, 4982... oh, never mind, that one expired", "... forget that one"
    if tuple(t.lower for t in doc.tokens[k : k + 2]) in _TAKEN_BACK:
        return True
    # "Social is 924-93, and the rest is...": the rest still to come
    said = [t.lower for t in doc.tokens[k : k + 3]]
    return "rest" in said and said[0] in ("and", "the", "rest")


def _glued_to_letters(doc: Transcript, run: DigitRun) -> bool:
    """The run's first digits are written onto letters ("CP2000", "W2"), or its last onto a
    hyphen and a capital ("1099-S", "1040-X"): part of a form's or a code's name."""
    toks, k = doc.tokens, run.first_token
    if k > 0:
        before, first = toks[k - 1], toks[k]
        if before.kind == Kind.WORD and before.end == first.start and before.text.isalpha():
            return True
        # "Your booking is TT-9222", "certificate GC-20418": a reference written with its
        # letters, a hyphen between
        if k > 1 and before.text == "-" and before.end == first.start:
            letters = toks[k - 2]
            if letters.end == before.start and letters.text.isalpha() and letters.text.isupper():
                return True
    j = run.last_token
    if j + 2 < len(toks) and toks[j + 1].text == "-" and toks[j + 1].start == toks[j].end:
        after = toks[j + 2]
        return after.start == toks[j + 1].end and after.text.isalpha() and after.text.isupper()
    return False


def _trailed_off(doc: Transcript, run: DigitRun) -> bool:
    """The speaker's line trailed off inside the run, written "..." ("The account is
    1996..."): the number goes on in the next line, so the whole is as likely as the part
    said there."""
    cut = next(i for i in range(1, len(run.pieces)) if run.pieces[i].gap == Gap.LINE)
    k = run.pieces[cut - 1].last_token + 1
    dots = 0
    while k < len(doc.tokens) and doc.tokens[k].text in (".", "\u2026"):
        dots += 3 if doc.tokens[k].text == "\u2026" else 1
        k += 1
    return dots >= 3 and k < len(doc.tokens) and doc.tokens[k].kind == Kind.NEWLINE


def _complete_before_line(doc: Transcript, run: DigitRun) -> bool:
    """The run joins two numbers across a line break: the part before it is whole by its
    checksum (a routing number, a card) or is a date's day and year after its month's name
    ("born March 17, 1965." / "It's 2817 ..."), or the part after it is written as a
    whole."""
    cut = next(i for i in range(1, len(run.pieces)) if run.pieces[i].gap == Gap.LINE)
    head, tail = run.sub(0, cut), run.sub(cut, len(run.pieces))
    digits = head.digits
    if aba_ok(digits) or (13 <= len(digits) <= 19 and luhn_ok(digits)):
        return True
    k = run.first_token - 1
    if k >= 0 and month_of(doc.tokens[k].lower) is not None:
        return True
    # the next line starts with a number written whole: "3/22/1957", "(702) 555-0114"
    return date_separated(tail) or by_shape(tail) is not None
