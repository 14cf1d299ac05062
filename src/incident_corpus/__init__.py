"""incident-corpus: news articles about attacks → Label Studio → a labelled NLP corpus."""

__version__ = "0.1.0"
