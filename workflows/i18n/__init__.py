"""Localisation, below the domain and the web alike: the gettext catalogue, the labels of every
code the reader sees, dates and amounts as a Vietnamese reader writes them, and where the
templates live."""
