"""The store: engines and the unit of work, the change log and who follows it, rendered-row
cache, migrations, and the bookkeeping tables. Domain tables live with their resources in
clopos.core."""
