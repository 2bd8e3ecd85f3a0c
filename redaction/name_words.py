"""The words that tell a name from the words around it in lower-case ASR text: given
names that are also everyday words, what opens a line before a name, what follows one,
relatives, departments and firms' words, and the word tests built on them.

`redaction.intros` and the name finders after it (`greetings`, `mentions`, `names`,
`surnames` and the rest) share these lists, so a word taught to one is known to all.
"""

from __future__ import annotations

from redaction.context import cue_words
from redaction.lexicon import (
    CHAT_WORDS,
    COMMON_WORDS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    STREET_SUFFIXES,
    dropped_g,
    rare_word,
    recorded_given,
)
from redaction.number_words import MEASURE_WORDS
from redaction.spoken import NUMBER_WORDS, Kind, Token

# Given names that are also everyday words: a name only where a name is expected.
AMBIGUOUS_GIVEN = frozenset(
    """bill june april may mark will grace hope faith joy rose jack frank sue pat art dawn
    summer autumn amber ruby penny jean max ray rich chase hunter dean drew gene lane wade
    bob sandy crystal ginger iris violet daisy rob sky august jay kelly""".split()
)
# Words said at the start of a line before a name: "hey there", "yeah", "hi".
OPENERS = frozenset(
    """hey there hi hello yeah yes yep so okay ok alright right well oh um uh morning
    afternoon evening good k kk ya yea yup mhm""".split()
)
# What a practice or a trade does, said in a firm's name and never in a person's: "Bright
# Words Speech Therapy", "bright words teletherapy whats the email".
PRACTICE_WORDS = frozenset(
    """therapy therapies teletherapy physiotherapy rehab rehabilitation dental dentistry
    orthodontics pediatrics chiropractic medical veterinary nursery kennels daycare""".split()
)
# Not names, though they stand where one could.
# Said beside a name asked for, and never one: "legal name plus birth date", "it's invoice
# 20517".
ASKED_BESIDE_NAMES = frozenset({"plus", "minus", "invoice"})
# "for", "to", "ate" as noisy recognisers write them, in lower case never a name: "thanks
# fore all the help", "n a phone fore the driver" ("won" is left out: a Korean given name).
HEARD_FUNCTION_WORDS = frozenset({"fore", "too", "ate"})
NOT_NAMES = (
    COMMON_WORDS
    | CHAT_WORDS
    | NUMBER_WORDS
    | STREET_SUFFIXES
    | MEASURE_WORDS
    | PRACTICE_WORDS
    | frozenset(
        """everyone everybody someone somebody anyone anybody nobody people folks guys
        y'all all staff stuff team cool sweet nice wow gotcha understood noted lovely
        brilliant excellent super done nope sounds looks seems again anyway also though
        honestly basically actually listen look see wait hmm mm mhm bye goodbye cheers
        yup ya yea yeah yep yah much instead""".split()
    )
    | ASKED_BESIDE_NAMES
    | HEARD_FUNCTION_WORDS
)
# Words that say an organisation follows "<name> with" / "<name> from".
ORG_WORDS = frozenset(
    """support service services team billing care department desk help helpdesk sales
    customer wireless mobile bank energy insurance health tech technical accounts
    retention assistance roadside claims reservations bookings admissions school academy
    exchange""".split()
)
# Where a colleague works, said after their name: "Renata in shipping will email you".
DEPARTMENTS = ORG_WORDS | frozenset(
    """shipping receiving accounting payroll dispatch scheduling underwriting collections
    returns hr marketing reception maintenance""".split()
)
# The desk a greeting names after the company: "..., estimates desk", "... charters",
# "tidewrack kelp co wholesale ...".
DESK_WORDS = (
    ORG_WORDS
    | DEPARTMENTS
    | frozenset(
        """front estimates charters memberships membership tasting intake admissions
        registration enrollment dispatch order orders office desk club financing subscription
        subscriptions rental rentals wholesale retail""".split()
    )
)
SELF_WORDS = frozenset({"here", "speaking", "calling", "speakin", "callin"})
CUE_WORDS = cue_words()
# Verbs that start a clause after its subject: "karim will be there" names karim only
# where the word is known as a name or written as one ("payouts will go out" names no one).
SUBJECT_VERBS = frozenset("will would could should has was".split())
# What may start the clause after a name said in passing ("thanks grant i see").
CLAUSE_STARTS = frozenset(
    """i i'm i'll i've and so we we'll let let's now just for you your that's it's one can
    how what is are i'd what's how's you'll you're he she they he's she's they're we're
    it'll there's here's""".split()
    + list(SUBJECT_VERBS)
    # the same with the apostrophe lost, as noisy recognisers write them ("ok lukas youll
    # get an email", "thanks tomas ur on the list"); "its", "were", "ill" stay words
    + """im ive youll youre ur u thats whats hes shes theyre itll theres heres""".split()
)
# What follows a relative's name: "my son jaylen his birthday", "my wife maria she".
AFTER_NAME = CLAUSE_STARTS | frozenset(
    """his her he she who he's she's hes shes was has had will at in from on might could
    would should must""".split()
)
# Relatives a caller names: "my daughter hope".
KIN = frozenset(
    """wife husband son daughter mother father mom dad brother sister partner spouse
    grandmother grandfather grandma grandpa grandson granddaughter aunt uncle niece nephew
    boyfriend girlfriend fiance fiancee fiancé fiancée kid child neighbor neighbour friend
    roommate landlord landlady tenant caregiver coworker boss cousin stepson stepdaughter
    stepmother stepfather stepmom stepdad godson goddaughter godmother godfather sibling
    colleague housemate nanny babysitter bro sis hubby buddy pal""".split()
)
# Relatives named together: "my twins rowan and ezra", "our kids maya n theo".
# The cards a payer names, said where a name could stand: "Parish Visa."
CARD_BRANDS = frozenset({"visa", "mastercard", "amex", "discover"})
KIN_GROUPS = frozenset(
    "twins kids children sons daughters grandkids grandchildren boys girls grandsons".split()
)
# Endings of words that describe rather than name ("important", "serious", "helpful").
DESCRIBING_ENDINGS = (
    "ant",
    "ent",
    "ous",
    "ive",
    "ful",
    "able",
    "ible",
    "al",
    "ic",
    "ing",
    "ed",
    "ly",
    "ary",
    "less",
)
# Greetings that make "<word> here" a self-introduction whatever the word.
GREETINGS = frozenset("hey hi hello yeah yes morning afternoon evening there".split())
# Whose relatives: "my son", "ur husband".
POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your", "ur"})


def nameable(tok: Token) -> bool:
    w = tok.lower.replace("’", "'")
    if tok.kind != Kind.WORD or len(w) < 2 or not w.isalpha():
        return False
    return w in AMBIGUOUS_GIVEN or (w not in NOT_NAMES and w not in FUNCTION_WORDS)


def rare_pair(toks: list[Token], j: int, stop: int) -> bool:
    """Tokens j and j + 1 are two lower-case words English hardly uses: a given name and a
    surname, whatever the tagger makes of them."""
    pair = toks[j : j + 2]
    return (
        j + 1 < stop
        and all(t.kind == Kind.WORD and t.text.islower() and nameable(t) for t in pair)
        and all(rare_word(t.lower) and not dropped_g(t.lower) for t in pair)
    )


def hyphenated(toks: list[Token], k: int, stop: int) -> int:
    """The last token of the word at k with what is hyphenated to it ("Mei-Ling")."""
    while (
        k + 2 < stop
        and toks[k + 1].text == "-"
        and toks[k + 1].start == toks[k].end
        and toks[k + 2].start == toks[k + 1].end
        and toks[k + 2].kind == Kind.WORD
    ):
        k += 2
    return k


# What only a person does, said right after who did it: "diesel said", "crow hired me".
TELLING_VERBS = frozenset(
    """told tells said says asked mentioned recommended suggested texted emailed called sent
    gave promised hired wants wanted""".split()
)


def doer_shaped(word: str) -> bool:
    """A word made for someone by what they do: "wrangler", "instructor", "florist",
    "librarian" (and, by shape alone, "water": callers use it beside what a person does)."""
    return len(word) > 4 and word.endswith(("er", "or", "ist", "ian")) and word.isalpha()


def name_ends_at(toks: list[Token], j: int, stop: int) -> bool:
    """Token j may follow a whole name: the end, a pause, a number or a new clause."""
    if j >= stop:
        return True
    tok = toks[j]
    return (
        tok.kind in (Kind.PUNCT, Kind.NEWLINE, Kind.DIGITS)
        or tok.lower in NUMBER_WORDS
        or tok.lower in FUNCTION_WORDS
        or tok.lower in CUE_WORDS  # "... imogen tate date of birth ..."
    )


def given_name(word: str) -> bool:
    return word in FIRST_NAMES or word in AMBIGUOUS_GIVEN or recorded_given(word)


def name_like(tok: Token) -> bool:
    """A known given name, a capitalised word, or a word English hardly uses otherwise
    ("olumide", "brianna"): what a name said where one is expected looks like."""
    w = tok.lower
    return given_name(w) or tok.text[:1].isupper() or rare_word(w)
