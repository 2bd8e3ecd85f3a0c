"""Words found as names that name no person where they stand: the company in a greeting
("Crestline Collision, estimates desk."), a place ("San Diego"), a pet ("a puppy, his
name is tucker") or a word of a spelling alphabet ("B as in Bravo")."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from wordfreq import zipf_frequency

from redaction.company_names import COMPANY_SLOTS
from redaction.greetings import AFTER_OWN_NAME, COMPANY_NAME_WORDS
from redaction.lexicon import (
    FUNCTION_WORDS,
    MAIL_PROVIDERS,
    census_surname,
    dropped_g,
    everyday,
    recorded_given,
)
from redaction.model import Finding
from redaction.name_phrases import ROLES
from redaction.name_spans import NOT_IN_NAMES, TITLES_SPOKEN
from redaction.name_words import (
    CLAUSE_STARTS,
    CUE_WORDS,
    DEPARTMENTS,
    DESK_WORDS,
    KIN,
    OPENERS,
    given_name,
)
from redaction.places import us_town
from redaction.spoken import Kind, Token
from redaction.tokens import said_for_digits
from redaction.transcript import Transcript
from redaction.unknown_names import unknown_word

_PETS = frozenset(
    """pet dog cat puppy kitten horse bird parrot rabbit goat mare gelding stallion pony
    colt filly""".split()
)
_SAINTS = frozenset({"saint", "st", "san", "santa", "sainte"})
_PLACE_PREFIXES = frozenset("san santa st saint los las fort port mount mt lake el".split())


# The last word of a firm's name, said after the words a tagger took for a person's: not
# the desk a caller asks for ("the card's under lucy l. lindqvist billing zip ...").
_FIRM_ENDINGS = NOT_IN_NAMES - frozenset(
    "billing support service services collections recovery office center centre".split()
)
# Where something is or happens, said after a name it bears: "the Crestmark building".
_VENUES = frozenset(
    """building tower towers apartments lofts plant site campus mall warehouse arena
    stadium show expo convention fair project""".split()
)
# A firm's last word that is no person's: "Pike and Tanner Sail Loft", "ortega and wells
# sail loft".
_FIRM_LAST = _VENUES | frozenset({"loft"})
# What a plan or a product is called, said after its name.
_GROUPS = frozenset("troop team club league squad crew band choir chorus pack den".split())
_PLANS = frozenset("plan pass package membership subscription series tier bundle".split())


def _mail_site(said: list[str]) -> bool:
    """The words name a mail site, said, spelled, or spelled and then said ("a o l aol"),
    and no given name (Juno is a mail site and a name)."""
    spelled_then_said = len(said) > 1 and "".join(said[:-1]) == said[-1]
    site = "".join(said) if len(said) > 1 and not spelled_then_said else said[-1]
    if site not in MAIL_PROVIDERS or recorded_given(site):
        return False
    return len(said) == 1 or spelled_then_said or all(len(w) == 1 for w in said)


def _words_after(doc: Transcript, finding: Finding, line_end: int) -> list[Token]:
    """The words right after the finding, up to a pause or the line's end."""
    after = (t for t in doc.tokens if finding.end <= t.start < line_end)
    return list(itertools.takewhile(lambda t: t.is_word, after))


def _pet_after(doc: Transcript, finding: Finding, line_end: int) -> bool:
    """ ", our goat" / ", my mare" right after the name: an animal's."""
    after = [t for t in doc.tokens if finding.end <= t.start < line_end][:4]
    words = [t.lower for t in after if t.is_word]
    return (
        bool(after)
        and after[0].text == ","
        and len(words) >= 2
        and words[0] in ("our", "my", "the")
        and words[1] in _PETS
    )


def _plan_named(following: list[Token]) -> bool:
    """A plan's word comes next, or after one word that says which ("family")."""
    words = [t.lower for t in following[:2]]
    if words[:1] and words[0] in _PLANS:
        return True
    return len(words) == 2 and words[1] in _PLANS and words[0] not in FUNCTION_WORDS


def _thing_named(
    doc: Transcript, finding: Finding, following: list[Token], pos: Mapping[int, str]
) -> bool:
    """After "a", the finding ends in, or comes before, a lower-case noun: the make of a
    thing ("a Shun cleaver"), not someone unknown ("registered to a Shauna Pettibone")."""
    said = [t for t in doc.tokens if finding.start <= t.start < finding.end and t.is_word]
    if said and said[-1].text.islower():
        return True
    nxt = following[0] if following else None
    return nxt is not None and nxt.text.islower() and pos.get(nxt.start) == "NOUN"


# Said after a place's name: "delmont county", "Harper City", "Elm Township".
_PLACE_KINDS = frozenset({"county", "city", "township", "parish", "borough", "village"})


# Firm endings that also join one person to the next in a list ("Disney Plus", but "ayu
# daulay plus bianca amalo").
_JOINING = frozenset({"plus"})


def _given_name_after(doc: Transcript, finding: Finding, line_end: int) -> bool:
    """The second word after the finding, on its line, is a given name."""
    words = [
        t.lower for t in doc.tokens if finding.end <= t.start < line_end and t.kind == Kind.WORD
    ]
    return len(words) >= 2 and given_name(words[1])


def named_otherwise(
    doc: Transcript, finding: Finding, companies: frozenset[str], pos: Mapping[int, str]
) -> bool:
    """A word that names no person where it stands: the company in a greeting, the second
    word of a place, or the word of a spelling alphabet ("2F, like Frank", "B as in
    Bravo"). `pos`: the parts of speech of the line's words, by character offset."""
    line_start, line_end = doc.lines[doc.target]
    # the words before it on its own line: "i live in whitehall mt", then "rawiri tamihana"
    # is no "mount rawiri"
    before = [
        t.lower
        for t in doc.tokens
        if line_start <= t.start and t.end <= finding.start and t.kind == Kind.WORD
    ][-3:]
    if tuple(before[-2:]) in COMPANY_SLOTS:
        return True
    said = [t.lower for t in doc.tokens if finding.start <= t.start < finding.end and t.is_word]
    titled = bool(before) and before[-1] in TITLES_SPOKEN  # "Mr. Street"
    # "Your name, Social and date of birth?", "routin triple too ...": what is asked for
    # (said before its number, which a name found there may run into)
    before_digits = itertools.takewhile(lambda w: not said_for_digits(w), said)
    asked = [w + "g" if w.endswith("in") and w + "g" in CUE_WORDS else w for w in before_digits]
    if asked and all(w in CUE_WORDS for w in asked) and not titled:
        return True
    if said and _mail_site(said):
        return True  # "no y a h o o yahoo": the mail site, spelled and said
    # "Harrow & Vance Law, intake.", then "Attorney Vance can see you": a partner, by role
    by_role = titled or (bool(before) and before[-1] in ROLES)
    if said and said[0] in companies and not by_role:
        return True  # "skyvista this is luis", then "skyvista install is $99": the company
    if _opens_agent_greeting(doc, finding, pos):
        return True
    if before[-1:] and before[-1] in _PLACE_PREFIXES:
        return True  # "San Diego", "St. Louis", "Fort Worth": a place
    if len(said) >= 2 and said[0] in _SAINTS:
        return True  # "treasurer at saint thomas": a church, a school, a town
    after = [
        t.lower for t in doc.tokens if finding.end <= t.start < line_end and t.kind == Kind.WORD
    ][:1]
    if after and after[0] in _PLACE_KINDS:
        return True  # "delmont county permits", "Harper City": a place
    named = doc.text[finding.start : finding.end].lower()
    # "hi im naresh negi callin for my boss ...": who speaks, said so, is no firm nor pet
    self_named = before[-1:] == ["i'm"] or before[-2:] == ["i", "am"]
    caller = _calling_for_someone(doc, finding, line_end)
    if caller is not None and _firm_like(caller) and not self_named:
        return True  # "this is Bright Flame Fuel Oil calling for Elikem Agbeko"
    if before[-2:] in (["this", "is"], ["is", "this"]) and _firm_answering(doc, finding, line_end):
        return True  # "Hi, this is Rootline Ancestry Research. Am I speaking with ...?"
    possessive = named.endswith(("'s", "’s"))  # "Consuelo Soto's furniture": hers
    if before[-1:] == ["the"] and after and after[0] in _VENUES:
        return True  # "the Crestmark building", "the Vegas show": where, not who
    cased = not doc.text[finding.start : finding.end].islower()
    if cased and len(said) >= 2 and said[-1] in _FIRM_LAST:
        return True  # "I manage Halvorsen Tower": a building, "Tanner Sail Loft": a firm
    if _partner_in_firm(doc, finding, line_end):
        return True  # "ortega and wells sail loft how can i help"
    if before[-2:] in _CALLING_FROM and us_town(named.split()):
        return True  # "I'm ringing from Manchester about my grandmother's plaque"
    placed = before[-1:] in (["in"], ["near"], ["outside"]) or before[-2:] == ["out", "of"]
    owner = possessive or doc.text[finding.end : finding.end + 2] in ("'s", "’s")
    if placed and not owner and us_town(named.split()):
        return True  # "I haul out of Joliet", "a job near Laredo": a town
    if after and after[0] in _FIRM_ENDINGS and not possessive and not titled:
        if after[0] in _JOINING and _given_name_after(doc, finding, line_end):
            return False  # "it's me ayu daulay plus bianca amalo": a list of people
        return doc.text[finding.end : finding.end + 1] == " "  # "la palma bakery": a shop
    if not possessive and _firm_ending_follows(doc, finding, line_end):
        return True  # "Balsam Hollow Tree Farm", "this is Frostline Fir Farm deliveries"
    if before[-2:] == ["as", "in"]:
        return True
    following = _words_after(doc, finding, line_end)
    if before[-1:] == ["a"] and _thing_named(doc, finding, following, pos):
        return True  # "a Shun cleaver", "a Kirby vacuum": a make of thing, not someone
    if len(said) == 1 and not owner and _plan_named(following):
        return True  # "the Explorer family membership", "our Friday Masterworks subscription"
    if len(said) == 1 and not owner and following[:1] and following[0].lower in _GROUPS:
        return True  # "for my Scout troop", "the Comet team": what the group is called
    earlier = [
        t.lower.removesuffix("'s")
        for t in doc.tokens
        if line_start <= t.start and t.end <= finding.start and t.kind == Kind.WORD
    ]
    introduced = (
        before[-2:] == ["this", "is"]
        or before[-3:] == ["my", "name", "is"]
        or before[-1:] in (["dr"], ["doctor"])  # "My cat, Duchess. Dr. Amara Feld ..."
        or (bool(before) and before[-1] in KIN)  # "the dog ... at my sister Carys's"
        or before[-1:] == ["under"]  # "dog walking invoices ... the account's under river"
        or self_named  # "... for my guide dog application im ibrahima djibrilla"
    )
    if _PETS.intersection(earlier[-8:]) and not introduced:
        # "your pet's name is noodle", "a puppy, his name is tucker"; but "pawsure pet
        # insurance, this is keisha" introduces the agent
        return True
    if _pet_after(doc, finding, line_end):
        return True  # "watch out for Oscar, our goat"
    if before[-1:] == ["like"]:
        # "like Frank" after a letter: "2F, like Frank"
        # "2F, like Frank": the word spells the letter before it ("S M I T H, like John
        # Smith" is a name)
        prior = [t for t in doc.tokens if t.end <= finding.start and t.kind != Kind.PUNCT][-2:]
        letter = prior[0].text[-1:].lower() if len(prior) == 2 else ""
        word = doc.text[finding.start : finding.end]
        return letter.isalpha() and len(prior[0].text) <= 3 and word[:1].lower() == letter
    return False


# Said before where a caller calls from.
_CALLING_FROM = (["calling", "from"], ["ringing", "from"], ["callin", "from"])
# Words of a firm's name after "<name> and <name>": "wells sail loft".
_PARTNER_WORDS = 3


def _partner_in_firm(doc: Transcript, finding: Finding, line_end: int) -> bool:
    """The finding, "and" and another name make a firm whose name ends in a firm's word
    ("ortega and wells sail loft", "Pike and Tanner Sail Loft")."""
    after = [t for t in doc.tokens if finding.end <= t.start < line_end][: _PARTNER_WORDS + 2]
    if len(after) < 2 or after[0].lower not in ("and", "&", "n"):
        return False
    if not after[1].is_word or after[1].lower in FUNCTION_WORDS:
        return False  # "my mom is evangeline rusk and the power of attorney ..."
    for tok in after[2:]:
        if not tok.is_word:
            return False
        if tok.lower in _FIRM_LAST or tok.lower in _FIRM_ENDINGS:
            return True
    return False


# Said by an agent calling a customer after whom the call is from: "... calling for ...".
_CALLING_FOR = (("calling", "for"), ("callin", "for"), ("calling", "on"))


def _capitalised_after(doc: Transcript, finding: Finding, line_end: int) -> list[Token]:
    """The capitalised words right after the finding, up to a pause or a word in lower
    case: where a firm's name goes on ("Bright Flame" / "Fuel Oil")."""
    after = _words_after(doc, finding, line_end)
    return list(itertools.takewhile(lambda t: t.text.istitle(), after))[:_FIRM_WORDS]


def _calling_for_someone(doc: Transcript, finding: Finding, line_end: int) -> list[str] | None:
    """The words of who is calling, when "calling for" follows the finding, perhaps after
    more capitalised words ("Bright Flame" / "Fuel Oil calling for ...")."""
    run = list(
        itertools.takewhile(
            lambda t: t.lower not in ("calling", "callin"),
            _capitalised_after(doc, finding, line_end),
        )
    )
    after = [t.lower for t in doc.tokens if finding.end <= t.start < line_end and t.is_word]
    if tuple(after[len(run) : len(run) + 2]) not in _CALLING_FOR:
        return None
    said = [t.lower for t in doc.tokens if finding.start <= t.start < finding.end and t.is_word]
    return said + [t.lower for t in run]


def _firm_answering(doc: Transcript, finding: Finding, line_end: int) -> bool:
    """The finding and the words that go on from it name a firm: a desk is among them
    ("kinfolk trail research billing"), or they end in an everyday word that is no
    surname after words that are no given name and surname ("Rootline Ancestry
    Research")."""
    words = [t.lower for t in doc.tokens if finding.start <= t.start < finding.end and t.is_word]
    cased = not doc.text[finding.start : finding.end].islower()
    if cased:
        words += [t.lower for t in _capitalised_after(doc, finding, line_end)]
    else:
        # in lower-case text, the words up to a function word or a pause
        for tok in (t for t in doc.tokens if finding.end <= t.start < line_end):
            if not tok.is_word or tok.lower in FUNCTION_WORDS or len(words) >= _FIRM_WORDS:
                break
            words.append(tok.lower)
    if len(words) >= 2 and words[-1] in DEPARTMENTS:
        return True  # "... research billing"
    if cased and len(words) >= 2 and any(w in DEPARTMENTS for w in words[1:]):
        return True  # "Crestview Admissions Advising"
    # in lower-case text any words run on after a name ("desmond achterberg junior
    # calling about ..."): only capitals say where a firm's name ends
    return cased and _firm_like(words) and everyday(words[-1])


# The most words of a firm's name said after "this is".
_FIRM_WORDS = 5


def _firm_ending_follows(doc: Transcript, finding: Finding, line_end: int) -> bool:
    """In text written with capitals, the capitalised words going on from the finding end
    in a firm's word ("Balsam Hollow" / "Tree Farm")."""
    if doc.text[finding.start : finding.end].islower():
        return False
    said = _capitalised_after(doc, finding, line_end)
    return bool(said) and said[-1].lower in _FIRM_ENDINGS


def _firm_like(words: list[str]) -> bool:
    """Words a firm is named with rather than a person: two or more that end in no surname
    the census lists, the first no given name or more words follow it ("Showfloor
    Fabrication", "Bright Flame Fuel Oil"; not "Dana Whitfield", "Maria de la Cruz")."""
    if len(words) < 2 or census_surname(words[-1]):
        return False
    return len(words) >= 3 or not given_name(words[0])


_SENTENCE_ENDS = frozenset(".?!;:")
# Said before a person's name: a title, an honorific or a role ("Pastor Quennell").
_BEFORE_A_NAME = (
    TITLES_SPOKEN
    | frozenset(ROLES)
    | frozenset(
        "pastor rabbi father reverend rev imam sensei professor judge sister brother".split()
    )
)
# Parts of speech that end a company's opening words: no trade or desk is a verb.
_NOT_IN_DESKS = frozenset({"VERB", "AUX", "PRON", "ADP", "DET", "SCONJ"})
# Function words inside companies' names: "Feed and Tack", "Bank of the Ozarks".
_IN_COMPANY_NAMES = frozenset({"and", "&", "of", "the"})


# How common a word ending a firm's name must be in English: "optics" (3.6), "yarns"
# (2.9), "commissary" (2.8); not a coined one.
_TRADE_WORD_ZIPF = 2.5
# Said by agents after their own name: "title services vic speaking".
_SPEAKING = frozenset({"speaking", "speakin", "here", "talking", "talkin"})
# What an agent answering a caller who spoke first says after the firm's name: "Purl and
# Ply Yarns, yes, we have 3 left".
_ANSWERING = frozenset({"yes", "yeah", "sure", "we", "we're", "good", "thanks", "thank"})


def _opens_agent_greeting(doc: Transcript, finding: Finding, pos: Mapping[int, str]) -> bool:
    """The finding opens the agent's first line, in a sentence of everyday words for a
    trade or a desk and no word saying who speaks: "Broadhead Archery, pro shop.",
    "balsam hollow tree farm wholesale", "boomline financin whats ur social", or it ends
    a company's name written in capitals ("Osterby Feed and Tack."). A company answers
    the phone so; an agent's own name comes after the company ("Acme Cable billing,
    Bianca speaking"), and a caller's name said first is asked ("Priya Patel?")."""
    if doc.speaker != "agent" or doc.target != 0:
        return False
    lo, hi = doc.lines[doc.target]
    line = [t for t in doc.tokens if lo <= t.start < hi]
    before = [t for t in line if t.end <= finding.start]
    # in lower-case text any word but a greeting's may begin a firm's name ("birch bark
    # canoe and kayak rental how can i help")
    lower_case = all(not t.text[:1].isupper() for t in line)
    if any(t.lower in TITLES_SPOKEN for t in before):
        return False  # "crestmark mortgage mister lindqvist ...": a person, by title
    if not all(
        t.text[:1].isupper()
        or t.lower in _IN_COMPANY_NAMES
        or (lower_case and t.is_word and t.lower not in FUNCTION_WORDS | OPENERS)
        for t in before
    ):
        return False  # "split oak edmund here", "hi maria": not a company's first words
    inside = [t for t in line if finding.start <= t.start < finding.end]
    if before and before[-1].is_word and any(unknown_word(t.lower) for t in inside):
        return False  # "driftwood cove houseboat rentals sundae rajaonarison": who answers
    after = [t for t in line if t.start >= finding.end]
    nxt = next((t for t in after if t.text not in (",", ".")), None)
    words = [t.lower for t in before + inside if t.kind == Kind.WORD]
    if after[:1] and after[0].text == "?":
        return False  # "Priya Patel?": a caller's name, asked
    # a given name that is no everyday word ("Bianca"); "Velvet Mic Karaoke", "Sugarbush
    # Hollow Maple" name a firm whose name's surname-less words end in a trade's
    # "Grace Kim": a given name and a surname, two words ("Quarry Lane Banjo Works" is no
    # one's, though "lane" is a given name and "works" a surname)
    surnamed = len(words) == 2 and census_surname(words[-1])
    named = any(
        (given_name(w) or recorded_given(w)) and (surnamed or not everyday(w)) for w in words
    )
    following = [t.lower for t in after if t.kind == Kind.WORD][:_FOLLOWING_WORDS]
    # "Ember and Wick, subscription support.", "shady acres awning n pergola scheduling",
    # "stoney brook snow n ice dispatch": names or trades joined make a firm's
    joined = any(t.lower in ("and", "&", "n") for t in before + inside + after[:2])
    if lower_case and nxt is not None and nxt.lower in _SPEAKING:
        return False  # "deeds office jomo speakin": the agent, after the firm
    if before and before[-1].lower in DESK_WORDS and len(before) >= 2:
        return False  # "tethered leap adventures claims desk jellybean": the agent, after it
    if (not named or joined) and (len(words) >= 2 or joined):
        # "Anvil and Rasp Farriers, this is Tuomas": the agent's name comes after the
        # firm's; "Salle Brava, coaching office.": a desk of the firm's
        if following[:2] == ["this", "is"] or any(w in DESK_WORDS for w in following):
            return True
        if any(w in _TIMES_GREETED for w in following):
            return True  # "Frostline Plow and Ice, good morning."
    if not lower_case and nxt is not None and nxt.lower in ("and", "&"):
        # "Driftsleep Futon and Waterbed, how can I help you?": the firm's name goes on
        # past "and" in capitals; what comes after all of it says who answers
        rest = after[after.index(nxt) + 1 :]
        partner = list(itertools.takewhile(lambda t: t.is_word and t.text[:1].isupper(), rest))
        then = next((t for t in rest[len(partner) :] if t.text not in (",", ".")), None)
        firm = words + [t.lower for t in partner]
        if (
            0 < len(partner) <= _PARTNER_WORDS
            and then is not None
            and then.lower in AFTER_OWN_NAME
            and not any(given_name(w) or recorded_given(w) for w in firm)
            and any(zipf_frequency(w, "en") >= _TRADE_WORD_ZIPF for w in firm)
        ):
            return True
    if nxt is not None and (nxt.lower in AFTER_OWN_NAME or nxt.lower in _ANSWERING):
        # "Starfield Optics, how can I help?", "Purl and Ply Yarns, yes, ...": a name of
        # two words or more that ends in a word of English but no surname, none of them
        # a given name, is the firm's; "Bianca Reyes, how can I help?" is the agent's own
        last = words[-1] if words else ""
        if (
            len(words) >= 2
            and (not named or joined)
            and zipf_frequency(last, "en") >= _TRADE_WORD_ZIPF
            and not census_surname(last)
        ):
            return True
        if nxt.lower in AFTER_OWN_NAME:
            return False
    for tok in after:
        said = tok.lower in FUNCTION_WORDS or tok.lower in CLAUSE_STARTS
        if tok.text in _SENTENCE_ENDS or said or pos.get(tok.start) in _NOT_IN_DESKS:
            break  # "Sensei Okamura asked me ...": what a person does, no desk
        if tok.kind == Kind.WORD:
            words.append(tok.lower)
    if not words or given_name(words[0]) or words[0] in _BEFORE_A_NAME:
        return False  # "Coach Ilsabet Marwick wanted me to ...": a person, by their role
    if any(given_name(t.lower) for t in inside) or len(words) > COMPANY_NAME_WORDS + 3:
        return False
    return any(
        (everyday(w) or dropped_g(w)) and w not in FUNCTION_WORDS and not given_name(w)
        for w in words
    )


# Words after the name read for the desk or a greeting: "... snow and ice management
# dispatch".
_FOLLOWING_WORDS = 5
# Said in a greeting after the company's name: "..., good morning", "... good evenin".
_TIMES_GREETED = frozenset({"morning", "mornin", "afternoon", "evening", "evenin"})
