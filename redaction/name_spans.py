"""The tagger's PERSON hits, tidied: a leading title or filler cut off, a word that takes
the name back cut off, and hits that are plainly no name (a company, a greeting, only
everyday words) dropped. The word lists are shared with `names`."""

from __future__ import annotations

import re

from redaction.lexicon import (
    CHAT_WORDS,
    COMMON_WORDS,
    FUNCTION_WORDS,
    STREET_SUFFIXES,
    dropped_g,
    everyday,
)
from redaction.name_words import (
    ASKED_BESIDE_NAMES,
    CUE_WORDS,
    KIN,
    PRACTICE_WORDS,
    SELF_WORDS,
    given_name,
)
from redaction.number_words import MEASURE_WORDS
from redaction.spoken import NUMBER_WORDS
from redaction.tokens import HOMOPHONE_DIGITS, with_apostrophe

NOT_NAME_WORDS = (
    COMMON_WORDS
    | NUMBER_WORDS
    | STREET_SUFFIXES
    | frozenset(
        """full autopay visa mastercard amex discover paypal venmo zelle connect amazon google
    apple rx medicaid medicare tricare policyholder instead from with returning spelled spelt
    spelling mm mhm hm huh
    uhm ah er
    erm ya yah yea nah everyone everybody someone somebody anyone anybody""".split()
    )
    # days as chat writes them: "we can send him fri mornin"
    # ("thu", "mon" are given names too: "thu trang pham")
    | frozenset("tues weds thur thurs fri".split())
    | CHAT_WORDS
    | SELF_WORDS  # "marcus speakin": what the speaker does after the name
    | ASKED_BESIDE_NAMES
    # "in memory of grandpa": a relative named by the relation is no one's name
    | KIN
)
# Words that make an NER hit a company, a greeting or a holiday, not a person.
NOT_IN_NAMES = (
    frozenset(
        """wireless bank power health insurance energy inc llc corp corporation company co
    services service mobile telecom communications airlines airways electric gas water
    utilities utility financial credit union group systems solutions store shop pharmacy
    clinic hospital university college school center centre support billing network
    cable internet tv streaming merry christmas easter thanksgiving halloween happy pro plus
    premium unlimited basic ultra lite gigabit fiber autopay recovery collections rx
    pharmacy lending mortgage loans office vet bursar registrar auto automotive motors
    garage repair repairs plumbing heating roofing landscaping cleaning construction
    salon studio bakery jewelers jewellers jewelry florist florists cafe grill diner
    boutique gallery academy outfitters rentals charters lanes realty realtors properties
    taverna tavern bistro cantina trattoria pizzeria brewery brewing winery distillery
    tacos deli eatery bakeshop creamery catering nursery hardware furniture printing
    tailors cleaners laundromat spa fitness gym yoga daycare preschool kennels grooming
    veterinary dental orthodontics chiropractic logistics freight trucking movers storage
    builders contractors consulting agency imports wholesale distributors apparel
    outdoors marine aviation tours travel hotel motel lodge resort cinemas theatre theater
    ministries foundation institute museum ranch farms orchard vineyard customs brokers
    brokerage tire tires tanning farm restaurant seafood symphony orchestra philharmonic
    opera ballet chorale elementary planetarium observatory optical optometry homes
    awning awnings karaoke bonds towing graphics detailing interpreting translations""".split()
    )
    | PRACTICE_WORDS
)
TITLES_SPOKEN = frozenset({"mr", "mrs", "ms", "dr", "prof", "mister", "missus", "doctor"})
# Said to correct a name just said: "ruth no ruthanne gallagher".
CORRECTING = frozenset({"no", "sorry", "wait", "mean"})
# Said before a name, never in one: the tagger sometimes takes them in.
_FILLER_OPENERS = frozenset("ya yeah yep yes yup uh um oh ok okay k kk so well lemme".split())


def cut_taken_back(text: str, start: int, end: int) -> int:
    """End of a name span before a word that takes the name back ("john no" -> "john")
    or a verb as noisy recognisers write it ("radomir kowalczyk callin" -> "radomir
    kowalczyk"), or "and" or a chat word as noisy recognisers write them ("oriana
    valcourt n date a birth", "hay whatcha need"), or a word naming what is asked next
    ("tesfaye haile date a birth"), which the tagger reads as more of the name."""
    for m in re.finditer(r"\S+", text[start:end]):
        word = m.group().strip(".,")
        joined = word == "n" and m.start()  # lower case: "N" may be an initial
        chat = word in CHAT_WORDS  # "golden bale hay whatcha need": lower case, never a name
        # "k tesfaye haile date a birth": what is asked next (not "and" of "Tint and Wrap")
        asked = word in CUE_WORDS and word not in FUNCTION_WORDS
        taken_back = word.lower() in CORRECTING or dropped_g(word.lower())
        if m.start() and (taken_back or joined or chat or asked):
            return start + len(text[start : start + m.start()].rstrip(" ,"))
    return end


def strip_title(text: str, start: int, end: int) -> int:
    """Start of a name span without a leading title or cue word ("Mr. Lopez" -> "Lopez")."""
    while True:
        head = text[start:end].split(None, 1)
        word = head[0].rstrip(".,").lower() if head else ""
        # "Mr. Lopez" -> "Lopez"; "Expiry March" -> "March" (a word naming a number)
        if len(head) == 2 and (word in TITLES_SPOKEN or word in CUE_WORDS):
            start = end - len(head[1])
            continue
        if len(head) == 2 and word in _FILLER_OPENERS:
            start = end - len(head[1])  # "ya rosario villanueva-cruz": the filler is no name
            continue
        return start


def plausible_name(text: str) -> bool:
    """Whether an NER hit could be a name: not only common words or fillers, no digits."""
    if any(ch.isdigit() for ch in text):
        return False
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text)]
    if any(w in NOT_IN_NAMES or w in MEASURE_WORDS for w in words):
        return False
    if any("'" in with_apostrophe(w) and with_apostrophe(w) in FUNCTION_WORDS for w in words):
        return False  # "ya thats": a contraction is no part of a name
    if all(w.replace("’", "'").removesuffix("'s") in KIN for w in words):
        return False  # "Dad's statement": a relative, not their name
    if all(w in CUE_WORDS or w in NOT_NAME_WORDS for w in words):
        return False  # "Expiry", "ya routing": a word that names a number
    digit_words = HOMOPHONE_DIGITS | NUMBER_WORDS
    if text.islower() and all(dropped_g(w) or w in digit_words for w in words):
        return False  # "settin", "routin ate": a verb as recognisers write it, a digit
    if text.isupper() and len(text.strip()) <= 4:
        return False  # "GB", "ATM": an acronym
    if text.islower() and all(everyday(w) and not given_name(w) for w in words):
        return False  # lower-case text, only everyday words: "ur approved", "guest services"
    return any(len(w) > 1 and w not in NOT_NAME_WORDS for w in words)
