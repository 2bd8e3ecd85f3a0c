"""E-mail addresses, written ("john.smith@example.com") or spoken ("john dot smith at
example dot com", "j smith underscore 42 at gmail dot com")."""

from __future__ import annotations

import re

from redaction.lexicon import (
    COMMON_WORDS,
    FUNCTION_WORDS,
    HEARD_TOP_LEVEL_DOMAINS,
    MAIL_PROVIDERS,
    TOP_LEVEL_DOMAINS,
)
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.spoken import NUMBER_WORDS, ORDINALS, Kind, Token
from redaction.tokens import HOMOPHONE_DIGITS, repeats_digits
from redaction.transcript import Transcript

_WRITTEN = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", re.ASCII
)

# Spoken joiners inside an address, and their written form.
_JOINERS = {
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
}
# Tokens a spoken local part may span: a name spelled letter by letter, a joiner, digits.
MAX_LOCAL_TOKENS = 32
# Digits said one after another in a mailbox's name ("reza ninety two at"): more than this
# is a number said before the address (a phone number), not part of it.
MAX_LOCAL_DIGIT_WORDS = 6


# Said before "at <site> dot com" when a web site, not a mailbox, is meant.
_SITE_VERBS = frozenset(
    """look shop buy order find check sign log visit search see go click apply register pay
    book browse available online us them it work works worked working live lives stay
    stayed""".split()
)


# Mail providers' names as recognisers split and mishear them.
_PROVIDERS_HEARD = {
    ("g", "mail"): "gmail",
    ("gee", "mail"): "gmail",
    ("ya", "who"): "yahoo",
    ("yah", "who"): "yahoo",
    ("ya", "hoo"): "yahoo",
    ("calm", "cast"): "comcast",
    ("com", "cast"): "comcast",
    ("eye", "cloud"): "icloud",
    ("out", "luck"): "outlook",
    ("hot", "male"): "hotmail",
    ("g", "male"): "gmail",
    ("gee", "male"): "gmail",
    ("very", "zen"): "verizon",
    ("fast", "male"): "fastmail",
    ("vast", "mail"): "fastmail",
    ("proton", "male"): "protonmail",
}


def _ends_domain(tok: Token) -> bool:
    """A top-level domain, as written or as a recogniser hears it ("dot comb")."""
    return tok.lower in TOP_LEVEL_DOMAINS or tok.lower in HEARD_TOP_LEVEL_DOMAINS


def _is_joiner(tok: Token) -> bool:
    return tok.lower in _JOINERS or tok.text in (".", "_", "-")


def _letter(tok: Token) -> bool:
    return tok.kind == Kind.WORD and len(tok.text) == 1 and tok.text.isalpha()


def _spelled(toks: list[Token], k: int) -> bool:
    """Token k is a letter of a word spelled out ("t h e r e s a", "t-r-a-n"), so even "a" or "i"
    is a letter of the address, not a word of the sentence."""
    if not _letter(toks[k]):
        return False
    for step in (-1, 1):
        j = k + step
        if 0 <= j < len(toks) and toks[j].text == "-":
            j += step  # "t-r-a-n"
        if 0 <= j < len(toks) and _letter(toks[j]):
            return True
    return False


def _numeric(toks: list[Token], k: int) -> bool:
    """Token k is a digit of the local part: written, a number word, or a word heard for
    a digit beside another ("m ate too at ...": 82; "rioflanker too tree at ...": 23)."""
    tok = toks[k]
    if tok.kind == Kind.DIGITS or tok.lower in NUMBER_WORDS:
        return True
    if tok.lower not in HOMOPHONE_DIGITS:
        return False
    beside = [toks[j].lower for j in (k - 1, k + 1) if 0 <= j < len(toks)]
    return any(w in NUMBER_WORDS or w in HOMOPHONE_DIGITS for w in beside)


def _said_digits(toks: list[Token], k: int) -> bool:
    """Token k reads out digits: a digit of the local part, or "double", "triple" ("too
    seven nine triple five oh won ...": a phone number said before the mailbox)."""
    return _numeric(toks, k) or repeats_digits(toks[k].lower)


def _local_start(toks: list[Token], at: int) -> int | None:
    """First token of the local part before the "at" token."""
    k = at - 1
    if k > 0 and toks[k].text == ",":
        k -= 1  # "h-u-n-g 8 4, at yahoo dot com": a pause before "at"
    if k < 0:
        return None
    last = toks[k]
    numeric = _numeric(toks, k)
    # "johnson.a at", "smith_j at": an initial after a joiner ends the local part
    initial = _letter(last) and k > 0 and _is_joiner(toks[k - 1])
    alphabet = k >= 3 and toks[k - 1].lower == "in" and toks[k - 2].lower == "as"
    # "k dot her at ...": any word joined on by "dot" or "underscore" is the mailbox's
    joined = k >= 2 and _is_joiner(toks[k - 1]) and toks[k - 2].kind in (Kind.WORD, Kind.DIGITS)
    if not (numeric or initial or alphabet or joined or _spelled(toks, k)) and (
        last.kind != Kind.WORD or last.lower in COMMON_WORDS
    ):
        return None
    if last.lower in _SITE_VERBS and (k == 0 or not _is_joiner(toks[k - 1])):
        return None  # "shop at amazon dot com"
    first = k
    bare = 0  # words said one after the other without a joiner ("john smith at")
    joined_on = False  # a joiner was said: "slapjack dot nik"
    k -= 1
    while k >= 0 and at - k <= MAX_LOCAL_TOKENS:
        tok = toks[k]
        if tok.lower in _BEFORE_JOINED_MAILBOX:
            break  # "k thats p notanubun at outlook dot com": read back from there
        if tok.lower == "score" and k >= 2 and toks[k - 1].lower == "under":
            # "rattler under score darts ...": the underscore said as two words
            if toks[k - 2].kind in (Kind.WORD, Kind.DIGITS):
                first, joined_on = k - 2, True
                k -= 3
                continue
        if k >= 3 and toks[k - 1].lower == "in" and toks[k - 2].lower == "as":
            if _letter(toks[k - 3]):
                first = k - 3  # "m as in mike", "s as in sierra"
                k -= 4
                continue
        spelt = k > 3 and toks[k - 2].lower == "in" and toks[k - 3].lower == "as"
        if (
            tok.text == ","
            and k > 0
            and (_letter(toks[k - 1]) or toks[k - 1].kind == Kind.DIGITS or spelt)
        ):
            k -= 1  # "m as in mike, d-e-l-a-c-r-u-z, eighty two at": pauses while spelling
            continue
        if _is_joiner(tok) and k > 0 and toks[k - 1].kind in (Kind.WORD, Kind.DIGITS):
            initial = _letter(toks[k - 1]) and tok.lower in ("underscore", "_")
            if toks[k - 1].lower in FUNCTION_WORDS and not (_spelled(toks, k - 1) or initial):
                break  # "send it to dot ...", but "i underscore makris at ...": an initial
            first, joined_on = k - 1, True
            k -= 2
            continue
        # "n" between words is "and" as noisy recognisers write it ("pilar n guthrie at"),
        # "k" opening a line is "okay" ("k rioflanker too tree at ...")
        okay = tok.lower == "k" and (k == 0 or toks[k - 1].kind == Kind.NEWLINE)
        single = _letter(tok) and (tok.lower not in ("a", "i", "n") or _spelled(toks, k))
        single = single and not (okay and not _spelled(toks, k))
        if _numeric(toks, k):
            digits_run = next(
                (n for n in range(1, k + 2) if k - n < 0 or not _said_digits(toks, k - n)), 1
            )
            if digits_run > MAX_LOCAL_DIGIT_WORDS:
                break  # "... oh won fifty ate n pilar at ...": a phone number said before it
            said_before = toks[k - digits_run] if k - digits_run >= 0 else None
            if said_before is not None and (
                said_before.lower in ORDINALS or month_of(said_before.lower) is not None
            ):
                break  # "april ninth fifty five afua j at ...": the year of a date before it
            first = k
            k -= 1
            continue
        if single:
            first = k
            k -= 1
            continue
        # "n" alone is "and": inside a mailbox between two names ("rosalind n ferris at"),
        # not after a number ("six thirteen sixty too n zen underscore ...": a birth date,
        # then the mailbox)
        and_after_number = tok.lower == "n" and k > 0 and _numeric(toks, k - 1)
        # "bela hakurate bela dot hakurate at ...": the name said, then its mailbox
        said_after = tok.lower in {t.lower for t in toks[first:at]}
        # "nikodemus wowor n slapjack dot nik at ...": the name said, then a mailbox whose
        # words are joined; "n t saudale": "and" opening the line
        and_before = tok.lower == "n" and (joined_on or k == 0 or toks[k - 1].kind == Kind.NEWLINE)
        if (
            tok.kind == Kind.WORD
            and tok.lower not in COMMON_WORDS
            and not okay
            and not and_after_number
            and not and_before
            and not said_after
            and bare < 2
        ):
            bare += 1
            first = k
            k -= 1
            continue
        if tok.kind == Kind.WORD and bare < 2 and k > 0 and _initial_before(toks, k):
            first = k - 1  # "M her 81 at yahoo dot com": an initial and a surname that is a word
            break
        if tok.lower in _SAID_INSIDE and k > 0 and _opens_mailbox(toks, k - 1):
            first = k - 1  # "wynn and pia at hotmail dot com", "petra for trustees at ..."
        break
    return first


def _initial_before(toks: list[Token], k: int) -> bool:
    """Token k - 1 is an initial (not "a", "i" or "n") that opens the line or follows a
    pause."""
    initial = toks[k - 1]
    if not _letter(initial) or initial.lower in ("a", "i", "n"):
        return False
    return (
        k == 1
        or toks[k - 2].kind in (Kind.NEWLINE, Kind.PUNCT)
        or toks[k - 2].lower in (_BEFORE_MAILBOX)
    )


# Words said inside a mailbox's name as themselves: "wynnandpia", "petrafortrustees".
_SAID_INSIDE = frozenset({"and", "n", "for", "4"})
# Said right before a mailbox's name: it begins there.
_BEFORE_MAILBOX = frozenset({"is", "its", "it's", "email", "e-mail", ":"})


def _opens_mailbox(toks: list[Token], k: int) -> bool:
    """Token k, a name-like word, opens the line or follows "email" / "is": a mailbox's
    name begins with it."""
    tok = toks[k]
    if tok.kind != Kind.WORD or tok.lower in COMMON_WORDS or tok.lower in FUNCTION_WORDS:
        return False
    return k == 0 or toks[k - 1].kind == Kind.NEWLINE or toks[k - 1].lower in _BEFORE_MAILBOX


def _domain_end(toks: list[Token], at: int) -> tuple[int, bool] | None:
    """Last token of the domain after the "at" token, and whether it has a known TLD."""
    k = at + 1
    if k < len(toks) and toks[k].lower in ("sign", "symbol"):
        k += 1
    if k >= len(toks) or toks[k].kind not in (Kind.WORD, Kind.DIGITS):
        return None
    heard = _label_heard(toks, k)
    if heard is not None:
        first_label, last = heard  # "at a o l dot com", "at out look dot com"
    else:
        dotted = k + 2 < len(toks) and _is_joiner(toks[k + 1]) and _ends_domain(toks[k + 2])
        if toks[k].lower in COMMON_WORDS and toks[k].lower not in MAIL_PROVIDERS and not dotted:
            # "meet me at home", unless a domain ending follows soon: "example.net", or a
            # provider misheard as everyday words ("at yeah who dot com", "at i clawed
            # dot com")
            misheard = _ending_soon(toks, k)
            return None if misheard is None else (misheard, True)
        first_label, last = toks[k].lower, k
    k = last + 1
    labels = 1
    while k + 1 < len(toks) and _is_joiner(toks[k]) and toks[k].lower != "underscore":
        nxt = toks[k + 1]
        if nxt.kind not in (Kind.WORD, Kind.DIGITS):
            break
        spelt = _spelled_domain_end(toks, k + 1)
        if spelt is not None:
            return spelt, True  # "dot e d u"
        last = k + 1
        labels += 1
        k += 2
        if labels == 2 and first_label in MAIL_PROVIDERS:
            return last, True  # "at aol dot calm": a provider's domain ends as it was heard
        if _ends_domain(nxt):
            # "dot co dot uk", "dash family dot net" go on; otherwise the TLD ends it
            if not (k + 1 < len(toks) and _is_joiner(toks[k]) and _ends_domain(toks[k + 1])):
                return last, True
    # "murphy law dot org", "prairie cold storage dot com", "harbor light marine co dot
    # com": a domain said as two to four words
    words = 0
    while labels == 1 and words < 3 and k + 2 < len(toks) and toks[k].kind == Kind.WORD:
        # "at crouton and crumb dot com": "and" inside a firm's name, a word after it
        joins = toks[k].lower in ("and", "n") and _content_word(toks[k + 1])
        if toks[k].lower in FUNCTION_WORDS and not joins:
            break
        if _is_joiner(toks[k + 1]) and _ends_domain(toks[k + 2]):
            return k + 2, True
        words += 1
        k += 1
    if labels == 1 and first_label in MAIL_PROVIDERS:
        return last, False
    return None


# Words a provider's name may be misheard as before its ending: "yeah who", "for eyes in".
MAX_HEARD_LABEL_WORDS = 3


def _ending_soon(toks: list[Token], k: int) -> int | None:
    """The top-level domain's token when "dot <ending>" follows the words from token k
    within MAX_HEARD_LABEL_WORDS words, on the same line."""
    for j in range(k + 1, min(k + 1 + MAX_HEARD_LABEL_WORDS, len(toks) - 1)):
        if toks[j].lower == "dot" and _ends_domain(toks[j + 1]):
            return j + 1
        if toks[j].kind != Kind.WORD:
            return None
    return None


def _spelled_domain_end(toks: list[Token], k: int) -> int | None:
    """The last letter of a top-level domain spelled letter by letter from token k ("e d
    u", "o r g"), or None."""
    j = k
    while j < len(toks) and _letter(toks[j]) and j - k < 4:
        j += 1
    if j - k >= 2 and "".join(t.lower for t in toks[k:j]) in TOP_LEVEL_DOMAINS:
        return j - 1
    return None


def _label_heard(toks: list[Token], k: int) -> tuple[str, int] | None:
    """A mail provider's name said in pieces from token k ("a o l", "out look", "hot
    mail", "gee mail"), with the last token it takes."""
    letters = k
    while letters < len(toks) and _letter(toks[letters]):
        letters += 1
    if letters - k >= 2:
        return "".join(t.lower for t in toks[k:letters]), letters - 1
    if k + 1 < len(toks) and toks[k + 1].kind == Kind.WORD:
        pair = (toks[k].lower, toks[k + 1].lower)
        if "".join(pair) in MAIL_PROVIDERS:
            return "".join(pair), k + 1
        if pair in _PROVIDERS_HEARD:
            return _PROVIDERS_HEARD[pair], k + 1
    return None


def _role_mailbox(toks: list[Token], at: int) -> int | None:
    """A mailbox named by its role before a domain ("billing at ridgeline roofing co dot
    com", "info at ..."): the one word before the "at" token, if it can be one."""
    k = at - 1
    if k < 0 or toks[k].kind != Kind.WORD or len(toks[k].text) < 2:
        return None
    w = toks[k].lower
    if w in _GREETING_MAILBOXES:
        return k  # "hello at lakeside pantry dot org": a mailbox named as a greeting
    if w in FUNCTION_WORDS or w in _SITE_VERBS or w in ("email", "mail", "e-mail"):
        return None
    return k


def _content_word(tok: Token) -> bool:
    return tok.kind == Kind.WORD and tok.lower not in FUNCTION_WORDS and len(tok.text) > 1


# Said right before a mailbox's name that "and" joins: "send it to ladi and mom at ...".
_BEFORE_JOINED_MAILBOX = _BEFORE_MAILBOX | {"to", "that's", "thats"}


def _joined_by_and(toks: list[Token], start: int) -> int:
    """The mailbox's first token, taking in a word "and" joins to it ("ladi and mom at
    yahoo dot com", "ribbons and rye at ..."), when that word follows "to", "is" or
    "email" or opens the line, so that the two name one mailbox."""
    k = start - 2
    if k < 0 or toks[start - 1].lower not in ("and", "n") or not _content_word(toks[k]):
        return start
    if k == 0 or toks[k - 1].kind == Kind.NEWLINE or toks[k - 1].lower in _BEFORE_JOINED_MAILBOX:
        return k
    if k >= 2 and toks[k - 1].lower in ("and", "n") and _numeric(toks, k - 2):
        return k  # "<phone number> and peace and quiet at ...": the next thing given
    return start


# Mailboxes firms name with a greeting, though the word is no name otherwise.
_GREETING_MAILBOXES = frozenset({"hello", "hi", "hey", "howdy"})


def find_emails(doc: Transcript) -> list[Finding]:
    found: list[Finding] = []
    lo, hi = doc.target_span
    line = doc.text[lo:hi]
    for m in _WRITTEN.finditer(line):
        found.append(Finding(EntityType.EMAIL_ADDRESS, lo + m.start(), lo + m.end(), 0.95))
    toks = doc.tokens
    for k, tok in enumerate(toks):
        if tok.lower != "at" and tok.text != "@":
            continue
        if not lo <= tok.start < hi:
            continue
        if tok.text == "@" and any(f.start <= tok.start < f.end for f in found):
            continue
        start = _local_start(toks, k)
        domain = _domain_end(toks, k)
        if domain is None:
            continue
        end, known_tld = domain
        if end + 1 < len(toks) and (toks[end + 1].lower == "at" or toks[end + 1].text == "@"):
            continue  # "panda radebe at rutashobya dot family at gmail ...": a mailbox's name
        if start is None and known_tld:
            start = _role_mailbox(toks, k)
        if start is None:
            continue
        start = _joined_by_and(toks, start)
        score = 0.95 if known_tld else 0.7
        found.append(Finding(EntityType.EMAIL_ADDRESS, toks[start].start, toks[end].end, score))
    return found
