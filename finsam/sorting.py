"""Swedish alphabetical order for lists sorted in Python."""

# Swedish alphabetical order: å, ä, ö after z, in that order ("{|}" follow "z" in
# ASCII); é sorts as e and ü as y, as Swedish dictionaries do.
_SWEDISH = str.maketrans(
    {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "è": "e", "ü": "y"}
)


def swedish_key(text):
    """Sort key for Swedish alphabetical order (case-folded; å ä ö last)."""
    return text.casefold().translate(_SWEDISH)
