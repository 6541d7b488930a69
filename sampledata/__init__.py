"""
Sample data: the quickstart demo (``manage.py seed_demo``) and the national benchmark generator
(``manage.py generate_national``).

This app stands on top of the house: it may import any domain app, and nothing in the product
imports it (the import contract in ``pyproject.toml`` enforces that). ``plans.py`` draws plausible
cooperatives from a seeded random generator; ``demo.py`` and ``national.py`` write them, the demo
through bulk inserts and the real services, the generator through PostgreSQL COPY.

A domain app that needs demo or generator rows adds them here in one module named after it (e.g.
``sampledata/bumdes.py``), called from ``demo.py`` and ``national.py``.
"""
