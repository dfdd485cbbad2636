"""The import tests' empty code list, cleared once per test module instead of per test.

The shipped lists (6,275 planning codes, 3,413 account codes) are loaded by data
migrations. Clearing them for every test cost most of those tests' time; here one
transaction per module clears the table, every test runs in its own savepoint inside it
(pytest-django's atomic blocks nest), and the module's end rolls the list back in.
"""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def list_emptied_for_the_module(model, django_db_blocker):
    db = model._base_manager.db
    with django_db_blocker.unblock(), transaction.atomic(using=db):
        model._base_manager.update(parent=None)
        model._base_manager.all()._raw_delete(db)  # nothing points at them: skip the collector
        # Run the deferred foreign-key checks of the deletion now, once: left pending, every
        # test's teardown (which checks constraints inside its savepoint) would run them again.
        connections[db].check_constraints()
        try:
            yield
        finally:
            transaction.set_rollback(True)
