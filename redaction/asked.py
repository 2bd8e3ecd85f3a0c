"""What the lines around a number ask for: the cues of a stretch of speech that name what
is asked for or given, leaving out those that only describe ("for the thirty five dollar
activation fee") and those the other party answered themselves ("her birthday is july
second", "your temporary pin is double nine seven five"); and whether the other party read
out a card's number."""

from __future__ import annotations

from collections.abc import Sequence

from redaction.checksums import luhn_ok
from redaction.context import DIGIT_CUES, Cue, CueMatch
from redaction.spoken import NUMBER_WORDS, DigitRun, Kind, Token
from redaction.tokens import HESITATIONS, MONTH_NAMES, homophone_digit, repeats_digits

# Words that open a clause or phrase saying when, why or what for, after what a question
# asks for ("your date of birth for the consent form": the form's number is not asked;
# "the last four of his social to open a repair ticket": nor the ticket's; "what zip code
# is the church in so i can check the travel fee": nor the fee's).
_SUBORDINATE = frozenset(
    "when if after before while because since for unless until case to so".split()
)


def asked(tokens: Sequence[Token], matches: Sequence[CueMatch]) -> list[CueMatch]:
    """The cues of one stretch of speech that say what is asked for or given. A stopping
    cue (a count, an amount, an order...) is left out where it only describes: after a
    number of its own ("for the thirty five dollar activation fee", "my social for the
    twelve month plan"), or in a clause saying why or when, after what is asked for ("the
    pin you set up when you filed the claim"), or as the thing sent somewhere ("can you
    email the receipt to ...": where it goes may be asked next, not its number)."""
    kept: list[CueMatch] = []
    asked_for: int | None = None  # where the speech names a number it asks for
    for match in matches:
        stopping = match.cue in (Cue.MONEY, Cue.NEGATIVE)
        if stopping and any(_numeric(t) for t in tokens[max(0, match.first - 3) : match.first]):
            continue
        if _in_case(tokens, match):
            continue  # "a cell number in case the weather cancels ...": no case number
        if _found_already(tokens, match):
            continue  # "found your account what number should i text ...": it is on file
        if _what_a_code_is_for(tokens, match, matches):
            continue  # "read me the access code on your kit receipt": no receipt's number
        if _purpose_before_asking(tokens, match, matches):
            continue  # "for direct deposit i need ur social": the social is asked for
        if stopping and asked_for is not None:
            if {t.lower for t in tokens[asked_for : match.first]} & _SUBORDINATE:
                continue
        if stopping and (sent_somewhere(tokens, match.last) or _filed_in(tokens, match.first)):
            continue
        if stopping and asked_for is not None and _written_on(tokens, match.first, asked_for):
            continue  # "a date of birth on the consent form": where it is written
        if stopping and _where_it_goes(tokens, match.first):
            continue  # "where should the receipt go": a mailbox or a place is asked for
        if not stopping and asked_for is not None and match.cue in DIGIT_CUES:
            if _says_why(tokens[asked_for : match.first]):
                continue  # "the last four of your social since you're the account owner"
            if match.cue == Cue.ACCOUNT and _where_it_is_kept(tokens, match.first):
                continue  # "last fore of the social on the acct": where the social is kept
        if not stopping and match.cue in DIGIT_CUES and asked_for is None:
            asked_for = match.last
        kept.append(match)
    return kept


# Words that open a clause saying why or when, after what is asked for: what such a clause
# names is not asked for too ("... since you're the account owner").
_SAYS_WHY = frozenset({"since", "because", "cause", "cuz", "unless"})


def _says_why(between: Sequence[Token]) -> bool:
    """The tokens open a clause saying why, not when: "since you're the account owner",
    not "3 tins a month since 2021"."""
    return any(
        tok.lower in _SAYS_WHY
        and not (tok.lower == "since" and k + 1 < len(between) and _numeric(between[k + 1]))
        for k, tok in enumerate(between)
    )


def _written_on(tokens: Sequence[Token], first: int, asked_for: int) -> bool:
    """The stopping cue at token `first` follows "on the" or "in the" (a word saying which
    between), within a few words of what is asked for, which ends at `asked_for`."""
    k = first - 1
    if k >= 1 and tokens[k].is_word and tokens[k - 1].lower in _DETERMINERS:
        k -= 1  # "the consent form"
    if k >= 0 and tokens[k].lower in _DETERMINERS:
        k -= 1
    return k >= 0 and tokens[k].lower in ("on", "in") and 0 < k - asked_for <= _WRITTEN_REACH


# Words between what is asked for and "on the ...": "a date of birth on the consent form".
_WRITTEN_REACH = 2


def _where_it_goes(tokens: Sequence[Token], first: int) -> bool:
    """ "where should the receipt go", "where do we send the invoice": the question asks
    where the thing named at token `first` goes."""
    said = [t.lower for t in tokens[max(0, first - 5) : first]]
    return "where" in said or "where's" in said or "wheres" in said


def _where_it_is_kept(tokens: Sequence[Token], first: int) -> bool:
    """The account cue starting at token `first` says where something asked for before it
    is kept: "the social on the acct", "the phone under your account", "the phone number
    on ur kiosk account" (a word or two may say which account, after a determiner)."""
    k = first - 1
    which = 0  # words saying which account: "kiosk", "online banking"
    while k >= 0 and which < 2 and tokens[k].is_word and tokens[k].lower not in _KEPT_UNDER:
        k, which = k - 1, which + 1
    if k >= 0 and tokens[k].lower in _KEPT_UNDER - {"on", "under"}:
        k -= 1
    elif which:
        return False  # "the phone on kiosk account" says nothing of whose
    return k >= 0 and tokens[k].lower in ("on", "under")


# Verbs of giving something to the other party: "i can give you the door code".
_GIVING_TO = frozenset({"give", "send", "text", "email", "get"})


def offered(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The cue names what the speaker will give the other party ("i can give you the door
    code", "ill send u the gate code"): it asks the other party for no number (though the
    speaker's own next number may be that code)."""
    k = match.first - 1
    # "give you the barn alarm code", "send u the new gate code": a word or two saying
    # which, after the determiner
    for said in (1, 2):
        if k - said >= 0 and tokens[k - said].lower in _DETERMINERS:
            if all(t.is_word and t.lower not in _DETERMINERS for t in tokens[k - said + 1 : k + 1]):
                k -= said
                break
    while k >= 0 and tokens[k].lower in _DETERMINERS:
        k -= 1
    return (
        k >= 1
        and tokens[k].lower in ("you", "u")
        and tokens[k - 1].lower in _GIVING_TO
        and match.cue in (Cue.PIN, Cue.CODE)
    )


# Verbs an agent says of a record already on screen: "found your account", "I see the
# account", "pulled up your account".
_FOUND = frozenset({"found", "see", "located", "pulled", "up"})


def _found_already(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The cue names a record the speaker has found, not a number asked for."""
    k = match.first - 1
    while k >= 0 and tokens[k].lower in _DETERMINERS:
        k -= 1
    if k < 0 or tokens[k].lower not in _FOUND:
        return False
    if [t.lower for t in tokens[max(0, k - 2) : k]] in (["can", "i"], ["could", "i"], ["may", "i"]):
        return False  # "can i see your account number": asked for after all
    # "pulled up your account", not "look up your account number" nor "sign up"
    return tokens[k].lower != "up" or (k > 0 and tokens[k - 1].lower in ("pulled", "brought"))


def _in_case(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The cue is the "case" of "in case", which opens a clause saying why."""
    k = match.first
    return k == match.last and k > 0 and tokens[k].lower == "case" and tokens[k - 1].lower == "in"


# Words back from a cue to the "for" that says it is what the asking is for.
_PURPOSE_REACH = 5
# Words that ask: a cue after them is asked for, whatever "for" came before.
_ASKING = frozenset("need want give get have tell read what's whats is".split())


def _purpose_before_asking(
    tokens: Sequence[Token], match: CueMatch, matches: Sequence[CueMatch]
) -> bool:
    """The cue names what the asking is for, and another number is asked for after it
    ("for direct deposit i need ur social n birthday first", "for the refund card i'll
    need your routing"): the purpose's own number is not what the answer gives."""
    if match.cue not in DIGIT_CUES:
        return False
    # "for the w four n direct deposit": "for", then what it is for, perhaps several
    before = [t.lower for t in tokens[max(0, match.first - _PURPOSE_REACH) : match.first]]
    if "for" not in before:
        return False
    said = before[len(before) - before[::-1].index("for") :]
    if any(w in _ASKING for w in said):
        return False  # "for you i need the routing ...": the asking is between
    start = match.first - len(said)
    if any(start <= m.first < match.first for m in matches):
        return False  # "for the clinic full name date a birth n ...": what is asked, listed
    return any(m.first > match.last and m.cue in DIGIT_CUES and m.cue != match.cue for m in matches)


# What states a value after its name: "her birthday is july second".
_STATING = frozenset({"is", "was", "'s", "of"})


def answered_there(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The other party gave the birth date the cue names right after it ("her birthday is
    july second two thousand seventeen"): it asks nothing of the next speaker, whose own
    dates ("then she can do july fifth") are others."""
    if match.cue == Cue.NAME:
        return _name_given_there(tokens, match)
    if match.cue in (Cue.PIN, Cue.CODE):
        return _code_given_there(tokens, match)
    if match.cue == Cue.MONEY:
        return _amount_given_there(tokens, match)
    if match.cue != Cue.DOB:
        return False
    k = match.last + 1
    if tokens[match.last].lower == "born":
        # "I was born May 28th, 2001.": given there, as "born" states it
        while k < len(tokens) and (tokens[k].kind == Kind.PUNCT or tokens[k].lower == "on"):
            k += 1
        if k < len(tokens) and (tokens[k].lower in MONTH_NAMES or _numeric(tokens[k])):
            return True
    if k >= len(tokens) or tokens[k].lower not in _STATING:
        return False  # "...date of birth" then the next line: a question, read back after
    k += 1
    while k < len(tokens) and tokens[k].kind == Kind.PUNCT:
        k += 1
    return k < len(tokens) and tokens[k].lower in MONTH_NAMES


# Said before the name of a code an agent gives: "your temporary pin is ...", "ur new code".
_GIVEN_CODE = frozenset({"your", "ur", "new", "temporary", "temp", "one-time"})
# Said between a code's name and the code given: "your temporary pin is double nine ...".
_GIVING = frozenset({"is", "will", "be", "it's", "its", "'s", "now", ":", ","})


def _code_given_there(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The other party gave the code the cue names right after it ("your temporary pin is
    double nine seven five", "ur new code is seven three ..."): what the next speaker says
    besides repeating it answers another question."""
    if not any(t.lower in _GIVEN_CODE for t in tokens[max(0, match.first - 3) : match.first]):
        return False  # "... code six won six": the caller's own, read back next
    k = match.last + 1
    while k < len(tokens):
        if tokens[k].lower in _GIVING or tokens[k].lower == "the":
            k += 1
        elif k + 1 < len(tokens) and tokens[k + 1].lower in ("digits", "digit"):
            k += 2  # "your gallery password is the six digits 182196": how many, then it
        else:
            break
    said = [_digit_word(tok) for tok in tokens[k : k + 2]]
    # a homophone opens the code only with another digit after it: not "code for the driver"
    return bool(said) and (said[0] == "digit" or (said[1:] != [""] and said[0] == "homophone"))


def _digit_word(tok: Token) -> str:
    """ "digit" for a digit said or written, "homophone" for a word heard for one ("fore",
    "too"), "" otherwise."""
    if _numeric(tok) or repeats_digits(tok.lower):
        return "digit"
    return "homophone" if homophone_digit(tok.lower) is not None else ""


# Said after giving one's own name to ask for the other's: "my name is kim, and yours?"
_ASKING_BACK = frozenset({"you", "your", "yours", "who", "who's", "whos", "whose"})


def _name_given_there(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The other party said the name the cue names ("... and the name is Rashad
    Underwood.", "his name is pickles"), asking for none back: the next speaker's first
    word is no answer."""
    k = match.last + 1
    said = tokens[match.last].lower.replace("’", "'")
    if said != "is" and not said.endswith("'s"):  # "name is", "name's"
        if k >= len(tokens) or tokens[k].lower not in _STATING:
            return False
        k += 1
    if k >= len(tokens) or tokens[k].kind != Kind.WORD or tokens[k].lower in HESITATIONS:
        return False  # "the name is?", "and the name is uh": asked
    return not any(t.text == "?" or t.lower in _ASKING_BACK for t in tokens[k:])


# Said between an amount's name and the amount: "the fee is $325", "a deposit of 40".
_STATING_AMOUNTS = frozenset({"is", "was", "will", "be", "of", "$", "just", "only", "about"})


def _amount_given_there(tokens: Sequence[Token], match: CueMatch) -> bool:
    """The other party stated the amount the cue names right after it ("... the last 4 of
    your SSN, and the fee is $325 for ..."): it asks the next speaker for no amount."""
    k = match.last + 1
    while k < len(tokens) and (tokens[k].lower in _STATING_AMOUNTS or tokens[k].kind == Kind.PUNCT):
        k += 1
    return k < len(tokens) and _numeric(tokens[k])


def _numeric(tok: Token) -> bool:
    return tok.kind == Kind.DIGITS or tok.lower in NUMBER_WORDS


def sent_somewhere(tokens: Sequence[Token], last: int) -> bool:
    """The cue ending at token `last` is followed by "to" and a word: "the receipt to my
    email", not "the order to 5 ..." nor a count ("how many to 10")."""
    k = last + 1
    return (
        k + 1 < len(tokens)
        and tokens[k].lower == "to"
        and tokens[k + 1].kind == Kind.WORD
        and tokens[k + 1].lower not in NUMBER_WORDS
    )


# Putting what is asked somewhere: "i'll put it in the work order", "note it on the
# ticket", "add that to your file".
_FILING = frozenset("put add note write log enter save attach include mark keep".split())
_INTO = frozenset({"in", "on", "into", "to", "onto"})
_DETERMINERS = frozenset({"the", "a", "your", "my", "our", "his", "her", "their", "this"})
# What comes before the words saying which account something is kept under.
_KEPT_UNDER = _DETERMINERS | {"ur", "yer", "on", "under"}


def _filed_in(tokens: Sequence[Token], first: int) -> bool:
    """The cue starting at token `first` is where something is put ("what's the keypad
    code and i'll put it in the work order"): the record it goes into, not its number."""
    k = first - 1
    if k >= 0 and tokens[k].lower in _DETERMINERS:
        k -= 1
    if k < 0 or tokens[k].lower not in _INTO:
        return False
    return any(t.lower in _FILING for t in tokens[max(0, k - 3) : k])


def earlier_lines_asked(
    tokens: list[Token], token_line: list[int], target: int, matches: list[CueMatch]
) -> list[CueMatch]:
    """The cues of the whole text, with each of the speaker's lines before the target read
    as `_asked` reads a question: "they said you need my social for the twelve month plan",
    then the number, asks for a social, not a plan's number. The target line keeps every
    cue: a stopping word said with the number governs it."""
    kept: list[CueMatch] = []
    for line in sorted({token_line[m.first] for m in matches}):
        in_line = [m for m in matches if token_line[m.first] == line]
        in_line = [m for m in in_line if not _what_a_code_is_for(tokens, m, in_line)]
        kept += in_line if line >= target else asked(tokens, in_line)
    return kept


# Said after a code's name before what it opens or where it is written: "the door code
# for the supply room", "the access code on your kit receipt", "the pin from the letter".
_WHERE_A_CODE_IS = frozenset({"for", "on", "from", "in"})
# Words a stopping cue may stand after "for" in naming what a code opens.
_FOR_REACH = 4


def _what_a_code_is_for(tokens: Sequence[Token], match: CueMatch, line: Sequence[CueMatch]) -> bool:
    """A stopping cue that says what a named code is for or where it is written ("the door
    code for the supply room is seven five one five", "read me the access code on your kit
    receipt"): it names no number of its own."""
    if match.cue not in (Cue.MONEY, Cue.NEGATIVE):
        return False
    for named in line:
        if named.cue not in (Cue.PIN, Cue.CODE):
            continue  # not "the card for both girls camp balance": what is paid
        k = named.last + 1
        if k < match.first <= k + _FOR_REACH and tokens[k].lower in _WHERE_A_CODE_IS:
            between = tokens[k + 1 : match.first]
            return not any(_numeric(t) for t in between) and not _numeric_after(tokens, match)
    return False


def _numeric_after(tokens: Sequence[Token], match: CueMatch) -> bool:
    """A number said right after the cue ("for room 12"): the cue's own."""
    k = match.last + 1
    return k < len(tokens) and _numeric(tokens[k])


def reads_card(run: DigitRun) -> bool:
    """Some of the run's parts said one after the other make a card's number: 15 or 16
    digits that pass its checksum (its expiry and code may follow in the same run)."""
    segments = run.segments()
    for a in range(len(segments)):
        for b in range(a, len(segments)):
            digits = run.sub(segments[a][0], segments[b][1]).digits
            if len(digits) > 16:
                break
            if len(digits) >= 15 and luhn_ok(digits):
                return True
    return False
