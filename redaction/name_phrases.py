"""The phrases after which a person's name is said ("my name is", "this is", "thanks",
"your driver") and how sure each makes it, and the words said around a name (particles,
suffixes, what an answer opens with): the tables `redaction.names` reads."""

from __future__ import annotations

# Whom a caller is put in touch with, named right after: "your technician, Mateo".
ROLES = (
    "driver technician tech nurse pharmacist installer courier adjuster advisor counselor "
    "caseworker hygienist dentist instructor trainer coordinator specialist manager "
    "supervisor tutor teacher coach attorney lawyer paralegal notary inspector dispatcher "
    "therapist doorman concierge receptionist groomer stylist photographer contractor "
    "foreman plumber electrician mechanic handyman nanny veterinarian accountant "
    "bookkeeper superintendent caretaker housekeeper estimator matchmaker painter "
    "interpreter translator consultant planner designer organizer guide chef barber "
    "cleaner caregiver aide sitter mover artist investigator officer underwriter processor "
    "surveyor engineer assistant secretary chauffeur captain pilot representative rep "
    "director president ceo cfo coo lead homeowner skipper broker deckhand principal "
    # trades and desks whose people callers name: "our insurance liaison torrance whittier"
    "liaison arborist groundsman cashier teller banker realtor appraiser auditor analyst "
    "scheduler biller custodian janitor landscaper gardener trucker hauler valet bartender "
    "waiter waitress florist jeweler optician audiologist chiropractor physician midwife "
    "doula paramedic chaplain roofer welder seamstress luthier puppeteer magician drummer "
    "guitarist singer accompanist bandleader treasurer bursar comptroller"
).split()
# The parties to what a call is about, named after "is": "the buyer is helena march".
PARTIES = (
    "buyer seller borrower cosigner co-signer tenant landlord applicant coapplicant "
    "co-applicant beneficiary insured policyholder defendant guarantor recipient contact "
    "client resident student groom bride references witness executor trustee "
    "sponsor"
).split()
# What a person is to a call, said beside their name: a role or a party.
ROLES_AND_PARTIES = frozenset(ROLES) | frozenset(PARTIES)
# Said of someone known to the speaker only by name: "a guy named dale pruett".
_KNOWN_BY_NAME = (
    "guy lady woman man girl boy gentleman fellow someone somebody person friend agent doctor"
).split()
# (phrase, strong): after a strong phrase any word that is not a function word is a name;
# after a weak one only a word the tagger or the casing marks as a proper noun.
# An agent reading a name back, or asking for it with what comes next ("k ur name social
# n date a birth"): the tagger's word alone makes no name after these.
READ_BACKS = frozenset({("your", "name"), ("ur", "name")})
INTRODUCTIONS: tuple[tuple[tuple[str, ...], bool], ...] = (
    # a greeting's "it's", and "miss" after thanks, say a name follows
    (("hi", "it's"), True),
    (("hi", "its"), True),
    (("hey", "it's"), True),
    (("hey", "its"), True),
    (("hello", "it's"), True),
    (("hello", "its"), True),
    (("thanks", "miss"), True),
    (("thank", "you", "miss"), True),
    (("thank", "u", "miss"), True),
    (("sorry", "miss"), True),
    (("okay", "miss"), True),
    (("ok", "miss"), True),
    (("alright", "miss"), True),
    (("hi", "miss"), True),
    (("hello", "miss"), True),
    # where an account, booking or record is filed: "i found it under haruki sato"
    (("found", "it", "under"), True),
    # someone known only by name: "a guy named dale pruett", "someone named ..."
    # ... or by a role or a party: "a nurse named Beatriz", "the buyer named ..."
    *(((who, "named"), False) for who in (*_KNOWN_BY_NAME, *ROLES, *PARTIES)),
    (("listed", "under"), True),
    # "the account's under river sparrow": whose name a record is filed under
    *(
        (said, True)
        for record in ("account", "booking", "reservation", "order", "policy", "file")
        for said in ((record + "'s", "under"), (record + "s", "under"), (record, "is", "under"))
    ),
    # whose name an account or booking is in: "checking, in my name, Saskia Verhoeven"
    (("in", "the", "name", "of"), True),
    *(
        ((prep, owner, "name"), False)
        for prep in ("in", "under")
        for owner in ("my", "his", "her", "our", "their")
    ),
    (("booked", "under"), True),
    (("my", "name", "is"), True),
    (("the", "name", "is"), True),
    (("name", "on", "the", "card", "is"), True),
    (("name", "on", "the", "account", "is"), True),
    # whose name a ticket, an order or a booking is in: "the name on the ticket is ..."
    *(
        (("name", "on", "the", thing, "is"), True)
        for thing in ("ticket", "order", "booking", "reservation", "file", "check", "lease")
    ),
    # whoever's it is ("my name's", "the name's"), or with "my" lost: "for my goats name's
    # bamidele adeyemi"
    (("name's",), True),
    (("name", "on", "it", "is"), True),
    (("name", "on", "it's"), True),
    (("name", "on", "its"), True),
    # "name's" with the apostrophe lost: "n the names ottoline brackenridge"
    (("the", "names"), False),
    (("first", "name", "is"), True),
    (("last", "name", "is"), True),
    (("full", "name", "is"), True),
    (("first", "name"), True),
    (("last", "name"), True),
    (("surname",), True),
    (("under",), False),
    (("name", "is"), True),
    (("name", "was"), True),
    # "name's" with the apostrophe lost: "her names efua"
    (("my", "names"), True),
    # several people named at once: "the names are priscilla oduya and lars hellqvist"
    (("names", "are"), True),
    # an agent reading a name back: "n ur name benedetta kealoha"
    *((read_back, False) for read_back in sorted(READ_BACKS)),
    (("married", "name"), True),
    # "that's my old nickname, Pancake."
    (("nickname",), False),
    (("maiden", "name"), True),
    (("legal", "name"), True),
    # "whiskey that's what they call me but legal is wenonah sarasin"
    (("legal", "is"), True),
    # whom a card, a plaque or a donation remembers
    (("in", "memory", "of"), True),
    (("his", "names"), True),
    (("her", "names"), True),
    (("this", "is"), False),
    # an agent answering: "bluejay pie company shipping desk you've got dawit"
    (("you've", "got"), False),
    (("youve", "got"), False),
    (("it's",), False),
    (("its",), False),
    # a caller answering to the name asked for: "that's me cyrus tennenbaum"
    (("that's", "me"), False),
    (("thats", "me"), False),
    # "The emergency contact is me, Miles Chuculate."
    (("is", "me"), False),
    (("that'd", "be", "me"), False),
    (("thatd", "be", "me"), False),
    (("that", "would", "be", "me"), False),
    (("that'll", "be", "me"), False),
    (("thatll", "be", "me"), False),
    (("that", "will", "be", "me"), False),
    # an agent checking whom the call is from: "and is this still nanami tsuda"
    (("is", "this", "still"), False),
    # an agent checking whom the call reached: "good morning is this vasco"
    (("is", "this"), False),
    # an agent answering: "Sentinel Ridge Security, HR. You've got Pilar."
    (("you've", "got"), False),
    (("youve", "got"), False),
    # an agent checking a record found: "lemme find it is that sayola pokagon"
    (("is", "that"), False),
    # whom a letter or an invoice is for: "ap at ... dot com attention ulla pacheco"
    (("attention",), False),
    (("attn",), False),
    (("speaking", "with"), False),
    (("speaking", "to"), False),
    (("talking", "to"), False),
    (("talking", "with"), False),
    # whom the caller dealt with before: "we met with Owain about the garage addition"
    *(
        ((verb, prep), False)
        for verb in ("spoke", "talked", "met", "worked", "dealt")
        for prep in ("with", "to")
        if (verb, prep) not in (("met", "to"), ("worked", "to"), ("dealt", "to"))
    ),
    (("helped", "by"), False),
    # a name read off a badge or a name tag: "His badge said Swift."
    *(((tag, said), False) for tag in ("badge", "tag") for said in ("said", "says", "read")),
    # whose name an account is in, answered: "Mine, Ahyoka Cornsilk."
    (("mine",), False),
    # whom an agent's call is for: "this is bayline reporting callin for harmony bains"
    (("calling", "for"), False),
    (("callin", "for"), False),
    (("i'm",), False),
    (("i", "am"), False),
    (("call", "me"), False),
    (("calls", "me"), False),
    # a nickname, which may be any word: "everyone calls me rusty", "called him stan"
    *(
        ((who, verb, whom), True)
        for who in ("everyone", "everybody", "friends", "people", "they", "folks")
        for verb in ("calls", "call", "called")
        for whom in ("me", "him", "her")
    ),
    # "the league knows me as cinnamon dagger", "they know her as pebble"
    *(
        ((verb, whom, "as"), True)
        for verb in ("know", "knows", "knew")
        for whom in ("me", "him", "her")
    ),
    (("goes", "by"), False),
    (("calls", "him"), False),
    (("calls", "her"), False),
    (("call", "him"), False),
    (("call", "her"), False),
    (("go", "by"), False),
    # the person something belongs to, named: "the owner is gideon marsh"
    (("owner", "is"), True),
    (("holder", "is"), True),
    (("patient", "is"), True),
    # whom a service is for, or a party to it, named: "the client is ernestine pollard"
    *(((party, "is", "still"), False) for party in PARTIES),
    *(((party, "is"), False) for party in PARTIES),
    # "n the witness was sello tau"
    *(((party, "was"), False) for party in PARTIES),
    *(((party, "are"), False) for party in PARTIES),
    (("patient's", "name", "is"), True),
    (("hi",), False),
    (("hello",), False),
    (("thanks",), False),
    (("thank", "you"), False),
    # who a role will be: "your matchmaker will be Lucinda Park", "your lead is rhea"
    *(((role, "will", "be"), False) for role in ROLES),
    *(((role, "is"), False) for role in ROLES),
    # roles of more than one word: "my maid of honor kenzie rutherford", "the best man"
    (("maid", "of", "honor"), False),
    (("matron", "of", "honor"), False),
    (("best", "man"), False),
    (("hired", "man"), False),
    (("hired", "hand"), False),
    # a person's role, then their name as the tagger or casing marks it: "your driver,
    # Gurpreet, will call you"
    *(((role,), False) for role in ROLES),
    (("mr",), True),
    (("mrs",), True),
    (("ms",), True),
    (("miss",), False),
    (("mister",), True),
    (("dr",), True),
    (("doctor",), True),
)

# Words that follow "my name is" without being the name.
NOT_FIRST = frozenset(
    """calling here speaking from spelled spelt spelling actually just still really also
    listed written on""".split()
)
# Particles inside names: "de la Cruz", "van der Berg", "al-Sayed", "bin Laden".
PARTICLES = frozenset(
    "de del della la las los da das do dos di du van von der den ter le al el bin ibn".split()
)
# Said before the name in an answer to "what's your name?".
ANSWERS = frozenset(
    {"it's", "this", "is", "i'm", "am", "i", "its", "speaking", "name's", "sure", "me"}
)
# What things are filed under that is no one's name.
NOT_FILED_UNDER = frozenset(
    """review investigation warranty contract construction way control age pressure
    maintenance repair evaluation consideration dispute processing the a an my your his
    her our their business billing account""".split()
)
# Greetings and thanks, after which a name may follow, or the rest of the sentence.
GREETED = frozenset({("hi",), ("hello",), ("thanks",), ("thank", "you")})
# "He's <name>": said of the person a call is about.
SAID_OF = frozenset({"he's", "she's", "hes", "shes"})
# Said after a surname as part of the name.
NAME_SUFFIXES = frozenset({"junior", "jr", "senior", "sr", "ii", "iii", "iv"})
# How callers say who they are, or whose a card is: "hi this is beatrix underhill", "its
# gianluca ferrante", "hi im yevdokia shevchuk applyin for ...", "n the names ottoline
# brackenridge". In lower-case text the tagger often reads a rare name as anything but a
# proper noun, so after these a word that can hardly be anything but a name counts, where
# the name then ends or its surname follows.
SELF_INTRODUCTIONS = frozenset(
    {
        ("this", "is"),
        ("it's",),
        ("its",),
        ("i'm",),
        ("im",),
        ("i", "am"),
        ("that's", "me"),
        ("thats", "me"),
        ("the", "names"),
    }
)
