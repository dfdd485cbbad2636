"""The benchmark's table, for the terminal and for ``bench/RESULTS.md``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .load import Measurement


@dataclass(frozen=True)
class Page:
    path: str
    who: str  # which bench account asks: "planner", "leader" or "anonymous"
    what: str


@dataclass
class Row:
    page: Page
    measurement: Measurement
    queries: int

    def ratio(self, baseline: float) -> float:
        return self.measurement.per_second / baseline if baseline else 0.0


@dataclass
class Report:
    when: str
    machine: dict[str, str]
    data: dict[str, int]
    settings: dict[str, str]
    baseline_runs: list[Measurement]
    rows: list[Row] = field(default_factory=list)
    surge: list[str] = field(default_factory=list)
    surge_ok: bool = True
    monthly: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> float:
        """/healthz/'s requests per second over its runs at the start and the end."""
        return sum(m.ok for m in self.baseline_runs) / sum(m.seconds for m in self.baseline_runs)

    def table(self) -> list[list[str]]:
        rows = [["page", "as", "what", "× /healthz/", "req/s", "queries/request", "errors"]]
        for row in self.rows:
            m = row.measurement
            errors = ", ".join(f"{k}: {v}" for k, v in sorted(m.errors.items(), key=str)) or "0"
            rows.append(
                [
                    f"`{row.page.path}`",
                    row.page.who,
                    row.page.what,
                    f"{row.ratio(self.baseline):.2f}",
                    f"{m.per_second:.0f}",
                    str(row.queries),
                    errors,
                ]
            )
        return rows

    def text(self) -> str:
        table = self.table()
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table)

    def markdown(self) -> str:
        table = self.table()
        lines = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
        lines += ["| " + " | ".join(r) + " |" for r in table[1:]]
        drift = " → ".join(f"{m.per_second:.0f}" for m in self.baseline_runs)
        return "\n".join(
            [
                "# Benchmark results",
                "",
                "Written by `make bench` (`python -m bench.run`); every run replaces this file.",
                "",
                f"Run on {self.when}.",
                "",
                "## Throughput relative to `/healthz/`, and queries per request",
                "",
                *lines,
                "",
                "**× /healthz/** is the page's requests per second divided by those of `/healthz/` (the smallest "
                "Django view: the whole middleware stack and the same session, so its one query loads the "
                "logged-in person) served the same way in the same run. Absolute req/s depend on the machine and "
                "on whatever else it runs at the time (see the load average below: near or above the CPU count, "
                "other work shared the machine); the ratio much less, so compare ratios between runs, never raw "
                "timings. Queries per request are counted in process on the same database, on the second request "
                "of a logged-in session (the steady state).",
                "",
                f"`/healthz/` baseline: {self.baseline:.0f} req/s (start → end of the run: {drift}).",
                "",
                *(["## Deadline surge", "", *self.surge, ""] if self.surge else []),
                *(["## Monthly report", "", *self.monthly, ""] if self.monthly else []),
                "## Machine",
                "",
                *[f"- {k}: {v}" for k, v in self.machine.items()],
                "",
                "## Data in the benchmark database",
                "",
                *[f"- {k}: {v:,}" for k, v in self.data.items()],
                "",
                "## Settings of the run",
                "",
                *[f"- {k}: {v}" for k, v in self.settings.items()],
                "",
                "## Reproduce",
                "",
                "```sh",
                "make bench        # or: .venv/bin/python -m bench.run",
                "```",
                "",
                "It needs PostgreSQL (and Redis, unless `BENCH_REDIS_URL=none`). It creates the database "
                "`BENCH_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/portal_bench`) when missing, "
                "migrates it, seeds it once with `manage.py seed_bench --scale province` (`BENCH_SCALE`), starts "
                "gunicorn on a free port of 127.0.0.1 with DEBUG off, and measures each page for `BENCH_SECONDS` "
                "with `BENCH_CLIENTS` keep-alive clients against `BENCH_WORKERS` sync workers. Reseed with "
                "`DATABASE_URL=<bench url> DEBUG=1 .venv/bin/python manage.py seed_bench --replace --scale national`.",
                "",
            ]
        )
