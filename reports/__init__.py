"""The report domain, plain Python over the database session (no Flask request objects).

- ``models``, ``states``, ``categories``, ``tracking``, ``errors``, ``text``: the vocabulary.
- ``workflow``: what happens to a report — intake, the resident's and the ward's actions, deadlines,
  the reporter's secret.
- ``photos``: decoding and cleaning, content-addressed storage, who may see a stored file.
- ``queries``: read models — the one report filter, the desk queue, leaders' figures and hotspots,
  exports, the public view, Open311, nearby duplicates.
- ``accounts``: staff accounts, two-factor sign-in, Open311 API keys.
- ``demo``: synthetic data for the demo, the tests and the benchmarks (always ``is_synthetic``).
"""
