# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled screen of a SEN2 person (decision 0292).

`Screen(...)(elem, index)` walks one <Person> as libxml2 holds it, in C, and answers one
question: could any validation rule fail anywhere in this person? When none can, it answers
True and keeps the person's UPN, position and line for the rule across people (SEN2-104):
`take_keys()` hands them over. Otherwise it answers False, the validator reads the person and
runs the rules in `rules/` on it, and `may_fail(index)` says which: those whose condition
held, or every rule when anything about the person's shape is unusual.

Each rule below has its condition written out a second time, over C data: never narrower than
the rule (it may be wider: a wider condition only runs the rule itself where it need not).
`test_screen.py` and each rule's own test hold every condition to its rule; `SCREENED` lists
the rules covered, and the validator uses the screen only when that list is exactly the rules
there are.
"""

from libc.string cimport memcmp, memset, strcmp, strlen, strstr

from lxml.includes.etreepublic cimport _Element
from lxml.includes.tree cimport xmlNode, XML_ELEMENT_NODE, XML_TEXT_NODE

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules.r100_upn import _ALPHABET, _KNOWN_LA
from everychild.returns.sen2.rules.r103_postcode import POSTCODE
from everychild.returns.sen2.rules.r209_before_the_2014_law import PART_3_IN_FORCE
from everychild.returns.sen2.rules.r304_nothing_after_the_reference_date import FUTURE_ALLOWED
from everychild.returns.sen2.rules.r310_plan_after_a_year import WEEKS_52

# Every rule whose condition is written out below (header rules: the header is never screened).
CODES = tuple(sorted({
    "SEN2-001", "SEN2-002", "SEN2-003", "SEN2-004", "SEN2-005", "SEN2-006", "SEN2-007",
    "SEN2-008", "SEN2-010", "SEN2-011",
    "SEN2-100", "SEN2-101", "SEN2-102", "SEN2-103", "SEN2-104", "SEN2-105", "SEN2-106",
    "SEN2-107",
    "SEN2-200", "SEN2-201", "SEN2-202", "SEN2-203", "SEN2-204", "SEN2-205", "SEN2-206",
    "SEN2-207", "SEN2-208", "SEN2-209",
    "SEN2-300", "SEN2-301", "SEN2-302", "SEN2-303", "SEN2-304", "SEN2-305", "SEN2-306",
    "SEN2-307", "SEN2-308", "SEN2-309", "SEN2-310",
    "SEN2-400", "SEN2-401", "SEN2-402", "SEN2-403",
    "SEN2-500", "SEN2-501", "SEN2-502",
    "SEN2-600", "SEN2-600P", "SEN2-601", "SEN2-601P", "SEN2-602", "SEN2-602P", "SEN2-603",
    "SEN2-603P", "SEN2-604", "SEN2-605", "SEN2-606", "SEN2-606P", "SEN2-607", "SEN2-607P",
    "SEN2-700", "SEN2-800", "SEN2-801", "SEN2-802",
}))
SCREENED = frozenset(CODES)

# --- The specification's table, in C --------------------------------------------------------

cdef enum:
    NCODES = 96  # room for more rules than there are (64)
    NMOD = 8  # the modules of a person
    MAXITEM = 12  # items a module may have (the most is 11)
    MAXMOD = 64  # modules in one person the screen holds; more goes to the full check
    NODAY = -2147483647

cdef enum:
    M_PERSON = 0
    M_REQUESTS = 1
    M_ASSESSMENT = 2
    M_NAMED_PLAN = 3
    M_PLAN_DETAIL = 4
    M_ACTIVE_PLANS = 5
    M_PLACEMENT = 6
    M_NEED = 7

cdef enum:
    K_PLAIN = 0
    K_DATE = 1
    K_CODE = 2
    K_LA = 3
    K_RARE = 4  # any other shaped number: always left to the full check

_MODULE_ORDER = (
    spec.PERSON, spec.REQUESTS, spec.ASSESSMENT, spec.NAMED_PLAN, spec.PLAN_DETAIL,
    spec.ACTIVE_PLANS, spec.PLACEMENT_DETAIL, spec.SEN_NEED,
)

cdef struct Val:
    const unsigned char* text
    int length  # -1 when the item is absent
    int day     # days from 1 January of year 1 when a valid date, else NODAY
    int md      # month * 100 + day, for ages
    int year

cdef struct Mod:
    int kind
    int parent
    int count[NMOD]
    int first[NMOD]
    Val v[MAXITEM]


cdef inline int _days(int y, int m, int d):
    # Days from civil (proposed by H. Hinnant): only differences and order are used.
    cdef int era, yoe, doy, doe
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe


cdef inline bint _leap(int y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


cdef int _parse_date(Val* v):
    """YYYY-MM-DD and nothing else, as reading._parse_date. 0 when it reads."""
    cdef const unsigned char* t = v.text
    cdef int i, y, m, d, most
    if v.length != 10 or t[4] != 45 or t[7] != 45:
        return 1
    for i in range(10):
        if i != 4 and i != 7 and not (48 <= t[i] <= 57):
            return 1
    y = (t[0] - 48) * 1000 + (t[1] - 48) * 100 + (t[2] - 48) * 10 + (t[3] - 48)
    m = (t[5] - 48) * 10 + (t[6] - 48)
    d = (t[8] - 48) * 10 + (t[9] - 48)
    if y < 1 or m < 1 or m > 12 or d < 1:
        return 1
    if m == 2:
        most = 29 if _leap(y) else 28
    elif m == 4 or m == 6 or m == 9 or m == 11:
        most = 30
    else:
        most = 31
    if d > most:
        return 1
    v.day = _days(y, m, d)
    v.md = m * 100 + d
    v.year = y
    return 0


cdef inline bint _is(Val* v, const char* s):
    cdef int n = <int>strlen(s)
    return v.length == n and memcmp(v.text, s, n) == 0


cdef inline bint _given(Val* v):
    return v.length > 0


cdef inline bint _digits(Val* v, int n):
    cdef int i
    if v.length != n:
        return False
    for i in range(n):
        if not (48 <= v.text[i] <= 57):
            return False
    return True


cdef inline bint _decision_undated_or_pending_dated(Val* outcome, Val* decided):
    # SEN2-201 and SEN2-400 alike: a decision (Y, N, W) needs its date; none yet (A) has none.
    if _is(outcome, "Y") or _is(outcome, "N") or _is(outcome, "W"):
        return not _given(decided)
    return _is(outcome, "A") and _given(decided)


cdef inline int _age(Val* born, int year, int md):
    return year - born.year - (1 if md < born.md else 0)


cdef inline bint _unicode_space_lead(unsigned char c):
    # The first byte of every non-ASCII character str.strip() removes (U+0085, U+00A0,
    # U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000): C2, E1, E2 or E3.
    return c == 0xC2 or c == 0xE1 or c == 0xE2 or c == 0xE3


cdef class Screen:
    cdef Mod mods[MAXMOD]
    cdef int n
    # The table, per module kind.
    cdef int n_items[NMOD]
    cdef const char* item_name[NMOD][MAXITEM]
    cdef int item_kind[NMOD][MAXITEM]
    cdef const char* item_codes[NMOD][MAXITEM]
    cdef bint item_required[NMOD][MAXITEM]
    cdef int n_children[NMOD]
    cdef int child_kind[NMOD][NMOD]
    cdef const char* child_name[NMOD][NMOD]
    cdef int child_least[NMOD][NMOD]
    cdef int child_most[NMOD][NMOD]
    cdef bint future_allowed[NMOD][MAXITEM]
    cdef bint known_la[1000]
    cdef int alphabet_value[256]
    cdef unsigned char alphabet[33]
    # The return.
    cdef int year, reference, ref_year, ref_md, period_start, period_end, part_3
    cdef bytes lea
    cdef object keep  # the bytes the C pointers point into
    cdef object postcode
    # The UPNs seen (SEN2-104), with the person and the line of each, in file order.
    cdef list keys, persons, lines
    # For the last person not cleared: which rules could fail (by position in CODES), or
    # every rule when `whole` (something about its shape).
    cdef dict index_of
    cdef unsigned char may[NCODES]
    cdef bint flagged, whole
    cdef int last_index
    # Slots of the items the rules read.
    cdef int p_born, p_upn, p_uln, p_reason, p_postcode
    cdef int r_received, r_source, r_rya, r_decided, r_outcome
    cdef int a_outcome, a_decided, a_week20
    cdef int n_start, n_pb, n_oa, n_dp, n_ceased, n_reason
    cdef int d_urn[NMOD]
    cdef int d_ukprn[NMOD]
    cdef int d_setting[NMOD]
    cdef int d_other[NMOD]
    cdef int d_rank[NMOD]
    cdef int d_unit[NMOD]
    cdef int d_resourced[NMOD]
    cdef int s_entry, s_leaving
    cdef int ap_transfer, ap_meeting, ap_outcome, ap_last
    cdef int e_type, e_rank

    def __init__(self, *, year, reference_date, period_start, period_end, lea):
        cdef int k, i, j, n
        self.keep = []
        self.keys, self.persons, self.lines = [], [], []
        if len(CODES) > NCODES:
            raise ValueError("more rules than the screen has room for")
        self.index_of = {code: i for i, code in enumerate(CODES)}
        self.last_index = -1
        order = {element: k for k, element in enumerate(_MODULE_ORDER)}
        for k, element in enumerate(_MODULE_ORDER):
            module = spec.MODULES[element]
            if len(module.items) > MAXITEM or len(module.children) > NMOD:
                raise ValueError(f"{element}: more items than the screen holds")
            self.n_items[k] = len(module.items)
            for i, item in enumerate(module.items):
                name = item.name.encode()
                self.keep.append(name)
                self.item_name[k][i] = name
                self.item_required[k][i] = item.required and year >= item.since
                self.future_allowed[k][i] = item.name in FUTURE_ALLOWED
                self.item_codes[k][i] = NULL
                if item.kind == "date":
                    self.item_kind[k][i] = K_DATE
                elif item.codes:
                    self.item_kind[k][i] = K_CODE
                    codes = ("|" + "|".join(item.codes) + "|").encode()
                    self.keep.append(codes)
                    self.item_codes[k][i] = codes
                elif item.kind == "la":
                    self.item_kind[k][i] = K_LA
                elif item.kind in ("int", "datetime"):
                    self.item_kind[k][i] = K_RARE
                else:
                    self.item_kind[k][i] = K_PLAIN
            self.n_children[k] = len(module.children)
            for j, (child, least, most) in enumerate(module.children):
                name = child.encode()
                self.keep.append(name)
                self.child_name[k][j] = name
                self.child_kind[k][j] = order[child]
                self.child_least[k][j] = least
                self.child_most[k][j] = -1 if most is None else most
        for i in range(1000):
            self.known_la[i] = f"{i:03d}" in _KNOWN_LA
        for i in range(256):
            self.alphabet_value[i] = -1
        for i, c in enumerate(_ALPHABET):
            self.alphabet_value[ord(c)] = i
            self.alphabet[i] = ord(c)
        self.year = year
        self.reference = _days(reference_date.year, reference_date.month, reference_date.day)
        self.ref_year = reference_date.year
        self.ref_md = reference_date.month * 100 + reference_date.day
        self.period_start = _days(period_start.year, period_start.month, period_start.day)
        self.period_end = _days(period_end.year, period_end.month, period_end.day)
        self.part_3 = _days(PART_3_IN_FORCE.year, PART_3_IN_FORCE.month, PART_3_IN_FORCE.day)
        self.lea = (lea or "").encode()
        self.postcode = POSTCODE

        self.p_born = self._slot(M_PERSON, spec.BIRTH_DATE)
        self.p_upn = self._slot(M_PERSON, spec.UPN)
        self.p_uln = self._slot(M_PERSON, spec.ULN)
        self.p_reason = self._slot(M_PERSON, spec.UPN_UNKNOWN)
        self.p_postcode = self._slot(M_PERSON, spec.POSTCODE)
        self.r_received = self._slot(M_REQUESTS, spec.RECEIVED_DATE)
        self.r_source = self._slot(M_REQUESTS, spec.REQUEST_SOURCE)
        self.r_rya = self._slot(M_REQUESTS, spec.RYA)
        self.r_decided = self._slot(M_REQUESTS, spec.REQUEST_OUTCOME_DATE)
        self.r_outcome = self._slot(M_REQUESTS, spec.REQUEST_OUTCOME)
        self.a_outcome = self._slot(M_ASSESSMENT, spec.ASSESSMENT_OUTCOME)
        self.a_decided = self._slot(M_ASSESSMENT, spec.ASSESSMENT_OUTCOME_DATE)
        self.a_week20 = self._slot(M_ASSESSMENT, spec.WEEK20)
        self.n_start = self._slot(M_NAMED_PLAN, spec.START_DATE)
        self.n_pb = self._slot(M_NAMED_PLAN, spec.PB)
        self.n_oa = self._slot(M_NAMED_PLAN, spec.OA)
        self.n_dp = self._slot(M_NAMED_PLAN, spec.DP)
        self.n_ceased = self._slot(M_NAMED_PLAN, spec.CEASE_DATE)
        self.n_reason = self._slot(M_NAMED_PLAN, spec.CEASE_REASON)
        for k in (M_PLAN_DETAIL, M_PLACEMENT):
            self.d_urn[k] = self._slot(k, spec.URN)
            self.d_ukprn[k] = self._slot(k, spec.UKPRN)
            self.d_setting[k] = self._slot(k, spec.SEN_SETTING)
            self.d_other[k] = self._slot(k, spec.SEN_SETTING_OTHER)
            self.d_rank[k] = self._slot(k, spec.PLACEMENT_RANK)
            self.d_unit[k] = self._slot(k, spec.SEN_UNIT)
            self.d_resourced[k] = self._slot(k, spec.RESOURCED_PROVISION)
        self.s_entry = self._slot(M_PLACEMENT, spec.ENTRY_DATE)
        self.s_leaving = self._slot(M_PLACEMENT, spec.LEAVING_DATE)
        self.ap_transfer = self._slot(M_ACTIVE_PLANS, spec.TRANSFER_LA)
        self.ap_meeting = self._slot(M_ACTIVE_PLANS, spec.REVIEW_MEETING)
        self.ap_outcome = self._slot(M_ACTIVE_PLANS, spec.REVIEW_OUTCOME)
        self.ap_last = self._slot(M_ACTIVE_PLANS, spec.LAST_REVIEW)
        self.e_type = self._slot(M_NEED, spec.SEN_TYPE)
        self.e_rank = self._slot(M_NEED, spec.SEN_TYPE_RANK)

    def _slot(self, int kind, str name):
        for i, item in enumerate(spec.MODULES[_MODULE_ORDER[kind]].items):
            if item.name == name:
                return i
        raise ValueError(f"{name} is not an item of {_MODULE_ORDER[kind]}")

    def __call__(self, elem, int index):
        """False when the person must be checked rule by rule; True when no rule can fail."""
        cdef Val* upn
        cdef xmlNode* node
        if not isinstance(elem, _Element):
            return False
        node = (<_Element>elem)._c_node
        self.n = 0
        self.last_index = index
        self.whole = False
        if self.flagged:
            memset(self.may, 0, NCODES)
            self.flagged = False
        if self._walk(node, M_PERSON, -1):
            self.whole = self.flagged = True
            return False
        self._rules()
        if self.flagged:
            return False
        upn = &self.mods[0].v[self.p_upn]
        if upn.length > 0:
            # libxml2 keeps a line up to 65,534 on the node; lxml works out longer ones.
            self.add_key((<const char*>upn.text)[:upn.length].decode("ascii"), index,
                         node.line if node.line < 65535 else elem.sourceline)
        return True

    def may_fail(self, int index):
        """For the person at `index`, if it was the last the screen did not clear: the codes of
        the rules that could fail there. None (every rule) for anyone else."""
        if index != self.last_index or not self.flagged or self.whole:
            return None
        return frozenset([CODES[i] for i in range(len(CODES)) if self.may[i]])

    cdef int _may(self, str code) except -1:
        self.may[<int>self.index_of[code]] = 1
        self.flagged = True
        return 0

    def add_key(self, key, int index, line):
        """A UPN of a person checked rule by rule, so that all stay in file order."""
        self.keys.append(key)
        self.persons.append(index)
        self.lines.append(line)

    def take_keys(self):
        """(UPNs, persons, lines) since the last call."""
        taken = (self.keys, self.persons, self.lines)
        self.keys, self.persons, self.lines = [], [], []
        return taken

    # --- Reading: the shape rules (SEN2-001 to SEN2-008) ------------------------------------

    cdef int _walk(self, xmlNode* elem, int kind, int parent):
        """Read one module and those inside it into self.mods; 1 when a shape rule could fail
        or anything is unusual."""
        cdef int me, i, j, slot, child
        cdef Mod* m
        cdef xmlNode* c
        cdef const char* name
        if self.n >= MAXMOD:
            return 1
        me = self.n
        self.n += 1
        m = &self.mods[me]
        m.kind = kind
        m.parent = parent
        for i in range(NMOD):
            m.count[i] = 0
            m.first[i] = -1
        for i in range(self.n_items[kind]):
            m.v[i].length = -1
            m.v[i].day = NODAY
        c = elem.children
        while c is not NULL:
            if c.type == XML_ELEMENT_NODE:
                name = <const char*>c.name
                slot = -1
                for i in range(self.n_items[kind]):
                    if strcmp(name, self.item_name[kind][i]) == 0:
                        slot = i
                        break
                if slot >= 0:
                    if m.v[slot].length >= 0:
                        return 1  # SEN2-002: given twice
                    if self._value(c, &m.v[slot], self.item_kind[kind][slot],
                                   self.item_codes[kind][slot]):
                        return 1
                else:
                    child = -1
                    for j in range(self.n_children[kind]):
                        if strcmp(name, self.child_name[kind][j]) == 0:
                            child = self.child_kind[kind][j]
                            break
                    if child < 0:
                        return 1  # SEN2-001: not part of the return here
                    if m.first[child] < 0:
                        m.first[child] = self.n
                    m.count[child] += 1
                    if self._walk(c, child, me):
                        return 1
                    m = &self.mods[me]
            elif c.type != XML_TEXT_NODE:
                return 1  # anything else (a CDATA section, an entity): the full check
            c = c.next
        for i in range(self.n_items[kind]):  # SEN2-003: required items
            if self.item_required[kind][i] and m.v[i].length <= 0:
                return 1
        for j in range(self.n_children[kind]):  # SEN2-006: how many of each module
            child = self.child_kind[kind][j]
            if m.count[child] < self.child_least[kind][j]:
                return 1
            if self.child_most[kind][j] >= 0 and m.count[child] > self.child_most[kind][j]:
                return 1
        return 0

    cdef int _value(self, xmlNode* item, Val* v, int kind, const char* codes):
        cdef xmlNode* t = item.children
        cdef const unsigned char* s
        cdef int start, end, i
        cdef char needle[20]
        if t is NULL:
            v.text = <const unsigned char*>""
            v.length = 0
            return 0
        if t.type != XML_TEXT_NODE or t.next is not NULL:
            return 1  # SEN2-007 (holds elements), or text in pieces: the full check
        s = <const unsigned char*>t.content
        if s is NULL:
            s = <const unsigned char*>""
        end = <int>strlen(<const char*>s)
        start = 0
        while start < end and (s[start] == 32 or s[start] == 9 or s[start] == 10 or s[start] == 13):
            start += 1
        while end > start and (s[end - 1] == 32 or s[end - 1] == 9 or s[end - 1] == 10
                               or s[end - 1] == 13):
            end -= 1
        if end > start:
            if _unicode_space_lead(s[start]):
                return 1
            i = end - 1
            while i > start and (s[i] & 0xC0) == 0x80:
                i -= 1
            if s[end - 1] >= 0x80 and _unicode_space_lead(s[i]):
                return 1
        v.text = s + start
        v.length = end - start
        if v.length == 0 or kind == K_PLAIN:
            return 0
        for i in range(v.length):
            if v.text[i] >= 0x80:
                return 1  # a code, date or number that is not ASCII fails somewhere
        if kind == K_DATE:
            return _parse_date(v)  # SEN2-004
        if kind == K_CODE:  # SEN2-005
            if v.length > 16:
                return 1
            needle[0] = 124
            for i in range(v.length):
                if v.text[i] == 124:
                    return 1
                needle[i + 1] = v.text[i]
            needle[v.length + 1] = 124
            needle[v.length + 2] = 0
            return 0 if strstr(codes, needle) is not NULL else 1
        if kind == K_LA:  # SEN2-008
            return 0 if _digits(v, 3) else 1
        return 1

    # --- The other rules, module by module --------------------------------------------------

    cdef int _rules(self) except -1:
        """Each rule's condition, over the whole person: every rule that could fail is noted
        (`_may`), so that only those are run on a person not cleared."""
        cdef Mod* person = &self.mods[0]
        cdef Mod* m
        cdef Mod* other
        cdef Val* born = &person.v[self.p_born]
        cdef int i, j, k, active = 0
        for i in range(self.n):
            m = &self.mods[i]
            # SEN2-304 and SEN2-309: no date after the reference date, none before birth.
            for k in range(self.n_items[m.kind]):
                if m.v[k].day != NODAY:
                    if m.v[k].day > self.reference and not self.future_allowed[m.kind][k]:
                        self._may("SEN2-304")
                    if born.day != NODAY and m.v[k].day < born.day:
                        if not (m.kind == M_PERSON and k == self.p_born):
                            self._may("SEN2-309")
            if m.kind == M_PERSON:
                self._person(m)
            elif m.kind == M_REQUESTS:
                active += m.count[M_ACTIVE_PLANS]
                self._request(m, born)
            elif m.kind == M_ASSESSMENT:
                self._assessment(m)
            elif m.kind == M_NAMED_PLAN:
                self._plan(i)
            elif m.kind == M_PLAN_DETAIL or m.kind == M_PLACEMENT:
                self._setting(m)
            elif m.kind == M_ACTIVE_PLANS:
                self._active(i)
        if active > 1:
            self._may("SEN2-106")
        # SEN2-105: 26 or older on the reference date with an active plan.
        if active and born.day != NODAY and _age(born, self.ref_year, self.ref_md) >= 26:
            self._may("SEN2-105")
        # SEN2-107: two requests received on the same day (as written).
        if person.count[M_REQUESTS] > 1:
            for i in range(self.n):
                if self.mods[i].kind != M_REQUESTS or self.mods[i].v[self.r_received].length <= 0:
                    continue
                for j in range(i + 1, self.n):
                    other = &self.mods[j]
                    if (other.kind == M_REQUESTS
                            and other.v[self.r_received].length
                            == self.mods[i].v[self.r_received].length
                            and memcmp(other.v[self.r_received].text,
                                       self.mods[i].v[self.r_received].text,
                                       other.v[self.r_received].length) == 0):
                        self._may("SEN2-107")
        return 0

    cdef int _person(self, Mod* m) except -1:
        cdef Val* upn = &m.v[self.p_upn]
        cdef Val* reason = &m.v[self.p_reason]
        cdef Val* uln = &m.v[self.p_uln]
        cdef Val* postcode = &m.v[self.p_postcode]
        cdef int i, total, check
        cdef str text
        if _given(upn) and not self._upn_passes(upn):
            self._may("SEN2-100")
        if _given(upn) == _given(reason):  # one or the other
            self._may("SEN2-101")
        if _given(uln) and not _digits(uln, 10):
            self._may("SEN2-102")
        if _given(postcode):  # r103's own pattern
            for i in range(postcode.length):
                if postcode.text[i] >= 0x80:
                    self._may("SEN2-103")
                    return 0
            text = (<const char*>postcode.text)[:postcode.length].decode("ascii")
            if not self.postcode.match(text):
                self._may("SEN2-103")
        return 0

    cdef bint _upn_passes(self, Val* upn):
        """r100's quick way through (`_passes`): anything else is for the rule to judge."""
        cdef int i, total = 0
        if upn.length != 13:
            return False
        for i in range(1, 12):
            if not (48 <= upn.text[i] <= 57):
                return False
        if not self.known_la[(upn.text[1] - 48) * 100 + (upn.text[2] - 48) * 10
                             + (upn.text[3] - 48)]:
            return False
        if self.alphabet_value[upn.text[12]] < 0:
            return False
        for i in range(1, 13):
            total += (i + 1) * self.alphabet_value[upn.text[i]]
        return self.alphabet[total % 23] == upn.text[0]

    cdef int _request(self, Mod* m, Val* born) except -1:
        cdef Val* received = &m.v[self.r_received]
        cdef Val* decided = &m.v[self.r_decided]
        cdef Val* outcome = &m.v[self.r_outcome]
        cdef bint historical = _is(outcome, "H")
        cdef bint assessed = m.count[M_ASSESSMENT] > 0
        cdef bint planned = False
        cdef Mod* plan
        cdef int age
        if assessed:
            planned = self.mods[m.first[M_ASSESSMENT]].count[M_NAMED_PLAN] > 0
        if not historical:  # SEN2-200
            if not _given(received):
                self._may("SEN2-200")
            if not _given(&m.v[self.r_source]) and self.year >= 2025:
                self._may("SEN2-200")
        if _decision_undated_or_pending_dated(outcome, decided):
            self._may("SEN2-201")
        # SEN2-202
        if assessed and _given(outcome) and not (_is(outcome, "Y") or historical):
            self._may("SEN2-202")
        if _is(outcome, "Y") and not assessed:
            self._may("SEN2-203")
        if m.count[M_ACTIVE_PLANS] > 0 and not planned:
            self._may("SEN2-204")
        if historical and not planned:
            self._may("SEN2-205")
        if received.day != NODAY:
            if received.day > self.period_end:
                self._may("SEN2-206")
            if received.day < self.part_3:
                self._may("SEN2-209")
            if born.day != NODAY:
                age = _age(born, received.year, received.md)
                if age >= 26:
                    self._may("SEN2-207")
                if _is(&m.v[self.r_rya], "1") and not (10 <= age <= 18):
                    self._may("SEN2-208")
            if decided.day != NODAY and decided.day < received.day:
                self._may("SEN2-300")
        # SEN2-502: an active plan whose plan has ceased by the reference date.
        if m.count[M_ACTIVE_PLANS] > 0 and planned:
            plan = &self.mods[self.mods[m.first[M_ASSESSMENT]].first[M_NAMED_PLAN]]
            if (plan.v[self.n_ceased].day != NODAY
                    and plan.v[self.n_ceased].day <= self.reference):
                self._may("SEN2-502")
        return 0

    cdef int _assessment(self, Mod* m) except -1:
        cdef Mod* request = &self.mods[m.parent]
        cdef Val* outcome = &m.v[self.a_outcome]
        cdef Val* decided = &m.v[self.a_decided]
        cdef bint planned = m.count[M_NAMED_PLAN] > 0
        # SEN2-301
        if (decided.day != NODAY and request.v[self.r_decided].day != NODAY
                and decided.day < request.v[self.r_decided].day):
            self._may("SEN2-301")
        if _decision_undated_or_pending_dated(outcome, decided):
            self._may("SEN2-400")
        # SEN2-401
        if planned and _given(outcome) and not (_is(outcome, "Y") or _is(outcome, "H")):
            self._may("SEN2-401")
        if _given(&m.v[self.a_week20]) and not planned:
            self._may("SEN2-402")
        if planned and not _given(&m.v[self.a_week20]) and not _is(outcome, "H"):
            self._may("SEN2-403")
        return 0

    cdef int _plan(self, int me) except -1:
        cdef Mod* m = &self.mods[me]
        cdef Mod* assessment = &self.mods[m.parent]
        cdef Mod* request = &self.mods[assessment.parent]
        cdef Val* started = &m.v[self.n_start]
        cdef Val* ceased = &m.v[self.n_ceased]
        cdef Val* received = &request.v[self.r_received]
        cdef Val* decided
        cdef int i, ones = 0, twos = 0
        if started.day != NODAY:
            if received.day != NODAY and started.day < received.day:
                self._may("SEN2-302")
            if ceased.day != NODAY and ceased.day < started.day:
                self._may("SEN2-303")
            decided = &assessment.v[self.a_decided]
            if decided.day != NODAY and started.day < decided.day:
                self._may("SEN2-305")
            # SEN2-310: issued more than 52 weeks after the request, in the year returned.
            if (not _is(&request.v[self.r_outcome], "H") and started.day >= self.period_start
                    and received.day != NODAY and started.day - received.day > WEEKS_52):
                self._may("SEN2-310")
        if _given(ceased) != _given(&m.v[self.n_reason]):
            self._may("SEN2-500")
        # SEN2-501
        if not _is(&m.v[self.n_pb], "1") and (_is(&m.v[self.n_oa], "1")
                                               or _is(&m.v[self.n_dp], "1")):
            self._may("SEN2-501")
        # SEN2-604: the settings named rank 1 once, and 2 at most once.
        if m.count[M_PLAN_DETAIL] > 0:
            for i in range(self.n):
                if self.mods[i].kind == M_PLAN_DETAIL and self.mods[i].parent == me:
                    if _is(&self.mods[i].v[self.d_rank[M_PLAN_DETAIL]], "1"):
                        ones += 1
                    elif _is(&self.mods[i].v[self.d_rank[M_PLAN_DETAIL]], "2"):
                        twos += 1
            if ones != 1 or twos > 1:
                self._may("SEN2-604")
        return 0

    cdef int _setting(self, Mod* m) except -1:
        cdef int k = m.kind
        cdef Val* urn = &m.v[self.d_urn[k]]
        cdef Val* ukprn = &m.v[self.d_ukprn[k]]
        cdef Val* setting = &m.v[self.d_setting[k]]
        cdef Val* entered
        cdef Val* left
        suffix = "P" if k == M_PLACEMENT else ""  # the same rules on placements: SEN2-6xxP
        if not (_given(urn) or _given(ukprn) or _given(setting)):
            self._may("SEN2-600" + suffix)
        if _given(setting) and (_given(urn) or _given(ukprn)):
            self._may("SEN2-601" + suffix)
        if _given(urn) and not _digits(urn, 6):
            self._may("SEN2-602" + suffix)
        if _given(ukprn) and not (_digits(ukprn, 8) and ukprn.text[0] == 49):
            self._may("SEN2-603" + suffix)
        # SEN2-606
        if _is(setting, "OTH") != _given(&m.v[self.d_other[k]]):
            self._may("SEN2-606" + suffix)
        # SEN2-607
        if not _given(urn) and (_is(&m.v[self.d_unit[k]], "1")
                                or _is(&m.v[self.d_resourced[k]], "1")):
            self._may("SEN2-607" + suffix)
        if k == M_PLACEMENT:  # SEN2-306
            entered = &m.v[self.s_entry]
            left = &m.v[self.s_leaving]
            if entered.day != NODAY and left.day != NODAY and left.day < entered.day:
                self._may("SEN2-306")
        return 0

    cdef int _active(self, int me) except -1:
        cdef Mod* m = &self.mods[me]
        cdef Mod* request = &self.mods[m.parent]
        cdef Val* meeting = &m.v[self.ap_meeting]
        cdef Val* last_review = &m.v[self.ap_last]
        cdef int i, started = NODAY, last, first_ranked = 0, ones = 0, twos = 0, needs = 0
        cdef Mod* assessment
        cdef Val* transfer
        cdef Val* types[2]
        if request.count[M_ASSESSMENT] > 0:
            assessment = &self.mods[request.first[M_ASSESSMENT]]
            if assessment.count[M_NAMED_PLAN] > 0:
                started = self.mods[assessment.first[M_NAMED_PLAN]].v[self.n_start].day
        # SEN2-307
        if meeting.day != NODAY and started != NODAY and meeting.day < started:
            self._may("SEN2-307")
        # SEN2-308
        if meeting.day != NODAY and last_review.day != NODAY and last_review.day < meeting.day:
            self._may("SEN2-308")
        # SEN2-800
        if _given(&m.v[self.ap_outcome]) and not _given(meeting):
            self._may("SEN2-800")
        # SEN2-801
        transfer = &m.v[self.ap_transfer]
        if (_given(transfer) and transfer.length == len(self.lea)
                and memcmp(transfer.text, <const char*>self.lea, transfer.length) == 0):
            self._may("SEN2-801")
        # SEN2-802: nothing in the 365 days before the reference date (the rule itself works
        # out the day the review was due).
        if started != NODAY:
            last = meeting.day if meeting.day != NODAY else started
            if last <= self.reference and self.reference - last >= 365:
                self._may("SEN2-802")
        # SEN2-605 and SEN2-700: placements and needs inside this active plan.
        for i in range(self.n):
            if self.mods[i].parent != me:
                continue
            if self.mods[i].kind == M_PLACEMENT:
                if _is(&self.mods[i].v[self.d_rank[M_PLACEMENT]], "1"):
                    first_ranked = 1
            elif self.mods[i].kind == M_NEED:
                if _is(&self.mods[i].v[self.e_rank], "1"):
                    ones += 1
                elif _is(&self.mods[i].v[self.e_rank], "2"):
                    twos += 1
                if needs < 2:
                    types[needs] = &self.mods[i].v[self.e_type]
                needs += 1
        if m.count[M_PLACEMENT] > 0 and not first_ranked:
            self._may("SEN2-605")
        if needs > 0:
            if ones != 1 or twos > 1:
                self._may("SEN2-700")
            if (needs == 2 and _given(types[0]) and types[0].length == types[1].length
                    and memcmp(types[0].text, types[1].text, types[0].length) == 0):
                self._may("SEN2-700")
        return 0
