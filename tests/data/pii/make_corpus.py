# ruff: noqa: E501  (hand-written transcript lines read better unbroken)
"""Writes corpus.jsonl: labelled contact-center transcript lines for the redaction bench.

Run from the repo root: ``.venv/bin/python tests/data/pii/make_corpus.py``. The output is
deterministic (fixed seed); the committed corpus.jsonl is what the bench and the tests
read, so rerun this and commit both when you change a frame or a value list.

Lines come from three sources:

* scenes: short exchanges (agent asks, customer answers, agent reads back) whose lines are
  drawn from hand-written frames with placeholders. ``{CARD}``, ``{SSN}``, ... are PII and
  become labelled spans; ``{price}``, ``{plan}``, ... are harmless values. Every pool of
  frames is drawn without replacement, so a frame is reused only once its pool ran out.
* hand-written conversations, with spans marked inline as ``[[TYPE|text]]``, for the
  forms a frame cannot produce (numbers split across utterances, dropped digits, ...).
* clean lines: hand-written and framed, full of prices, times, plan names and case numbers.

Each line then gets a transcript style: Whisper-like (sentence case, punctuation) or
Deepgram-like (lower case, with or without punctuation). Spoken numbers vary on their own:
digits, words, "oh" for zero, "double"/"triple", pairs ("forty one eleven"), mixed.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20250611
OUT = Path(__file__).with_name("corpus.jsonl")

UNITS = "zero one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]

# Placeholders that are PII, and their entity type.
KINDS = {
    "CARD": "CREDIT_CARD",
    "CVV": "CVV",
    "EXP": "EXPIRY",
    "SSN": "US_SSN",
    "SSN4": "US_SSN",
    "ACCT": "BANK_ACCOUNT",
    "ROUTING": "BANK_ROUTING",
    "PIN": "PIN",
    "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS",
    "DOB": "DATE_OF_BIRTH",
    "ADDR": "ADDRESS",
    "ZIP": "ADDRESS",
    "NAME": "PERSON",
    "FIRST": "PERSON",
    "LAST": "PERSON",
    "SPELLED": "PERSON",
    "AGENT": "PERSON",
    "HOLDER": "PERSON",
    "FULL": "PERSON",
}


# --------------------------------------------------------------------------- values


# Published test card numbers: (digits, brand, grouping).
CARDS = [
    ("4111111111111111", "visa", (4, 4, 4, 4)),
    ("4242424242424242", "visa", (4, 4, 4, 4)),
    ("4012888888881881", "visa", (4, 4, 4, 4)),
    ("4000056655665556", "visa", (4, 4, 4, 4)),
    ("4005519200000004", "visa", (4, 4, 4, 4)),
    ("4000002500003155", "visa", (4, 4, 4, 4)),
    ("4917610000000000", "visa", (4, 4, 4, 4)),
    ("5425233430109903", "mastercard", (4, 4, 4, 4)),
    ("5555555555554444", "mastercard", (4, 4, 4, 4)),
    ("5105105105105100", "mastercard", (4, 4, 4, 4)),
    ("2223003122003222", "mastercard", (4, 4, 4, 4)),
    ("5200828282828210", "mastercard", (4, 4, 4, 4)),
    ("378282246310005", "amex", (4, 6, 5)),
    ("371449635398431", "amex", (4, 6, 5)),
    ("378734493671000", "amex", (4, 6, 5)),
    ("6011111111111117", "discover", (4, 4, 4, 4)),
    ("6011000990139424", "discover", (4, 4, 4, 4)),
    ("6011981111111113", "discover", (4, 4, 4, 4)),
    ("3566002020360505", "jcb", (4, 4, 4, 4)),
    ("30569309025904", "diners club", (4, 6, 4)),
]
BRAND_SAID = {
    "visa": ["Visa", "visa", "Visa debit"],
    "mastercard": ["Mastercard", "master card", "MasterCard"],
    "amex": ["Amex", "American Express", "amex"],
    "discover": ["Discover", "discover card"],
    "jcb": ["JCB", "j c b"],
    "diners club": ["Diners Club", "diners"],
}
ROUTING = [
    "021000021",
    "011000015",
    "122105155",
    "026009593",
    "121000358",
    "111000025",
    "322271627",
    "121042882",
    "011401533",
    "031176110",
    "063100277",
    "071000013",
    "091000019",
    "267084131",
]
SSNS = [
    "900123456",
    "912345678",
    "923456781",
    "934120987",
    "945067123",
    "956781234",
    "967002345",
    "978563210",
    "989110022",
    "901559087",
    "913337744",
    "924008816",
    "999887777",
    "900660101",
    "078051120",
    "219099999",
    "908204455",
    "947113306",
]
FIRST = (
    "Anna Marcus Priya Jose Keisha Tom Mei Olusegun Fatima Sean Dmitri Hannah Luis Grace "
    "Tyrone Emily Rahul Sofia Brian Aisha Carlos Nora Kevin Yuki Daniel Maria Samuel Linda "
    "Jamal Chloe Patrick Ingrid Hector Beatriz Zoe Vikram Denise Oksana Tremaine Lucy Abdul "
    "Gwen Frank Rosa Megan Will Bill June May Nikhil Theresa Malik Francesca Arjun Colleen"
).split()
LAST = (
    "Kowalski Bell Raman Hernandez Johnson Becker Chen Adeyemi Haddad O'Brien Volkov Schultz "
    "Ortega Kim Jackson Nguyen Mehta Rossi Walsh Rahman Mendoza Lindqvist O'Connell Tanaka "
    "Cohen Gonzalez Okafor Park Wright Dubois Murphy Larsen Ramirez Silva Martin Patel Howard "
    "Petrenko Harris Zhang Karim Thomas DeLuca Alvarez Foster Turner Henderson Okonkwo "
    "Robinson Szymanski Whitaker Castellanos Brennan Yilmaz Abernathy Nakamura"
).split()
AGENTS = (
    "Anna Derek Priya Jasmine Marco Tasha Kevin Lena Omar Rachel Will Bianca Trevor Naomi "
    "Hugo Carmen Devon Eileen"
).split()
STREETS = [
    "Main Street",
    "Oak Ridge Drive",
    "Maple Avenue",
    "Elm St",
    "Birchwood Lane",
    "Sunset Boulevard",
    "Cedar Court",
    "Lakeview Road",
    "Pine Hollow Way",
    "Willow Creek Circle",
    "Hawthorne Place",
    "Magnolia Blvd",
    "Riverside Drive",
    "Fifth Avenue",
    "Park Terrace",
    "Old Mill Road",
    "Jefferson Street",
    "Bayshore Parkway",
    "Cherry Lane",
    "Highland Ave",
    "Kingsley Court",
    "Orchard Path",
    "Prospect St",
    "Meadowbrook Drive",
    "Granite Trail",
    "North Halsted Street",
    "West 14th Street",
    "Dogwood Dr",
    "Sycamore Road",
    "Harbor View Terrace",
]
CITIES = [
    ("Austin", "Texas", "78701"),
    ("Dayton", "Ohio", "45402"),
    ("Tacoma", "Washington", "98402"),
    ("Albany", "New York", "12207"),
    ("Tucson", "AZ", "85701"),
    ("Raleigh", "North Carolina", "27601"),
    ("Boise", "Idaho", "83702"),
    ("Omaha", "Nebraska", "68102"),
    ("Madison", "WI", "53703"),
    ("Fresno", "California", "93721"),
    ("Springfield", "Illinois", "62701"),
    ("Savannah", "Georgia", "31401"),
    ("Portland", "Maine", "04101"),
    ("Reno", "Nevada", "89501"),
    ("Chicago", "IL", "60614"),
    ("Tampa", "Florida", "33602"),
]
AREA_CODES = "212 312 415 617 503 702 919 206 404 713 818 347 480 614 303 860".split()
DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "icloud.com",
    "hotmail.com",
    "comcast.net",
]
COMPANIES = [
    "Northwind Mobile",
    "Brightline Energy",
    "Acme Cable",
    "Summit Bank",
    "Clearpath Health",
]
PLANS = [
    "the Unlimited 200 plan",
    "Unlimited Plus",
    "the Family Share 4 plan",
    "the Basic 50 plan",
    "Gigabit Pro",
    "the Essentials bundle",
    "Premium 500",
    "the Starter 10 gig plan",
]
PRICES = [
    "forty nine ninety nine",
    "$12.50 a month",
    "$89.99",
    "twenty five dollars",
    "$7",
    "one nineteen ninety nine",
    "$240",
    "sixty four fifty",
    "$15.00",
    "thirty bucks",
    "$1,299",
    "ninety nine cents",
]
FILLERS = [", uh, ", " um ", " ... ", ", sorry, ", ", let me see, ", " uh ", ", hang on, ", " "]


def two_digit_words(n: int) -> str:
    if n < 10:
        return UNITS[n]
    if n < 20:
        return TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return TENS[tens] + ("" if unit == 0 else " " + UNITS[unit])


def ordinal_words(n: int) -> str:
    if n <= 20:
        return ORDINALS[n - 1]
    if n == 30:
        return "thirtieth"
    tens, unit = divmod(n, 10)
    return TENS[tens] + " " + ORDINALS[unit - 1]


def ordinal_num(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def digit_word(d: str, zero: str) -> str:
    return zero if d == "0" else UNITS[int(d)]


def words_with_runs(g: str, zero: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(g):
        j = i
        while j < len(g) and g[j] == g[i]:
            j += 1
        n = j - i
        w = digit_word(g[i], zero)
        while n > 0:
            if n == 3 or n > 4:
                out.append("triple " + w)
                n -= 3
            elif n >= 2:
                out.append("double " + w)
                n -= 2
            else:
                out.append(w)
                n -= 1
        i = j
    return " ".join(out)


def pairs(g: str) -> str:
    """A group read as two-digit numbers: "4111" -> "forty one eleven", "0192" -> "oh one ninety two"."""
    if len(g) == 4 and g[2:] == "00" and g[0] != "0" and g[1] != "0":
        return two_digit_words(int(g[:2])) + " hundred"
    parts = []
    if len(g) % 2:
        parts.append(digit_word(g[0], "oh"))
        g = g[1:]
    for k in range(0, len(g), 2):
        a, b = g[k], g[k + 1]
        if a == "0":
            parts.append("oh " + digit_word(b, "oh"))
        else:
            parts.append(two_digit_words(int(a + b)))
    return " ".join(parts)


NUMBER_STYLES = [
    "digits",
    "spaced",
    "words",
    "oh",
    "runs",
    "pairs",
    "mixed",
    "mixdigit",
    "hyphen",
    "compact",
]


def speak_number(
    digits: str, groups: Sequence[int], rng: random.Random, styles: Sequence[str] = NUMBER_STYLES
) -> str:
    """One way a caller (or ASR) renders a digit string read out in groups."""
    chunks, i = [], 0
    for n in groups:
        chunks.append(digits[i : i + n])
        i += n
    assert i == len(digits), (digits, groups)
    style = rng.choice(list(styles))
    if style == "compact":
        return digits
    if style == "hyphen":
        return "-".join(chunks)
    zero = rng.choice(["oh", "zero", "oh"])

    def one(g: str, how: str) -> str:
        if how == "digits":
            return g
        if how == "spaced":
            return " ".join(g)
        if how in ("words", "oh"):
            return " ".join(digit_word(d, "oh" if how == "oh" else zero) for d in g)
        if how == "runs":
            return words_with_runs(g, zero)
        if how == "pairs":
            return pairs(g)
        if how == "mixdigit":
            return " ".join(d if rng.random() < 0.5 else digit_word(d, zero) for d in g)
        raise AssertionError(how)

    if style == "mixed":
        said = [one(g, rng.choice(["digits", "words", "spaced", "runs"])) for g in chunks]
    else:
        said = [one(g, style) for g in chunks]
    if style == "digits":
        seps = [" ", " ", ", ", ". ", " ... ", ", uh, "]
    else:
        seps = [" ", " ", " ", ", ", ", ", ", uh, ", " um ", " ... ", ", sorry, ", ", let me see, "]
    sep = rng.choice(seps)
    out = said[0]
    for s in said[1:]:
        # Mostly one pause style per number, now and then a filler in one gap.
        out += (rng.choice(FILLERS) if rng.random() < 0.2 else sep) + s
    return out


def year_words(y: int, rng: random.Random) -> str:
    if y >= 2000:
        if y < 2010:
            return rng.choice(
                [f"two thousand {UNITS[y - 2000]}", f"two thousand and {UNITS[y - 2000]}"]
            )
        return "twenty " + two_digit_words(y - 2000)
    hi, lo = divmod(y, 100)
    if lo < 10:
        return f"{two_digit_words(hi)} oh {UNITS[lo]}"
    tail = two_digit_words(lo)
    if " " in tail and rng.random() < 0.25:
        tail = tail.replace(" ", "-")
    return f"{two_digit_words(hi)} {tail}"


def short_year_words(y: int) -> str:
    lo = y % 100
    return f"oh {UNITS[lo]}" if lo < 10 else two_digit_words(lo)


def say_dob(y: int, m: int, d: int, rng: random.Random) -> str:
    month = MONTHS[m - 1]
    lower = rng.random() < 0.5
    mo = month.lower() if lower else month
    forms = [
        lambda: f"{mo} {ordinal_num(d)}, {y}",
        lambda: f"{mo} {ordinal_words(d)} {year_words(y, rng)}",
        lambda: f"{m}/{d}/{y}",
        lambda: f"{m:02d}/{d:02d}/{y % 100:02d}",
        lambda: f"{pairs(f'{m:02d}')} {pairs(f'{d:02d}')} {year_words(y, rng)}",
        lambda: f"the {ordinal_words(d)} of {mo} {year_words(y, rng)}",
        lambda: f"{d} {mo} {y}",
        lambda: f"{m:02d}-{d:02d}-{y}",
        lambda: f"{mo} {d} {short_year_words(y)}",
        lambda: f"{two_digit_words(m)} {two_digit_words(d)} {short_year_words(y)}",
        lambda: f"{mo} the {ordinal_words(d)}, {year_words(y, rng)}",
        lambda: f"{mo} {d}, {year_words(y, rng)}",
        lambda: " ".join(digit_word(c, "zero") for c in f"{m:02d}{d:02d}{y}"),
        lambda: f"{MONTH_ABBR[m - 1]} {d} {y}",
        lambda: f"{ordinal_num(d)} of {mo}, {y}",
        lambda: f"{m} {d} {y}",
    ]
    return rng.choice(forms)()


def say_expiry(m: int, y: int, rng: random.Random) -> str:
    month = MONTHS[m - 1]
    yy = y % 100
    forms = [
        lambda: f"{m:02d}/{yy}",
        lambda: f"{pairs(f'{m:02d}')} {two_digit_words(yy)}",
        lambda: f"{m:02d} {yy}",
        lambda: f"{month.lower()} {two_digit_words(yy)}",
        lambda: f"{month} of {y}",
        lambda: f"{two_digit_words(m)} {two_digit_words(yy)}",
        lambda: (
            " ".join(UNITS[int(c)] for c in f"{m:02d}")
            + " slash "
            + " ".join(UNITS[int(c)] for c in f"{yy:02d}")
        ),
        lambda: f"{m:02d}{yy}",
        lambda: f"{month} {y}",
        lambda: f"{two_digit_words(m)} slash {two_digit_words(yy)}",
        lambda: f"{m}/{y}",
        lambda: f"{m:02d} slash {yy}",
    ]
    return rng.choice(forms)()


def say_house_number(n: str, rng: random.Random) -> str:
    how = rng.choice(["digits", "digits", "digits", "spaced", "words", "pairs"])
    if how == "digits":
        return n
    if how == "spaced":
        return " ".join(n)
    if how == "words":
        return " ".join(digit_word(c, "oh") for c in n)
    return pairs(n)


def say_zip(z: str, rng: random.Random) -> str:
    return speak_number(z, [5], rng, ["digits", "digits", "spaced", "words", "oh", "mixdigit"])


@dataclass(frozen=True)
class Address:
    number: str  # house or PO box number
    street: str  # "" for a PO box
    unit: str  # "apartment 3B", ", suite 200", or ""
    city: tuple[str, str, str]  # city, state, zip

    @staticmethod
    def make(rng: random.Random) -> Address:
        city = rng.choice(CITIES)
        if rng.random() < 0.12:
            return Address(str(rng.randint(12, 9899)), "", "", city)
        number = str(
            rng.choice(
                [
                    rng.randint(1, 99),
                    rng.randint(100, 999),
                    rng.randint(1000, 9999),
                    rng.randint(10000, 40999),
                ]
            )
        )
        street = rng.choice(STREETS)
        unit = ""
        r = rng.random()
        if r < 0.15:
            unit = rng.choice(
                [" apartment ", ", apt ", " apt. ", " unit ", " number "]
            ) + rng.choice(["3B", "12", "four", "2C", "seven oh one", "14", "B", "two"])
        elif r < 0.22:
            unit = rng.choice([", suite ", " suite "]) + rng.choice(["200", "four ten", "1150"])
        return Address(number, street, unit, city)


def say_address(a: Address, rng: random.Random) -> str:
    c, st, z = a.city
    if not a.street:
        head = rng.choice(["PO Box", "P.O. Box", "po box", "post office box"])
        out = f"{head} {say_house_number(a.number, rng)}"
        return out + rng.choice([", ", " ", " in "]) + f"{c} {st} {say_zip(z, rng)}"
    street = a.street.lower() if rng.random() < 0.3 else a.street
    out = f"{say_house_number(a.number, rng)} {street}{a.unit}"
    if rng.random() < 0.45:
        tail = rng.choice(
            [f"{c} {st} {say_zip(z, rng)}", f"{c}, {st} {say_zip(z, rng)}", f"{c} {st}"]
        )
        out += rng.choice([", ", " ", " in "]) + tail
    return out


def make_phone(rng: random.Random) -> str:
    return rng.choice(AREA_CODES) + "555" + f"01{rng.randint(0, 99):02d}"


def say_phone(digits: str, rng: random.Random) -> str:
    area = digits[:3]
    r = rng.random()
    if r < 0.12:
        return f"({area}) 555-{digits[6:]}"
    if r < 0.2:
        return f"{area}-555-{digits[6:]}"
    if r < 0.3:
        lead = rng.choice(["1", "one", "plus one", "+1"])
        body = speak_number(digits, [3, 3, 4], rng, ["digits", "words", "oh", "hyphen", "spaced"])
        sep = "-" if body[:3].isdigit() and "-" in body else " "
        return f"{lead}{sep}{body}"
    if r < 0.4:
        return f"{speak_number(area, [3], rng, ['words', 'oh', 'spaced'])}, {pairs('555')}, {pairs(digits[6:])}"
    return speak_number(
        digits,
        [3, 3, 4],
        rng,
        ["digits", "spaced", "words", "oh", "runs", "mixed", "mixdigit", "compact"],
    )


def make_email(first: str, last: str, rng: random.Random) -> tuple[str, str, str]:
    """(user as written, user as said, domain)."""
    f, la = first.lower(), re.sub(r"[^a-z]", "", last.lower())
    num = rng.choice([str(rng.randint(2, 99)), str(rng.randint(1960, 2004))])
    said_num = two_digit_words(int(num)) if len(num) == 2 else " ".join(num)
    users = [
        (f"{f}.{la}", f"{f} dot {la}"),
        (f"{f}{la}", f"{f}{la}"),
        (f"{f}{la}{num}", f"{f}{la} {said_num}"),
        (f"{f[0]}{la}", f"{f[0]} {la}"),
        (f"{f[0]}{la}{num}", f"{f[0]} {la} {said_num}"),
        (f"{f}_{la}", f"{f} underscore {la}"),
        (f"{la}.{f[0]}", f"{la} dot {f[0]}"),
        (f"{f}-{la}", f"{f} dash {la}"),
        (f"{f}{num}", f"{f} {said_num}"),
    ]
    written, said = rng.choice(users)
    return written, said, rng.choice(DOMAINS)


def say_email(email: tuple[str, str, str], rng: random.Random) -> str:
    written, said, dom = email
    name, tld = dom.rsplit(".", 1)
    r = rng.random()
    if r < 0.3:
        return f"{written}@{dom}"
    if r < 0.4:
        return f"{written} at {dom}"
    if r < 0.5:
        spelled = re.sub(r"[a-z0-9]", lambda m: m.group() + " ", written)
        spelled = spelled.replace(".", "dot ").replace("_", "underscore ").replace("-", "dash ")
        return f"{spelled.strip()} at {name} dot {tld}"
    return f"{said} at {name} dot {tld}"


def spell(word: str, rng: random.Random) -> str:
    letters = [c.upper() for c in word if c.isalpha()]
    return rng.choice([" ", " ", "-", ", "]).join(letters)


# --------------------------------------------------------------------------- rendering


@dataclass
class Line:
    speaker: str
    text: str
    entities: list[dict[str, object]] = field(default_factory=list)
    note: str | None = None


MARK = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")
SLOT = re.compile(r"\{(\w+)\}")


def squeeze(text: str, spans: list[tuple[str, int, int]]) -> tuple[str, list[tuple[str, int, int]]]:
    """Collapse runs of spaces, drop spaces before punctuation, strip; spans follow."""
    out: list[str] = []
    new_index = []
    for i, ch in enumerate(text):
        new_index.append(len(out))
        if ch == " " and (
            not out or out[-1] == " " or (i + 1 < len(text) and text[i + 1] in ",.?!")
        ):
            continue
        out.append(ch)
    new_index.append(len(out))
    s = "".join(out)
    lead = len(s) - len(s.lstrip())
    s2 = s.strip()
    moved = [(t, new_index[a] - lead, new_index[b] - lead) for t, a, b in spans]
    fixed = []
    for t, a, b in moved:
        while b > a and s2[b - 1] == " ":
            b -= 1
        fixed.append((t, a, b))
    return s2, fixed


def apply_style(text: str, spans: list[tuple[str, int, int]], style: str) -> str:
    if style == "lower":
        out = text.lower()
    elif style == "sentence":
        out = text[:1].upper() + text[1:]
    else:
        out = text
    assert len(out) == len(text)
    return out


def finish(
    speaker: str, pieces: list[tuple[str, str | None]], rng: random.Random, note: str | None = None
) -> Line:
    """pieces: (text, entity type or None). Styles the literal text, keeps span offsets."""
    style = rng.choices(["sentence", "lower", "bare"], weights=[45, 20, 35])[0]
    text, spans = "", []
    for chunk, kind in pieces:
        if kind is None and style == "bare":
            chunk = re.sub(r"(?<!\w)[,.?!;]+|[,.?!;]+(?!\w)", " ", chunk)
        start = len(text)
        text += chunk
        if kind is not None:
            spans.append((kind, start, len(text)))
    text, spans = squeeze(text, spans)
    text = apply_style(text, spans, "lower" if style in ("lower", "bare") else "sentence")
    ents: list[dict[str, object]] = [{"type": t, "start": a, "end": b} for t, a, b in spans]
    return Line(speaker, text, ents, note)


def from_marks(
    speaker: str, marked: str, rng: random.Random, note: str | None = None, keep_case: bool = False
) -> Line:
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for m in MARK.finditer(marked):
        pieces.append((marked[pos : m.start()], None))
        pieces.append((m.group(2), m.group(1)))
        pos = m.end()
    pieces.append((marked[pos:], None))
    if keep_case:
        text, spans = "", []
        for chunk, kind in pieces:
            start = len(text)
            text += chunk
            if kind:
                spans.append((kind, start, len(text)))
        text, spans = squeeze(text, spans)
        return Line(speaker, text, [{"type": t, "start": a, "end": b} for t, a, b in spans], note)
    return finish(speaker, pieces, rng, note)


class Pool:
    """Hands out items without replacement, reshuffling once all were used."""

    def __init__(self, items: Sequence[str], rng: random.Random) -> None:
        self.items = list(items)
        self.rng = rng
        self.left: list[str] = []

    def take(self) -> str:
        if not self.left:
            self.left = self.items[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


class Person:
    def __init__(self, rng: random.Random) -> None:
        self.first = rng.choice(FIRST)
        self.last = rng.choice(LAST)
        card, brand, groups = rng.choice(CARDS)
        self.card, self.brand, self.groups = card, brand, groups
        self.cvv = "".join(rng.choice("0123456789") for _ in range(3))
        self.exp = (rng.randint(1, 12), rng.randint(2026, 2033))
        self.ssn = rng.choice(SSNS)
        self.routing = rng.choice(ROUTING)
        n = rng.randint(8, 12)
        self.acct = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
        if rng.random() < 0.2:
            self.acct = "00" + self.acct[2:]
        self.pin = "".join(rng.choice("0123456789") for _ in range(rng.choice([4, 4, 4, 4, 6])))
        self.dob = (rng.randint(1941, 2004), rng.randint(1, 12), rng.randint(1, 28))
        self.agent = rng.choice(AGENTS)
        self.phone = make_phone(rng)
        self.address = Address.make(rng)
        self.address2 = Address.make(rng)  # a second one, for "the old address was ..."
        self.email = make_email(self.first, self.last, rng)
        self.slots: Counter[str] = Counter()


def render(
    speaker: str, frame: str, who: Person, rng: random.Random, note: str | None = None
) -> Line:
    """Fill a frame's slots from one caller's values; upper-case slots become spans."""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    who.slots.clear()
    for m in SLOT.finditer(frame):
        pieces.append((frame[pos : m.start()], None))
        name = m.group(1)
        pieces.append((value(name, who, rng), KINDS.get(name)))
        pos = m.end()
    pieces.append((frame[pos:], None))
    return finish(speaker, pieces, rng, note)


def card_groups(who: Person) -> list[int]:
    return list(who.groups)


def value(name: str, who: Person, rng: random.Random) -> str:
    if name == "CARD":
        return speak_number(who.card, card_groups(who), rng)
    if name == "CVV":
        return speak_number(
            who.cvv,
            [len(who.cvv)],
            rng,
            ["digits", "digits", "spaced", "words", "oh", "mixdigit", "runs"],
        )
    if name == "EXP":
        return say_expiry(*who.exp, rng)
    if name == "SSN":
        return speak_number(who.ssn, [3, 2, 4], rng)
    if name == "SSN4":
        return speak_number(
            who.ssn[5:], [4], rng, ["digits", "spaced", "words", "oh", "pairs", "runs"]
        )
    if name == "ACCT":
        n = len(who.acct)
        groups = rng.choice([[n], [4] * (n // 4) + ([n % 4] if n % 4 else []), [3, n - 3]])
        return speak_number(who.acct, groups, rng)
    if name == "ROUTING":
        return speak_number(who.routing, rng.choice([[9], [3, 3, 3], [4, 5]]), rng)
    if name == "PIN":
        return speak_number(
            who.pin,
            [len(who.pin)],
            rng,
            ["digits", "spaced", "words", "oh", "runs", "pairs", "mixdigit"],
        )
    if name == "PHONE":
        return say_phone(who.phone, rng)
    if name == "EMAIL":
        return say_email(who.email, rng)
    if name == "DOB":
        return say_dob(*who.dob, rng)
    if name == "ADDR":
        # The second {ADDR} of a frame ("the old address was ... the new one is ...").
        who.slots[name] += 1
        return say_address(who.address2 if who.slots[name] % 2 == 0 else who.address, rng)
    if name == "ZIP":
        return say_zip(who.address.city[2], rng)
    if name in ("NAME", "HOLDER"):
        return rng.choice(
            [
                f"{who.first} {who.last}",
                f"{who.first} {who.last}",
                f"{who.first} {rng.choice('ABCDEJKLMRST')}. {who.last}",
            ]
        )
    if name == "FULL":
        return f"{who.first} {who.last}"
    if name == "FIRST":
        return who.first
    if name == "LAST":
        return who.last
    if name == "SPELLED":
        return spell(who.last, rng)
    if name == "AGENT":
        return who.agent
    if name == "brand":
        return rng.choice(BRAND_SAID[who.brand])
    if name == "company":
        return rng.choice(COMPANIES)
    if name == "plan":
        return rng.choice(PLANS)
    if name == "price":
        return rng.choice(PRICES)
    if name == "days":
        return rng.choice(["three to five", "five to seven", "7 to 10", "two", "ten"])
    if name == "time":
        return rng.choice(
            ["three thirty", "9 am", "noon", "four fifteen", "10:30", "quarter to six"]
        )
    raise KeyError(name)


# --------------------------------------------------------------------------- frames

ASK_CARD = [
    "Okay, what card would you like to use today?",
    "go ahead with the card number whenever you're ready",
    "And the long number across the front of the card?",
    "I can take that payment for you now, what's the card number",
    "sure, I just need the sixteen digit number on the card",
    "Alright, and which card will that be going on?",
    "can you read me the card number please",
    "Perfect. Let's get the new card added, go ahead with the number.",
    "okay I'm ready for the card number",
    "And how will you be paying the {price} today?",
]
CUST_CARD = [
    "yeah it's {CARD}",
    "Okay, the card number is {CARD}.",
    "um let me grab it ... okay {CARD}",
    "{CARD}",
    "sure it's a {brand}, {CARD}",
    "the number on the front is {CARD}",
    "it's my debit card, {CARD}",
    "So it's {CARD}, that's the {brand}.",
    "can you put the {price} on {CARD}",
    "hold on it's in my wallet. ok. {CARD}",
    "Use the {brand} please. The number is {CARD}.",
    "I'll read it off to you, {CARD}, did you get all that?",
    "it's uh {CARD}",
    "my new card is {CARD} because the old one got stolen",
    "put it on {CARD}",
    "its {CARD} sorry I'm driving",
    "Card number {CARD}, expiration {EXP}.",
    "alright it's {CARD} expires {EXP} and the code on the back is {CVV}",
    "Okay so {CARD}, and it expires {EXP}.",
    "the card I want to use now is {CARD}",
    "ready? {CARD}",
    "It's a {brand}, number {CARD}, and the name on it is {HOLDER}.",
    "i think it's {CARD} yeah that's it",
    "let me see, {CARD}",
    "Number is {CARD}. The security code is {CVV}.",
    "you can charge {CARD} for the whole balance",
    "it's the {brand}, oh you need all of it, okay, {CARD}",
    "first it's {CARD}, got that?",
    "the {brand} is {CARD}, not the other one",
    "yes please use my {brand} {CARD} for the {price}",
    "Um, okay. {CARD}.",
    "so I have it here, {CARD}, and it's a business card if that matters",
]
AGENT_CARD = [
    "Okay, I have {CARD}, is that right?",
    "let me read that back to you {CARD}",
    "So that's {CARD}, expiring {EXP}, correct?",
    "I'm showing the card on file as {CARD}, do you want to keep using that one?",
    "just to confirm the number, {CARD}",
    "I got {CARD} with a security code of {CVV}",
    "perfect, {CARD}, and what's the expiration date on that?",
    "Thank you, I'll run {CARD} for {price} now.",
    "okay {CARD}, did I get that right",
]
ASK_EXP = [
    "And the expiration date?",
    "what's the expiry on that card",
    "And when does that card expire?",
    "okay and the month and year it expires",
]
ASK_CVV = [
    "Great, and the three digit security code on the back?",
    "okay and the cvv please",
    "last thing, the security code",
    "And the CVV on the back of the card?",
]
CUST_EXP = [
    "it expires {EXP}",
    "expiration is {EXP}",
    "{EXP}",
    "um the date on it says {EXP}",
    "Good through {EXP}.",
    "valid thru {EXP}",
    "exp {EXP}",
    "The expiration date is {EXP}, and the CVV is {CVV}.",
    "expires {EXP} security code {CVV}",
    "{EXP} and then {CVV} on the back",
    "It runs out {EXP}.",
    "uh it's {EXP}",
    "Expiry {EXP}. Do you need the code too?",
]
CUST_CVV = [
    "the security code is {CVV}",
    "cvv {CVV}",
    "three digits on the back, {CVV}",
    "{CVV}",
    "It's {CVV}.",
    "the code is {CVV}",
    "uh the little number on the back is {CVV}",
    "Security code, {CVV}.",
    "cvv is {CVV} and it expires {EXP}",
    "it says {CVV} on the back",
    "okay the three digit code is {CVV}",
]
AGENT_EXP_CVV = [
    "okay expiration {EXP} and cvv {CVV}",
    "So I have the expiry as {EXP}.",
    "and that's {CVV} for the code, got it",
    "Perfect, expires {EXP}. And the security code?",
    "Okay, {EXP} with a security code of {CVV}, I'll process that now.",
]
AGENT_INTRO = [
    "Thank you for calling {company}, this is {AGENT}, how can I help you today?",
    "hi thanks for calling my name is {AGENT} who do I have the pleasure of speaking with",
    "{company} billing, {AGENT} speaking.",
    "Hi, this is {AGENT} from the billing team returning your call.",
    "good afternoon you've reached {AGENT} at {company}",
    "Hey there, {AGENT} here, I'll be helping you with the transfer.",
    "thank you for holding this is {AGENT} in the fraud department",
    "Hi, you're speaking with {AGENT}. Can I start with your name?",
    "{AGENT} with {company} tech support, what's going on with the service",
]
ASK_NAME = [
    "Before I go into the account can I get your full name please?",
    "who am I speaking with today",
    "Can I have the name of the account holder?",
    "for security I need to verify a couple things, starting with your name",
    "And what's the name on the card?",
    "and your first and last name",
]
CUST_NAME = [
    "yeah my name is {NAME}",
    "it's {NAME}",
    "This is {NAME}.",
    "{NAME}",
    "hi, {FULL} here",
    "uh the account's under {NAME}",
    "My name's {FIRST}, last name {LAST}, {SPELLED}.",
    "{LAST}, {SPELLED}, first name {FIRST}",
    "It's {FULL}, that's {SPELLED}.",
    "speaking, this is {FIRST}",
    "the account holder is my husband {NAME}",
    "it might be under my mom's name, {NAME}",
    "Yes hi I'm calling for my father, {NAME}, he's right here with me.",
    "last name is {LAST}, {SPELLED}",
    "the name on the card is {HOLDER}",
    "It's {HOLDER} on the card, with the middle initial.",
    "yeah it's me, {FIRST}, I called yesterday too",
    "I'm {NAME} and I've been a customer for like ten years",
]
AGENT_NAME = [
    "Thank you, {FIRST}. Let me pull that up.",
    "okay mister {LAST} one moment",
    "Thanks Ms. {LAST}, I've got the account open.",
    "so I have {NAME} is that correct",
    "Can you spell the last name for me? I have {SPELLED}.",
    "great, thanks {FIRST}",
    "I'm showing the account holder as {NAME}.",
    "Alright {FIRST}, I see two lines on the account.",
]
ASK_DOB = [
    "can you verify the date of birth on the account",
    "what's your date of birth please",
    "And your birthday for verification?",
    "I'll need the account holder's date of birth.",
]
CUST_DOB = [
    "it's {DOB}",
    "My date of birth is {DOB}.",
    "I was born on {DOB}",
    "{DOB}",
    "uh birthday is {DOB}",
    "DOB {DOB}",
    "Sure, {DOB}.",
    "date of birth {DOB}",
    "It should be {DOB}, unless it's under my wife.",
    "{DOB}, I'm turning sixty this year",
    "that's {DOB}",
    "my birthday's {DOB}",
    "um hold on, {DOB}",
    "Born {DOB}.",
]
AGENT_DOB = [
    "And I have your birthday as {DOB}, correct?",
    "so {DOB}, got it",
    "Thank you. Date of birth {DOB} matches what I have.",
    "okay I'm seeing a date of birth of {DOB} on the account",
]
ASK_SSN = [
    "And for verification, the last four of your social?",
    "I'll need your social security number to open the application.",
    "can I get the last four digits of the social on the account",
    "For the credit check I'll need your full social.",
]
CUST_SSN = [
    "it's {SSN}",
    "social is {SSN}",
    "My social security number is {SSN}.",
    "{SSN}",
    "okay ready? {SSN}",
    "SSN {SSN}",
    "um {SSN}",
    "Sure it's {SSN}.",
    "my social's {SSN}",
    "social security, {SSN}",
    "the number is {SSN}, do you need my date of birth too?",
    "let me find my card... {SSN}",
    "Okay so the social is {SSN}, and it's the same on the old account.",
    "yeah my ssn is {SSN}",
]
CUST_SSN4 = [
    "the last four of my social is {SSN4}",
    "last four, {SSN4}",
    "{SSN4}",
    "Last four of the social are {SSN4}.",
    "it's {SSN4}",
    "ssn last four {SSN4}",
    "my last four is {SSN4}",
    "uh the last four digits, {SSN4}",
]
AGENT_SSN = [
    "I have {SSN}, is that correct?",
    "thank you, the last four {SSN4} matches",
    "Just to confirm, that's {SSN}?",
    "okay so last four of the social {SSN4}",
]
ASK_ADDR = [
    "What's the service address?",
    "can I get the new address please",
    "And what's the billing address on the card?",
    "where would you like the equipment shipped",
    "what's the zip code on the account",
    "Can you confirm the mailing address?",
]
CUST_ADDR = [
    "it's {ADDR}",
    "I live at {ADDR}",
    "The new address is {ADDR}.",
    "send it to {ADDR}",
    "billing address is {ADDR}",
    "we moved to {ADDR} last month",
    "{ADDR}",
    "ship it to {ADDR} please",
    "Yeah the service address is {ADDR}.",
    "my mailing address is {ADDR}, not the house",
    "um {ADDR}",
    "It's still {ADDR}.",
    "uh the zip code is {ZIP}",
    "zip {ZIP}",
    "the old address was {ADDR} and the new one is {ADDR}",
    "I'm staying at my sister's, {ADDR}, until the end of June",
    "Billing zip is {ZIP}.",
    "we're at {ADDR} now",
]
AGENT_ADDR = [
    "So that's {ADDR}?",
    "I'm updating the service address to {ADDR}.",
    "Okay and I have {ADDR} for the billing address.",
    "I'll mail the new agreement to {ADDR}.",
    "and the zip is {ZIP} correct",
    "I'll ship the modem to {ADDR}, it should get there in {days} days.",
]
ASK_PHONE = [
    "What's the best callback number in case we get disconnected?",
    "can I get a good phone number for you",
    "Is the number you're calling from the best one to reach you?",
    "and a phone number for the delivery driver",
]
CUST_PHONE = [
    "you can reach me at {PHONE}",
    "My cell is {PHONE}.",
    "best number is {PHONE}",
    "call me back on {PHONE} after five",
    "it's {PHONE}",
    "The number on the account should be {PHONE}.",
    "{PHONE}, that's my work line",
    "{PHONE}",
    "yeah text me at {PHONE}",
    "my wife's number is {PHONE} if you can't get me",
    "um the home phone is {PHONE} but nobody picks that up",
    "It's {PHONE}, the one I'm calling from.",
    "add {PHONE} as the second line",
    "Sure, {PHONE}.",
]
AGENT_PHONE = [
    "I have {PHONE} as the callback number.",
    "is {PHONE} still good for you",
    "Okay, I'll call you back at {PHONE} if we drop.",
    "so {PHONE}, got it",
]
ASK_EMAIL = [
    "And what email should I send the confirmation to?",
    "do you want the receipt emailed",
    "Can I get an email address for the account?",
    "what's a good email for the e-bill",
]
CUST_EMAIL = [
    "it's {EMAIL}",
    "email is {EMAIL}",
    "Send the receipt to {EMAIL}.",
    "my email address, {EMAIL}",
    "you can use {EMAIL}",
    "{EMAIL} all lowercase",
    "{EMAIL}",
    "the new email is {EMAIL}",
    "Um, it's {EMAIL}, that's the one I check.",
    "please update it to {EMAIL}",
    "my work email {EMAIL}",
    "yeah send it to {EMAIL} thanks",
]
AGENT_EMAIL = [
    "I have {EMAIL} on file, is that still current?",
    "so that's {EMAIL}",
    "Great, the confirmation's going to {EMAIL}.",
    "Okay I've updated the email to {EMAIL}.",
]
ASK_BANK = [
    "For autopay I'll need the routing number and the account number.",
    "what's the routing number on your check",
    "And the account number?",
    "is that checking or savings",
    "the routing number is the nine digit number at the bottom left of the check",
]
CUST_BANK = [
    "routing number is {ROUTING} and the account number is {ACCT}",
    "the account is {ACCT}",
    "Checking account, {ACCT}.",
    "routing {ROUTING}",
    "it's a savings account, number {ACCT}",
    "my bank's routing number is {ROUTING}",
    "the nine digit one is {ROUTING}",
    "{ROUTING}",
    "{ACCT}",
    "Okay, the routing is {ROUTING}. The account is {ACCT}.",
    "uh account number {ACCT} at Summit Bank",
    "on the check it says {ROUTING} then {ACCT}",
    "Account number's {ACCT}.",
    "it's {ACCT} checking",
    "routing and account, {ROUTING}, {ACCT}",
    "The routing number on the check is {ROUTING}.",
    "uh {ROUTING} is the routing, I'm looking at a check",
    "It's a credit union, routing {ROUTING}, and my account is {ACCT}.",
]
AGENT_BANK = [
    "okay routing {ROUTING}, account {ACCT}, and it's a checking account?",
    "So the account number is {ACCT}.",
    "I have routing number {ROUTING}, is that right",
    "let me read it back, account {ACCT}",
]
ASK_PIN = [
    "Can you verify the PIN on the account?",
    "and the four digit passcode please",
    "What would you like the new PIN to be?",
    "I just need the account pin to continue",
]
CUST_PIN = [
    "my pin is {PIN}",
    "Pin is {PIN}.",
    "the passcode is {PIN}",
    "{PIN}",
    "it should be {PIN} unless my wife changed it",
    "the security pin, uh, {PIN}",
    "I set it to {PIN}",
    "try {PIN}",
    "Make the new PIN {PIN}.",
    "the account pin is {PIN} I think",
    "uh {PIN}",
    "passcode {PIN}",
    "It's {PIN}, same as my old one.",
]
AGENT_PIN = [
    "So the PIN you'd like is {PIN}?",
    "I've reset the pin to {PIN}, you can change it in the app.",
    "okay {PIN} is correct, thank you",
    "your temporary pin is {PIN}",
]
CUST_COMBO = [
    "It's {NAME}, date of birth {DOB}.",
    "{NAME}, {DOB}, and the last four are {SSN4}",
    "I'm {NAME} and I live at {ADDR}",
    "my name is {NAME} and my number is {PHONE}",
    "yeah {FIRST} here, email's {EMAIL}",
    "the card's under {HOLDER}, billing zip {ZIP}",
    "the name on the card is {HOLDER}, and the billing address is {ADDR}",
    "okay it's {FULL}, {ADDR}",
    "Sure. {NAME}, born {DOB}, and my pin is {PIN}.",
    "uh {FULL} and the phone is {PHONE}",
]
CLEAN_FRAMES = [
    ("agent", "your new monthly total would be {price}"),
    ("agent", "{plan} is {price} a month."),
    ("agent", "a technician can come out at {time} tomorrow"),
    ("agent", "refunds take {days} business days"),
    ("customer", "I'm thinking about switching to {plan}"),
    ("customer", "{company} charged me {price} for nothing"),
    ("agent", "the appointment is at {time} on Thursday"),
    ("agent", "With autopay {plan} comes down to {price}."),
    ("agent", "okay so the credit should show up in {days} days"),
    ("customer", "uh can you do {time} instead"),
    ("customer", "I was on {plan} but it was {price} so I downgraded"),
    ("agent", "You'll see {price} on the next statement from {company}."),
]

CLEAN_LINES = [
    ("customer", "yeah the bill says forty nine ninety nine but I was told it'd be thirty nine"),
    ("agent", "Your plan is $12.50 a month after the promo ends."),
    ("customer", "uh I'm on the Unlimited 200 plan I think"),
    ("agent", "It'll take five to seven business days for the refund to show up."),
    ("customer", "can someone come out at three thirty"),
    ("customer", "I've been a customer since 2019."),
    ("agent", "will that be all for today"),
    ("customer", "my bill went up like twenty percent"),
    ("agent", "You may see a temporary authorization of one dollar."),
    ("agent", "The new rates start in June."),
    ("agent", "okay your bill on March 3rd was one twenty four eighty"),
    ("agent", "We have the iPhone 15 Pro in stock for $799."),
    ("customer", "I ordered two of the routers and only one came."),
    ("agent", "the order number is 1 1 2 3 4 5 6 7"),
    ("agent", "Your ticket number is 447821, you'll get an email when it's updated."),
    ("agent", "case number C S dash two two nine one oh"),
    ("agent", "Hold on, let me check with my supervisor, it'll be about two minutes."),
    ("agent", "Is there anything else I can help you with today?"),
    ("customer", "I was charged twice, once for fifty nine and once for sixty two fifty."),
    ("customer", "the outage started around 10 pm and it was fixed by 2 am"),
    ("agent", "We can do 15% off for the next six months."),
    ("customer", "um can I get the Galaxy S24 on the 24 month installment"),
    ("agent", "It's three ninety nine for the first year, then it goes up."),
    ("agent", "Bill is due on the 15th of every month."),
    ("agent", "may I place you on a brief hold"),
    ("customer", "so June and July both had late fees of ten dollars"),
    ("customer", "I'll be home between nine and noon"),
    ("agent", "The technician window is eight to twelve on Thursday."),
    ("agent", "Sorry, the system is slow today, one moment."),
    ("customer", "they shipped 3 boxes and tracking says delivered"),
    ("agent", "Your data usage was 48.6 gigs last month."),
    ("agent", "the Family Share 4 plan is one sixty for four lines"),
    ("customer", "I've had the same modem since like 2015"),
    ("customer", "It says error code 0x80070005 on the screen."),
    ("agent", "The promo code is SAVE20."),
    ("agent", "That's a credit of $23.40 on your next statement."),
    ("customer", "the speed test shows like 90 down and 12 up"),
    ("customer", "Can I pay the remaining two hundred next Friday?"),
    ("agent", "We're open seven days a week from 8 to 8."),
    ("customer", "yeah uh I called like four times already about this"),
    ("agent", "The late fee is five percent of the balance."),
    ("customer", "I'm looking at the statement from April and it's $104.17."),
    ("agent", "press one for billing, two for technical support"),
    ("agent", "our fiber plans go up to 2 gig"),
    ("customer", "Will the price change after twelve months?"),
    ("agent", "okay so three lines at thirty five each is a hundred and five"),
    ("agent", "It's a 30 day return window from the delivery date."),
    ("agent", "the Essentials bundle has about 125 channels"),
    ("agent", "That order shipped on May 2nd and should arrive by the 9th."),
    ("agent", "The office at Brightline Energy closes at 5:30."),
    ("customer", "the router model is the AX3000"),
    ("agent", "You'll get a text in about ten minutes with a link."),
    ("customer", "uh it's been dropping calls for like two weeks"),
    ("agent", "I can waive the forty dollar activation fee."),
    ("agent", "Your contract ends in November 2026."),
    ("agent", "The new price is 79.99 plus tax."),
    ("customer", "is it the 5G or the LTE model"),
    ("agent", "Sorry, can you repeat that? You cut out for a second."),
    ("customer", "we had 12 inches of snow so the dish probably needs cleaning"),
    ("agent", "Your payment of sixty dollars posted on the 3rd."),
    ("agent", "There are about 6 callers ahead of you."),
    ("agent", "the refund was for one forty nine ninety five"),
    ("customer", "mm-hmm, yeah, okay"),
    ("agent", "Thanks so much, have a great day."),
    ("agent", "I'll bill the prorated amount, it's about eleven dollars."),
    ("customer", "will do, thanks"),
    ("customer", "the may statement has a charge I don't recognize for 9.99"),
    ("customer", "June's bill was higher because of the roaming."),
    ("agent", "you can bill it to the same account"),
    ("customer", "it took like an hour and 20 minutes to get through"),
    ("customer", "we're upgrading to the Premium 500 next week"),
    ("agent", "The Roku Ultra and the Apple TV 4K both work with the app."),
    ("customer", "I work from 7 to 3 so anytime after four is fine"),
    ("agent", "You have 2 devices on a payment plan with 14 payments left."),
    ("agent", "So that's 24 payments of $41.66."),
    ("customer", "the box is blinking orange and then green"),
    ("agent", "The price went up 3% in the first quarter of 2024."),
    ("agent", "Okay, I've applied the 50 dollar loyalty credit."),
    ("customer", "uh how much is the early termination fee"),
    ("agent", "The early termination fee is $200 minus $10 for every month you've had service."),
    ("agent", "that's reference number 7 7 4 2 9 from the technician visit"),
    ("agent", "Your confirmation number is B Q 4 7 7 2 Z."),
    ("customer", "I got a letter saying the rate goes to 11.9 percent APR"),
    ("agent", "That's an Acme Cable charge, not ours."),
    ("agent", "Let me transfer you to Summit Bank card services."),
    ("customer", "I'd like to cancel the Netflix add-on, it's 15.49."),
    ("agent", "We can schedule it for Saturday the 14th between one and five."),
    ("agent", "the grace period is ten days"),
    ("agent", "so the total today comes to two fifty seven eighteen"),
    ("agent", "The upload is capped at 35 megabits on that tier."),
    ("customer", "my son plays Fortnite and the ping is like 120"),
    ("customer", "uh we've got 3 TVs and 2 laptops on the wifi"),
    ("customer", "the store on Main Street closes at 9 so I couldn't return it"),
    ("customer", "I'll hold."),
    ("agent", "Page 3 of the agreement, section 4.2."),
    ("customer", "we're a small business with 40 employees on the plan"),
    ("agent", "the 2 year price lock ends in March"),
    ("customer", "about 6 or 7 dropped calls a day"),
    ("customer", "to be frank I'm pretty upset about this"),
    ("customer", "The price rose again in January."),
    ("agent", "I'll mark the ticket as urgent."),
    ("customer", "the phone jack in the kitchen doesn't work"),
    ("customer", "I hope it's fixed by summer honestly"),
    ("customer", "Let me see, the modem is an Arris SB8200."),
    ("agent", "will you be paying the full balance or just the minimum"),
    ("customer", "May I ask why there's a $4.99 fee?"),
    ("agent", "the June promotion gives you three months at half price"),
    ("agent", "Your next bill will be around one twenty."),
    ("customer", "um sorry my dog is barking, one second"),
    ("agent", "No problem, take your time."),
    ("customer", "it's like the third time this month, since the 2nd"),
    ("agent", "The device is 0 percent APR over 36 months."),
    ("customer", "I paid $300 for the phone and it broke after 2 weeks."),
    ("agent", "okay I see 4 lines and a tablet on the account"),
    ("agent", "International calling to Mexico is 5 cents a minute."),
    ("customer", "I switched from Verizon in 2021 because of the price"),
    ("agent", "Our system shows 3 failed payments between January and March."),
    ("customer", "the meter reading was 48213 last month which seems wrong"),
    ("agent", "Your usage was 1,204 kilowatt hours in August."),
    ("agent", "the average bill in your area is about 140 a month in the summer"),
    ("customer", "hold on, let me grab a pen"),
    ("agent", "I'm going to send a refresh signal, it takes about 90 seconds."),
    ("customer", "nothing yeah it's still showing 0 bars"),
    ("agent", "Ticket 2 0 2 4 1 1 3 9 is now closed."),
    ("agent", "The replacement SIM ships today, 2 day delivery, no charge."),
    ("customer", "do you guys price match Costco"),
    ("agent", "there's a one time fee of nineteen ninety nine"),
    ("customer", "we've been with Northwind Mobile since uh two thousand eight"),
    ("agent", "Okay, I'll set a reminder for the 21st."),
    ("customer", "It's the 65 inch one, the model ending in Q80."),
    ("agent", "Your rewards balance is 12,450 points."),
    ("customer", "so is it 10 or 15 percent off"),
    ("agent", "The Starter 10 gig plan has no contract."),
    ("customer", "I'm calling about the bill from, uh, February"),
    ("agent", "Okay, that's case 5 5 1 9 0 2, if you call back just give them that."),
    ("customer", "the last time I called they said forty eight hours"),
    ("agent", "We credited back the $35 on the 12th."),
    ("customer", "can I get paper statements again, I'm seventy eight and I don't do email"),
    ("agent", "The warranty covers 1 year from purchase."),
    ("customer", "uh yeah it's apartment complex wifi I think, the router is in the basement"),
    ("agent", "Good morning, thanks for holding."),
    ("customer", "I need to move the service to my new place on the first"),
    ("agent", "The Chase autopay failed on the 5th, that's why there's a late fee."),
]

# Hand-written conversations; "+" after the speaker marks a line whose last span goes on
# in the same speaker's next line (the part in each line is labelled).
HAND: list[list[tuple[str, str]]] = [
    [
        ("agent", "Go ahead with the card number."),
        ("customer+", "ok the card is [[CREDIT_CARD|four two four two, four two four two]]"),
        ("customer", "[[CREDIT_CARD|four two four two, four two four two]] and that's a visa"),
    ],
    [
        ("agent", "go ahead"),
        ("customer+", "it's [[CREDIT_CARD|5425 2334]]"),
        ("agent", "mm-hmm"),
        ("customer", "[[CREDIT_CARD|3010 9903]]"),
    ],
    [
        ("customer+", "my social is [[US_SSN|nine oh oh, four five]]"),
        ("customer", "[[US_SSN|six seven eight nine]] sorry"),
    ],
    [
        ("agent", "What's a good callback number?"),
        ("customer+", "yeah it's [[PHONE_NUMBER|six one seven]]"),
        ("customer", "[[PHONE_NUMBER|five five five oh one four two]]"),
    ],
    [
        ("customer+", "the account number is [[BANK_ACCOUNT|double oh four five]]"),
        ("customer", "um [[BANK_ACCOUNT|seven one two two nine eight]]"),
        ("agent", "Got it, thank you."),
    ],
    [
        ("agent", "and the card number"),
        ("customer+", "[[CREDIT_CARD|four one one one]]"),
        ("customer+", "[[CREDIT_CARD|one one one one]]"),
        ("customer", "[[CREDIT_CARD|one one one one one one one one]]"),
    ],
    [
        ("customer", "card number is [[CREDIT_CARD|4111 1111 111 1111]]", "asr-dropped-digit"),
        ("agent", "I think I missed a digit, can you read it again?"),
    ],
    [
        (
            "customer",
            "it's [[CREDIT_CARD|five five five five five five five five five five five four four four four]]",
            "asr-dropped-digit",
        ),
    ],
    [
        ("customer", "It's an Amex, [[CREDIT_CARD|3782 822463 10005]]."),
        ("agent", "And the four digit code on the front?"),
        ("customer", "[[CVV|7 1 2 4]]"),
    ],
    [("customer", "uh [[CREDIT_CARD|4 1 1 1 one one one one 1111 one one one one]]")],
    [
        (
            "customer",
            "it's the discover [[CREDIT_CARD|six oh double one, one one one one, one one one one, one one one seven]]",
        ),
        ("agent", "Thank you, and it expires?"),
        ("customer", "[[EXPIRY|oh two thirty]]"),
    ],
    [
        ("agent", "What's the routing number?"),
        ("customer", "routing is [[BANK_ROUTING|oh two one, oh oh oh, oh two one]]"),
        (
            "customer",
            "and the account is [[BANK_ACCOUNT|triple seven eight two oh one nine three]]",
        ),
    ],
    [("customer", "my date of birth is [[DATE_OF_BIRTH|july ninth nineteen seventy two]]")],
    [
        ("agent", "And what year were you born?"),
        ("customer", "I was born in [[DATE_OF_BIRTH|nineteen eighty four]]"),
    ],
    [
        ("agent", "can you spell the last name"),
        ("customer", "sure it's [[PERSON|S M I T H]], like [[PERSON|John Smith]]"),
    ],
    [
        (
            "customer",
            "Yeah, [[PERSON|Szymanski]], that's [[PERSON|S as in Sam, Z as in zebra, Y, M A N S K I]].",
        ),
    ],
    [
        (
            "agent",
            "hi this is [[PERSON|Anna]] from billing, am I speaking with Mr. [[PERSON|Okafor]]",
        ),
        ("customer", "yes this is [[PERSON|Samuel]]"),
    ],
    [("customer", "the name on the card is [[PERSON|Robert J Whitaker]], he's my husband")],
    [("customer", "it's [[EMAIL_ADDRESS|k dot okafor at example dot org]]")],
    [("customer", "It's [[EMAIL_ADDRESS|maria.lopez@example.org]].")],
    [("customer", "Mail it to [[ADDRESS|P.O. Box 1187, Boise, Idaho 83702]].")],
    [("customer", "I'm at [[ADDRESS|4521 Oak Ridge Drive, Apartment 3B]] now")],
    [("customer", "it's [[ADDRESS|fourteen oh five elm avenue unit twelve]]")],
    [
        ("agent", "Can you give me the last four of your social?"),
        ("customer", "the last four of my social is [[US_SSN|four four three two]]"),
    ],
    [("customer", "my pin is [[PIN|triple seven one]]")],
    [("customer", "call me at [[PHONE_NUMBER|four one five, double five five, oh one two three]]")],
    [
        (
            "customer",
            "uh my card is [[CREDIT_CARD|4 0 1 2, 8 8 8 8, 8 8 8 8, 1 8 8 1]] and expiry [[EXPIRY|oh nine slash twenty six]] cvv [[CVV|one one two]]",
        ),
    ],
    [
        (
            "agent",
            "hi this is [[PERSON|Will]] with Northwind Mobile, will you be paying the full balance today?",
        ),
        ("customer", "Yes, hi [[PERSON|Will]]."),
    ],
    [
        (
            "customer",
            "[[PERSON|June Okonkwo]], and my birthday is [[DATE_OF_BIRTH|june third nineteen ninety]]",
        )
    ],
    [("customer", "My name is [[PERSON|Bill Henderson]] and my bill is wrong this month.")],
    [("customer", "[[PERSON|May Robinson]], first name is [[PERSON|M A Y]]")],
    [("customer", "Sure, it's [[US_SSN|078-05-1120]].")],
    [("customer", "it's [[US_SSN|9 0 1 5 5 9 0 8 7]]")],
    [
        ("agent", "what's your date of birth"),
        ("customer", "[[DATE_OF_BIRTH|12/15/1990]]"),
        ("agent", "Thank you, [[DATE_OF_BIRTH|December 15th, 1990]]."),
    ],
    [("customer", "date of birth is [[DATE_OF_BIRTH|one two one five nine zero]]")],
    [
        (
            "customer",
            "The routing number is [[BANK_ROUTING|122105155]], account [[BANK_ACCOUNT|1 5 0 4 4 7 8 2 3 9 1]].",
        )
    ],
    [("customer", "uh the zip is [[ADDRESS|6 0 6 1 4]]")],
    [("customer", "[[ADDRESS|1 2 8 Sycamore Road Raleigh North Carolina 2 7 6 0 1]]")],
    [("customer", "area code [[PHONE_NUMBER|503]] and then [[PHONE_NUMBER|555 0148]]")],
    [
        ("agent", "Can I get the card number?"),
        ("customer", "[[CREDIT_CARD|5555 5555 5555 4444]]"),
        ("agent", "thank you and the expiration"),
        ("customer", "[[EXPIRY|eleven twenty eight]] and the code is [[CVV|double oh seven]]"),
    ],
    [
        ("customer+", "okay my social is [[US_SSN|nine four five]]"),
        ("agent", "okay"),
        ("customer", "[[US_SSN|oh six, seven one two three]]"),
    ],
    [
        ("customer+", "the number is [[CREDIT_CARD|3 7 1 4 4 9 6 3 5]]"),
        ("customer", "[[CREDIT_CARD|3 9 8 4 3 1]] sorry I had to flip it over"),
    ],
    [
        ("agent", "This is [[PERSON|Tasha]], I'll be taking over from [[PERSON|Marco]]."),
        ("customer", "oh hi [[PERSON|Tasha]]"),
    ],
    [("customer", "I was born on the [[DATE_OF_BIRTH|fourth of July, 1965]], easy to remember")],
    [("customer", "my pin um [[PIN|one nine nine four]], no wait, that's my old one")],
    [("customer", "It's [[EMAIL_ADDRESS|j.nakamura88@gmail.com]], all lowercase.")],
    [("customer", "[[EMAIL_ADDRESS|t h e r e s a underscore b at yahoo dot com]]")],
    [("agent", "I'm sending it to [[EMAIL_ADDRESS|dmitri.volkov@example.net]] now.")],
    [
        (
            "customer",
            "we're at [[ADDRESS|twenty two eleven Hawthorne Place, suite four ten, Omaha Nebraska]]",
        )
    ],
    [("customer", "my husband [[PERSON|Rahul]] usually calls, I'm [[PERSON|Priya Mehta]]")],
    [
        (
            "customer",
            "my number's [[PHONE_NUMBER|one, three oh three, five five five, oh one eight eight]]",
        )
    ],
    [("customer", "it's [[PHONE_NUMBER|(312) 555-0176]] but I'm not home until 6")],
    [("customer", "expires [[EXPIRY|0328]] and the cvv is [[CVV|4 4 1]]")],
    [
        ("agent", "And the expiration?"),
        ("customer", "[[EXPIRY|March of 2029]]"),
    ],
    [("customer", "uh the pin I use is [[PIN|2 2 4 6]] for everything honestly")],
    [
        (
            "customer",
            "routing [[BANK_ROUTING|0 1 1 0 0 0 0 1 5]] account [[BANK_ACCOUNT|forty four fifty five sixty six seventy seven eighty eight]]",
        )
    ],
    [("customer", "SSN is [[US_SSN|nine twelve, thirty four, fifty six seventy eight]]")],
]


# --------------------------------------------------------------------------- scenes


@dataclass
class Pools:
    rng: random.Random
    pools: dict[str, Pool] = field(default_factory=dict)

    def take(self, frames: Sequence[str], given: set[str] | None = None) -> str:
        """The next frame of a pool; with `given`, the next one that only reads back those slots."""
        key = str(id(frames))
        if key not in self.pools:
            self.pools[key] = Pool(frames, self.rng)
        pool = self.pools[key]
        if given is None:
            return pool.take()
        fits = [f for f in frames if readable(f, given)]
        assert fits, (frames, given)
        for _ in range(2):
            for i, f in enumerate(pool.left):
                if readable(f, given):
                    return pool.left.pop(i)
            pool.left = pool.items[:]
            self.rng.shuffle(pool.left)
        raise AssertionError("unreachable")


PERSON_SLOTS = {"NAME", "FIRST", "LAST", "SPELLED", "HOLDER", "FULL"}


def pii_slots(frame: str) -> set[str]:
    return {n for n in SLOT.findall(frame) if n in KINDS and n != "AGENT"}


def readable(frame: str, given: set[str]) -> bool:
    """Whether an agent can read this frame back after the customer said the `given` slots."""
    for slot in pii_slots(frame):
        if slot in PERSON_SLOTS:
            ok = bool(given & PERSON_SLOTS)
        elif slot == "SSN4":
            ok = bool(given & {"SSN", "SSN4"})
        elif slot == "ZIP":
            ok = bool(given & {"ZIP", "ADDR"})
        else:
            ok = slot in given
        if not ok:
            return False
    return True


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


Scene = Callable[[Person, Pools, random.Random], list[Line]]


def qa(
    ask: Sequence[str],
    answer: Sequence[str],
    readback: Sequence[str],
    p_ask: float = 0.6,
    p_read: float = 0.35,
) -> Scene:
    def scene(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
        lines = []
        if chance(rng, p_ask):
            lines.append(render("agent", pools.take(ask), who, rng))
        said = pools.take(answer)
        lines.append(render("customer", said, who, rng))
        given = pii_slots(said)
        if chance(rng, p_read) and any(readable(f, given) for f in readback):
            lines.append(render("agent", pools.take(readback, given), who, rng))
        return lines

    return scene


def payment(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    lines = []
    if chance(rng, 0.5):
        lines.append(render("agent", pools.take(ASK_CARD), who, rng))
    said = pools.take(CUST_CARD)
    lines.append(render("customer", said, who, rng))
    given = pii_slots(said)
    r = rng.random()
    if r < 0.3:
        lines.append(render("agent", pools.take(AGENT_CARD, given), who, rng))
    elif r < 0.6 and "EXP" not in given:
        lines.append(render("agent", pools.take(ASK_EXP), who, rng))
        lines.append(render("customer", pools.take(CUST_EXP), who, rng))
    elif "CVV" not in given:
        lines.append(render("agent", pools.take(ASK_CVV), who, rng))
        lines.append(render("customer", pools.take(CUST_CVV), who, rng))
    return lines[:4]


def card_details(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    lines, given = [], set()
    if chance(rng, 0.5):
        lines.append(render("agent", pools.take(ASK_EXP), who, rng))
        said = pools.take(CUST_EXP)
        lines.append(render("customer", said, who, rng))
        given |= pii_slots(said)
    if "CVV" not in given:
        lines.append(render("agent", pools.take(ASK_CVV), who, rng))
        said = pools.take(CUST_CVV)
        lines.append(render("customer", said, who, rng))
        given |= pii_slots(said)
    if chance(rng, 0.4) and len(lines) < 4:
        lines.append(render("agent", pools.take(AGENT_EXP_CVV, given), who, rng))
    return lines


def intro(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    lines = [render("agent", pools.take(AGENT_INTRO), who, rng)]
    said = pools.take(CUST_NAME)
    lines.append(render("customer", said, who, rng))
    if chance(rng, 0.5):
        lines.append(render("agent", pools.take(AGENT_NAME, pii_slots(said)), who, rng))
    return lines


def combo(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    lines = []
    if chance(rng, 0.5):
        lines.append(render("agent", pools.take(ASK_NAME), who, rng))
    lines.append(render("customer", pools.take(CUST_COMBO), who, rng))
    return lines


def ssn(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    lines = []
    if chance(rng, 0.6):
        lines.append(render("agent", pools.take(ASK_SSN), who, rng))
    said = pools.take(CUST_SSN if chance(rng, 0.72) else CUST_SSN4)
    lines.append(render("customer", said, who, rng))
    if chance(rng, 0.25):
        lines.append(render("agent", pools.take(AGENT_SSN, pii_slots(said)), who, rng))
    return lines


def split_number(who: Person, pools: Pools, rng: random.Random) -> list[Line]:
    """A number the caller reads across two utterances (a pause long enough to end one)."""
    kind = rng.choice(["CARD", "CARD", "SSN", "PHONE", "ACCT"])
    if kind == "CARD":
        digits, groups, etype = who.card, list(who.groups), "CREDIT_CARD"
    elif kind == "SSN":
        digits, groups, etype = who.ssn, [3, 2, 4], "US_SSN"
    elif kind == "PHONE":
        digits, groups, etype = who.phone, [3, 3, 4], "PHONE_NUMBER"
    else:
        digits, groups, etype = who.acct, [4, len(who.acct) - 4], "BANK_ACCOUNT"
    cut = rng.randint(1, len(groups) - 1)
    k = sum(groups[:cut])
    first = speak_number(digits[:k], groups[:cut], rng, ["digits", "spaced", "words", "oh", "runs"])
    second = speak_number(
        digits[k:], groups[cut:], rng, ["digits", "spaced", "words", "oh", "runs"]
    )
    lead = rng.choice(["it's ", "okay it's ", "um ", "the number is ", "", "so "])
    tail = rng.choice(["", " sorry", " uh did you get that", ", yeah", " and that's it"])
    lines = [
        from_marks("customer", f"{lead}[[{etype}|{first}]]", rng, note="continues-next-line"),
    ]
    if chance(rng, 0.3):
        lines.append(finish("agent", [(rng.choice(["mm-hmm", "okay", "go on", "yep"]), None)], rng))
    lines.append(
        from_marks("customer", f"{rng.choice(['', 'and ', 'uh '])}[[{etype}|{second}]]{tail}", rng)
    )
    return lines


SCENES: list[tuple[Scene, int]] = [
    (payment, 62),
    (card_details, 22),
    (intro, 26),
    (combo, 24),
    (qa(ASK_DOB, CUST_DOB, AGENT_DOB), 30),
    (ssn, 52),
    (qa(ASK_ADDR, CUST_ADDR, AGENT_ADDR), 34),
    (qa(ASK_PHONE, CUST_PHONE, AGENT_PHONE), 30),
    (qa(ASK_EMAIL, CUST_EMAIL, AGENT_EMAIL), 30),
    (qa(ASK_BANK, CUST_BANK, AGENT_BANK), 40),
    (qa(ASK_PIN, CUST_PIN, AGENT_PIN), 30),
    (split_number, 10),
]


def clean_conversations(rng: random.Random, pools: Pools) -> list[list[Line]]:
    lines = [from_marks(s, t, rng, keep_case=chance(rng, 0.5)) for s, t in CLEAN_LINES]
    who = Person(rng)
    lines += [render(s, f, who, rng) for s, f in CLEAN_FRAMES for _ in range(2)]
    rng.shuffle(lines)
    convs, i = [], 0
    while i < len(lines):
        n = rng.choice([1, 1, 2, 2, 3, 4])
        convs.append(lines[i : i + n])
        i += n
    return convs


def hand_conversations(rng: random.Random) -> list[list[Line]]:
    convs = []
    for conv in HAND:
        lines = []
        for item in conv:
            speaker, marked = item[0], item[1]
            note = item[2] if len(item) > 2 else None  # type: ignore[misc]
            if speaker.endswith("+"):
                speaker, note = speaker[:-1], "continues-next-line"
            lines.append(from_marks(speaker, marked, rng, note=note, keep_case=True))
        convs.append(lines)
    return convs


def build(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    pools = Pools(rng)
    convs: list[list[Line]] = []
    for scene, n in SCENES:
        for _ in range(n):
            who = Person(rng)
            lines = scene(who, pools, rng)
            if chance(rng, 0.15) and len(lines) < 4:
                # Small talk around the PII, as in a real call.
                speaker, text = rng.choice(CLEAN_LINES)
                lines.insert(rng.choice([0, len(lines)]), from_marks(speaker, text, rng))
            convs.append(lines)
    convs += hand_conversations(rng)
    convs += clean_conversations(rng, pools)
    rng.shuffle(convs)
    rows: list[dict[str, object]] = []
    for n, conv in enumerate(convs, 1):
        for line in conv:
            row: dict[str, object] = {
                "conversation": f"c{n:04d}",
                "speaker": line.speaker,
                "text": line.text,
                "entities": sorted(line.entities, key=lambda e: int(e["start"])),  # type: ignore[arg-type]
            }
            if line.note:
                row["note"] = line.note
            rows.append(row)
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    per_type: Counter[str] = Counter()
    for row in rows:
        for e in row["entities"]:  # type: ignore[attr-defined]
            per_type[e["type"]] += 1
    pii = sum(1 for r in rows if r["entities"])
    convs = len({r["conversation"] for r in rows})
    print(f"{len(rows)} lines in {convs} conversations: {pii} with PII, {len(rows) - pii} clean")
    for t, n in sorted(per_type.items()):
        print(f"  {t:<14} {n}")


if __name__ == "__main__":
    main()
