"""Serving the notebooks as web apps (Voila), offline and in Chinese."""
