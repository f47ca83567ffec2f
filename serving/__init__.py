"""The page-serving layer: page cache, site state, routing, rate limits, PDF and spreadsheet
rendering, small form widgets. It sits below every app and imports none of them, only
Django, Wagtail and libraries (tests/test_architecture.py holds that)."""
