"""Whether typed text is a whole number written in the digits 0-9.

`str.isdigit()` alone also accepts superscripts ("²") and other scripts' digits, which `int()`
then refuses (or reads as a different number): a page given "²" as an id or a date part must
answer "not found" or "not a real date", never fail."""


def ascii_digits(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit()
