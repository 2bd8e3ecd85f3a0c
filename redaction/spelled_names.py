"""Names spelled letter by letter: "S M I T H", "s-m-i-t-h", "s as in sam", and the
surname said after a spelled given name ("z b i g n e w ostrowsky")."""

from __future__ import annotations

from redaction.context import Cue
from redaction.mentions import sure_name
from redaction.model import EntityType, Finding
from redaction.spoken import NUMBER_WORDS, Kind
from redaction.transcript import Transcript

_ACRONYMS = frozenset(
    """dob ssn po cvv cvc atm usa aba pin id tv hoa apo fpo dpo psc cmr usps ups dhl irs dmv
    ssa eta pdf faq vin ach apr llc inc ceo fyi asap icu ppo hmo hsa fsa ira dvd gps sms url
    www usb hvac suv atv mri ekg ent gyn dds hiv std adhd gpa ged esl tsa faa fbi cpa cpr dna
    aarp ymca hdmi lcd led rsvp eob npi pto cod""".split()
)
# Letters noisy recognisers write for words after "k n" ("ok and"): "a", "u", "r u", "i".
_CHAT_LETTERS = frozenset({"a", "u", "r", "i"})


def _spells_mail_site(doc: Transcript, first: int, spelled: str) -> bool:
    """The letters spell a mail site said before them, by either party ("jiahui.lin97 at
    zoho dot com, Z-O-H-O"; "no g m x like the letters" after "... at gmx dot com"): the
    provider, no name."""
    said = [t.lower for t in doc.tokens[:first]] + doc.prompt_said
    return any(
        word == spelled and said[k - 1] in ("at", "@") for k, word in enumerate(said) if k > 0
    )


# How many tokens before a spelling the word it spells may have been said.
_SPELLED_AFTER = 4


def find_spelled(doc: Transcript, start: int, stop: int) -> list[Finding]:
    """Names spelled in tokens start..stop-1: letters said one by one ("S M I T H",
    "s-m-i-t-h", "s as in sam"), three or more that spell no acronym."""
    found = []
    toks = doc.tokens
    k = start
    while k < stop:
        letters: list[str] = []
        first = last = k
        j = k
        while j < stop:
            tok = toks[j]
            if tok.kind == Kind.WORD and len(tok.text) == 1:
                letters.append(tok.lower)
                last = j
                j += 1
                # "s as in sam"
                if j + 2 < stop and toks[j].lower == "as" and toks[j + 1].lower == "in":
                    last = j + 2
                    j += 3
                continue
            if (tok.text in (".", "-", ",") or tok.lower in ("dash", "hyphen")) and letters:
                j += 1  # "r e y e s dash k i n g s l e y"
                continue
            break
        spelled = "".join(letters)
        chat = letters[:2] == ["k", "n"] and set(letters[2:]) <= _CHAT_LETTERS
        said_before = toks[first - 1] if first > 0 else None
        timed = said_before is not None and (
            said_before.kind == Kind.DIGITS or said_before.lower in NUMBER_WORDS
        )
        if timed and letters[:2] in (["a", "m"], ["p", "m"]):
            k = first + 2  # "seven a m n itll take ...": a time, then "and"
            continue
        if spelled.endswith("po") and j < stop and toks[j].lower == "box":
            letters = letters[:-2]  # "k p o box ...": "ok, P.O. box", the box spelled
            spelled = spelled[:-2]
        before = {t.lower for t in toks[max(0, first - _SPELLED_AFTER) : first] if t.is_word}
        trailing = letters[-1:] in (["i"], ["a"]) and toks[last].lower == letters[-1]
        if trailing and spelled[:-1] in before and spelled not in before:
            # "moses gomwalk that's g o m w a l k i farm about ...": the name said, spelled,
            # then "I" (or "a") begins what comes next
            letters, spelled = letters[:-1], spelled[:-1]
            last -= 1
            while last > first and not (toks[last].is_word and len(toks[last].text) == 1):
                last -= 1  # "g-o-m-w-a-l-k-i": back past the dash to the last letter
        if (
            len(letters) >= 3
            and spelled not in _ACRONYMS
            and set(spelled) - {"a", "i"}
            and not chat  # "k n a number to reach u": "ok and a ...", no spelling
            and not _spells_mail_site(doc, first, spelled)
        ):
            cues = [c for c, _ in doc.cues_near(first, last)]
            # the spelling of a word said just before it: the name it spells
            score = 0.85 if Cue.NAME in cues[:3] or spelled in before else 0.5
            surname = last + 1
            ends = surname + 1 >= stop or toks[surname + 1].kind == Kind.PUNCT
            if surname < stop and ends and sure_name(toks[surname]):
                last = surname  # "z b i g n e w ostrowsky": the given name, then the surname
            found.append(Finding(EntityType.PERSON, toks[first].start, toks[last].end, score))
            k = j
        else:
            k = max(j, k + 1)
    return found
