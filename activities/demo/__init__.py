"""The demo network: its facts (facts.py) and the loader that writes them (loader.py)."""
