"""The trace page: the whole chain through a plan item, budget line, package, contract or
Musrenbang proposal (``emonev.trace``), in a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import trace


@login_required
@require_GET
def trace_page(request, kind: str, pk: int):
    chain = trace.build_chain(request.user, kind, pk)
    return render(request, "emonev/trace_page.html", {"chain": chain, "kind": kind})
