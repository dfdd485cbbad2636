"""Text search over a few columns: PostgreSQL's full-text search where the database is
PostgreSQL, a plain ``icontains`` match on any other (the embedded SQLite default).

Both behave alike for a person typing words: every word must occur, in any of the
fields, and a word matches what starts with it ("jemb" finds "jembatan"; SQLite's
fallback also finds it inside a word). The 'simple' configuration is used because
PostgreSQL ships no Indonesian dictionary: words are lower-cased, never stemmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connections
from django.db.models import Q, QuerySet

_WORD = re.compile(r"[^\W_]+")


def search_words(query: str | None) -> list[str]:
    """The words of what a person typed; punctuation and tsquery operators are dropped."""
    return _WORD.findall(query or "")


def text_search(queryset: QuerySet, fields: Sequence[str], query: str | None) -> QuerySet:
    """``queryset`` narrowed to the rows where every word of ``query`` occurs in ``fields``;
    the queryset unchanged when there are no words."""
    words = search_words(query)
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _full_text(queryset, fields, words)
    return _contains(queryset, fields, words)


def _full_text(queryset, fields, words):
    from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact

    vector = SearchVector(*fields, config="simple")
    # Each word a prefix (word:*), all of them required (&); words are letters and digits only, so
    # nothing a person types can break the tsquery syntax.
    tsquery = SearchQuery(" & ".join(f"{word}:*" for word in words), config="simple", search_type="raw")
    return queryset.filter(SearchVectorExact(vector, tsquery))


def _contains(queryset, fields, words):
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset
