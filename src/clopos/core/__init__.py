"""Transport-neutral core: domain errors and the unit of work. No HTTP status, no click."""
