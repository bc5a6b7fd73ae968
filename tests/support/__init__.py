"""Helpers shared by the test modules (pytest puts tests/ on the path: `from support.paths import REPO`).

A test module imports from here, never from another test module; fixtures live in the conftest.py of
the folder that uses them (tests/conftest.py for those of every folder).
"""
