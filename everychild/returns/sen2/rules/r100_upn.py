"""SEN2-100: a UPN is 13 characters with the DfE check letter first (the same check as on the
child's record, which also knows the local authorities created since 2011)."""

from operator import mul

from django.core.exceptions import ValidationError
from stdnum.gb import upn as stdnum_upn

from everychild.children.validators import NEWER_LA_NUMBERS, validate_upn
from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule

# A quick way through for the UPNs that pass (nearly all of them), computing the check letter
# as python-stdnum does (weights 2 to 13, modulus 23); anything it does not accept goes to the
# child record's own validator, which says what is wrong.
_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ0123456789"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = tuple(range(2, 14))
_KNOWN_LA = frozenset(f"{n:03d}" for n in stdnum_upn._la_numbers) | NEWER_LA_NUMBERS


# The weighted sum of 3 digits at each place (characters 2-4, 5-7, 8-10; 11-12 as a pair):
# four look-ups instead of twelve multiplications.
_TRIPLES = tuple(
    {
        f"{n:03d}": sum(w * _VALUE[c] for w, c in zip(_WEIGHTS[start:], f"{n:03d}", strict=False))
        for n in range(1000)
    }
    for start in (0, 3, 6)
)
_PAIRS = {f"{n:02d}": 11 * _VALUE[f"{n:02d}"[0]] + 12 * _VALUE[f"{n:02d}"[1]] for n in range(100)}


def _passes(upn: str) -> bool:
    if len(upn) != 13 or upn[1:4] not in _KNOWN_LA:
        return False
    middle = upn[1:12]
    last = _VALUE.get(upn[12])
    if last is None or not (middle.isascii() and middle.isdigit()):
        return False
    check = (
        _TRIPLES[0][upn[1:4]]
        + _TRIPLES[1][upn[4:7]]
        + _TRIPLES[2][upn[7:10]]
        + _PAIRS[upn[10:12]]
        + 13 * last
    ) % 23
    return _ALPHABET[check] == upn[0]


def _passes_slowly(upn: str) -> bool:  # the plain form of the sum, for the test of _passes
    check = sum(map(mul, _WEIGHTS, map(_VALUE.__getitem__, upn[1:]))) % 23
    return _ALPHABET[check] == upn[0]


@rule(
    code="SEN2-100",
    module=spec.PERSON,
    fields=(spec.UPN,),
    message="The UPN is not valid: check it was copied correctly from the school's records.",
)
def upn_is_valid(node, ctx):
    upn = node.fields.get(spec.UPN)
    if not upn or _passes(upn):
        return None
    try:
        validate_upn(upn)
    except ValidationError as error:
        return Finding(spec.UPN, f"{upn}: {error.messages[0]}")
    return None
