"""A SEN2 file comes from another system: read it as hostile. Entity expansion, external
entities, a document type, a huge file, malformed XML and the wrong root element are refused
with a message naming the line and the problem, before anything is believed."""

import os

import pytest

from everychild.returns.sen2 import reading
from everychild.returns.sen2.reading import Header, Node, SEN2FileError
from everychild.returns.tests.sample import a_file, a_person

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Message><Header/><Persons><Person><Surname>&lol9;</Surname></Person></Persons></Message>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Header/><Persons><Person><Surname>&secret;</Surname></Person></Persons></Message>
"""


def _read(path):
    return list(reading.read_file(path))


def _write(tmp_path, data: bytes, name="file.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_valid_file_reads_as_a_header_then_people(tmp_path):
    items = _read(_write(tmp_path, a_file(a_person(), a_person(Forename="Bo"))))
    assert isinstance(items[0], Header) and items[0].year == 2026
    assert [type(i) for i in items[1:]] == [Node, Node]
    assert [i.index for i in items[1:]] == [1, 2]


def test_billion_laughs_is_refused_before_parsing(tmp_path):
    with pytest.raises(SEN2FileError) as refused:
        _read(_write(tmp_path, BILLION_LAUGHS))
    assert "document type" in refused.value.message
    assert "billion laughs" in refused.value.message
    assert refused.value.line == 2


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    with pytest.raises(SEN2FileError) as refused:
        _read(_write(tmp_path, EXTERNAL_ENTITY))
    assert "XXE" in refused.value.message
    assert "root:" not in str(refused.value)


def test_a_doctype_hidden_behind_utf16_or_a_comment_is_still_refused(tmp_path):
    utf16 = EXTERNAL_ENTITY.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(SEN2FileError, match="document type"):
        _read(_write(tmp_path, utf16.encode("utf-16")))
    commented = b"<?xml version='1.0'?>\n<!-- a note -->\n" + EXTERNAL_ENTITY.split(b"\n", 1)[1]
    with pytest.raises(SEN2FileError, match="document type"):
        _read(_write(tmp_path, commented))


def test_an_undeclared_entity_is_malformed_xml_with_its_line(tmp_path):
    data = a_file(a_person()).replace(b"<Surname>Testfamily", b"<Surname>&nbsp;Testfamily")
    with pytest.raises(SEN2FileError) as refused:
        _read(_write(tmp_path, data))
    assert "not well-formed" in refused.value.message
    assert "entities are not allowed" in refused.value.message
    assert refused.value.line == data[: data.index(b"&nbsp;")].count(b"\n") + 1


def test_malformed_xml_names_the_line(tmp_path):
    data = a_file(a_person(), a_person(Forename="Bo"))
    broken = data.replace(b"</Forename>", b"</Forname>", 1)
    with pytest.raises(SEN2FileError) as refused:
        _read(_write(tmp_path, broken))
    assert refused.value.line == broken[: broken.index(b"</Forname>")].count(b"\n") + 1
    assert "Forename" in refused.value.message


def test_the_wrong_root_element_is_refused(tmp_path):
    with pytest.raises(SEN2FileError) as refused:
        _read(_write(tmp_path, b"<?xml version='1.0'?>\n<CINmessage><Header/></CINmessage>"))
    assert "<CINmessage>" in refused.value.message and refused.value.line == 2


def test_an_empty_or_non_xml_file_is_refused(tmp_path):
    with pytest.raises(SEN2FileError, match="empty"):
        _read(_write(tmp_path, b""))
    with pytest.raises(SEN2FileError, match="not XML"):
        _read(_write(tmp_path, b"UPN,Surname\nA839,Smith\n"))


def test_a_2_gb_file_is_refused_before_a_byte_is_parsed(tmp_path, monkeypatch):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as handle:  # sparse: takes no room on disk
        handle.truncate(2 * 1024**3)
    opened = []
    monkeypatch.setattr(reading, "check_prolog", lambda p: opened.append(p))
    with pytest.raises(SEN2FileError) as refused:
        _read(path)
    assert "2.0 GB" in refused.value.message and "1.0 GB limit" in refused.value.message
    assert opened == []


def test_the_size_limit_can_be_set(tmp_path):
    path = _write(tmp_path, a_file(a_person()))
    with pytest.raises(SEN2FileError, match="limit"):
        list(reading.read_file(path, max_bytes=os.path.getsize(path) - 1))
    assert len(list(reading.read_file(path, max_bytes=os.path.getsize(path)))) == 2


def test_a_default_namespace_is_read_by_local_names(tmp_path):
    data = a_file(a_person()).replace(b"<Message>", b'<Message xmlns="urn:dfe:sen2">')
    items = _read(_write(tmp_path, data))
    assert items[1].fields["Surname"] == "Testfamily"
