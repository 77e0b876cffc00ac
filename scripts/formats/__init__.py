"""Downloadable formats of the readings: EPUB 3 (``epub.py``) and a PDF per chapter (``pdf.py``).

Both are drawn from the document model through the renderer's own page writer (``xhtml.py``), so
paragraph ids (``p37``), note numbers, glossary marks and printed-page markers are those of the
site; ``stage.py`` builds them in parallel processes, reuses what an unchanged input already made
(a cache keyed by the content of the inputs, in build/formats/) and checks every EPUB with EPUBCheck.
"""
