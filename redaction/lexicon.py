"""Word lists shared by the address, e-mail and name recognizers."""

from __future__ import annotations

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

STREET_SUFFIXES = frozenset(
    """street st avenue ave av road rd lane ln drive dr boulevard blvd court ct way place pl
    terrace ter circle cir parkway pkwy highway hwy trail trl square sq loop alley crescent
    row pike plaza path cove crossing xing expressway freeway turnpike tpke""".split()
)

DIRECTIONS = frozenset(
    """north south east west n s e w ne nw se sw northeast northwest southeast
    southwest""".split()
)

UNIT_WORDS = frozenset("apartment apt unit suite ste floor fl building bldg room rm #".split())

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
)
MAIL_PROVIDERS = frozenset(
    "gmail yahoo hotmail outlook aol icloud protonmail proton live msn comcast verizon".split()
)

# Common given names, for names in lower-case ASR text that the tagger does not mark.
FIRST_NAMES = frozenset(
    """aaron abby abdul abigail adam adrian ahmad ahmed aisha alan albert alberto alejandro
    alex alexander alexandra alexis ali alice alicia alison allison alyssa amanda amelia
    amina amir amit amy ana andre andrea andrew andy angela angelica angie anil anita anjali
    ann anna anne annie anthony antonio arjun arthur arturo ashley audrey ava barbara
    ben benjamin beth betty beverly bianca billy bobby bonnie brad bradley brandon brenda
    brian brittany brooke bruce bryan caleb cameron camila carl carla carlos carmen carol
    caroline carolyn carrie catherine cathy chad charles charlie charlotte chen cheryl chloe
    chris christina christine christopher cindy claire clara claudia cody colin
    connor courtney craig cynthia daniel danielle danny darius darren dave david
    deborah debra deepak denise dennis derek diana diane diego dmitri dominic donald donna
    doris dorothy douglas dylan eduardo edward elena eli elijah elizabeth ella ellen emily
    emma enrique eric erica erik erin ethan eugene evan evelyn fatima felix fernando fiona
    francisco gabriel gabriela gary george gerald gina giovanni gloria gordon greg gregory
    gustavo hannah harold harry hassan heather helen henry hector hiroshi holly howard hugo
    ian igor irene isaac isabel isabella ivan jacob jacqueline jake james jamal jamie
    jane janet janice jared jasmine jason javier jeff jeffrey jenna jennifer jenny jeremy
    jerry jesse jessica jill jim jimmy joan joanne joe joel john johnny jon jonathan
    jordan jorge jose joseph josh joshua joyce juan judith judy julia julian julie justin
    kamal karen karl kate katherine kathleen kathryn kathy katie kayla keith kelly ken kenji
    kenneth kevin kim kimberly kristen kristin kyle lakshmi larry laura lauren leah lee leo
    leon leslie li lily linda lisa logan lorenzo lori louis lucas lucia luis luke lydia
    mandy manuel marco marcus margaret maria mariana marie marilyn mario marisa
    martha martin marvin mary matt matthew megan melanie melissa michael michelle miguel mike
    mildred ming mohamed mohammed monica nadia nancy naomi natalie nathan neil nicholas
    nick nicole nina noah norma olga oliver olivia omar oscar pablo pamela patricia patrick
    paul paula pedro peter philip phillip priya rachel rafael rahul raj rajesh ramon randy
    raul rebecca regina rhonda ricardo richard rick ricky rita robert roberto robin rodrigo
    roger ronald rosa russell ruth ryan sabrina sam samantha samuel sandra sanjay sara
    sarah scott sean sergio seth shannon sharon shawn sheila shirley simon sofia sonia sophia
    stacy stanley stephanie stephen steve steven susan suzanne sylvia tamara tammy tanya tara
    teresa terry thomas tiffany timothy tina todd tom tommy tony tracy travis tyler valerie
    vanessa veronica vicki victor victoria vikram vincent walter wanda wayne wei
    wendy william xavier yasmin yolanda yusuf zachary zoe""".split()
)
