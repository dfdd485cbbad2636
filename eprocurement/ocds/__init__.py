"""OCDS 1.1 open data: a release per change of a package (``publish``), built from the
package's current state (``builder``), compiled into records (``merge``), validated in the
tests against the shipped schemas (``schema``)."""
