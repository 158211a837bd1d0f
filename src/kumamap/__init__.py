"""kumamap: an interactive map of Kumamoto's distributed science park around JASM."""

__version__ = "0.1.0"
