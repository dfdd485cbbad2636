"""E-Monev's state changes: one function per change, keyword-only, audited.

- ``curves``: the planned curve of a contract (its PPK) or a plan item (its planner or
  monev officer);
- ``reports``: a month's progress report, draft → submitted → accepted / returned;
- ``evidence``: photos and documents attached to a report;
- ``critical``: the critical status of a contract and its escalation steps.
"""
