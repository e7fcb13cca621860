"""Hostile and harmless PDFs for the upload tests, built with pypdf.

Most come from ``pypdf.PdfWriter``. A few tricks need objects the writer never
produces (a generation other than 0, a lying trailer, an object stream), so
``assemble`` lays out a file by hand from pypdf's own objects.
"""

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

SCRIPT = "app.alert(1)"


def name(value):
    return NameObject(value)


def dictionary(**entries):
    """A PDF dictionary from keyword arguments: ``dictionary(Type=name("/Page"))``."""
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def javascript():
    return dictionary(S=name("/JavaScript"), JS=TextStringObject(SCRIPT))


def ref(number, generation=0):
    return IndirectObject(number, generation, None)


def serialize(obj):
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


def page_tree(catalog_extra=None):
    """The objects of a one-page document, numbered 1 (catalog) to 3 (page)."""
    catalog = dictionary(Type=name("/Catalog"), Pages=ref(2), **(catalog_extra or {}))
    pages = dictionary(Type=name("/Pages"), Kids=ArrayObject([ref(3)]), Count=NumberObject(1))
    page = dictionary(
        Type=name("/Page"),
        Parent=ref(2),
        MediaBox=ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]),
    )
    return {1: catalog, 2: pages, 3: page}


def assemble(objects, generations=None, size=None, unlisted=b""):
    """A classic PDF (xref table) from {number: object}.

    ``generations`` and ``size`` may lie on purpose; ``unlisted`` is written
    before the table without an entry in it.
    """
    generations = generations or {}
    out, offsets = b"%PDF-1.7\n", {}
    for number, obj in sorted(objects.items()):
        offsets[number] = len(out)
        body = obj if isinstance(obj, bytes) else serialize(obj)
        out += f"{number} {generations.get(number, 0)} obj\n".encode() + body + b"\nendobj\n"
    out += unlisted
    xref = len(out)
    last = max(objects)
    out += f"xref\n0 {last + 1}\n0000000000 65535 f \n".encode()
    for number in range(1, last + 1):
        if number in offsets:
            out += f"{offsets[number]:010d} {generations.get(number, 0):05d} n \n".encode()
        else:
            out += b"0000000000 65535 f \n"
    trailer = dictionary(Size=NumberObject(size or last + 1), Root=ref(1))
    out += b"trailer\n" + serialize(trailer) + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def assemble_with_object_stream(plain, compressed):
    """A PDF 1.5 file whose ``compressed`` objects live in a Flate-compressed object stream.

    ``plain`` objects are written as usual; a cross-reference stream (which the
    object stream needs) points at both.
    """
    heads, bodies = [], b""
    for number, obj in sorted(compressed.items()):
        heads.append(f"{number} {len(bodies)}")
        bodies += serialize(obj) + b"\n"
    head = (" ".join(heads) + "\n").encode()
    stream_number = max([*plain, *compressed]) + 1
    xref_number = stream_number + 1
    data = zlib.compress(head + bodies)
    out, offsets = b"%PDF-1.7\n", {}
    for number, obj in sorted(plain.items()):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + serialize(obj) + b"\nendobj\n"
    offsets[stream_number] = len(out)
    stream_dict = dictionary(
        Type=name("/ObjStm"),
        N=NumberObject(len(compressed)),
        First=NumberObject(len(head)),
        Filter=name("/FlateDecode"),
        Length=NumberObject(len(data)),
    )
    out += f"{stream_number} 0 obj\n".encode() + serialize(stream_dict) + b"\nstream\n" + data
    out += b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    rows = [bytes([0, 0, 0, 0, 255, 255])]  # object 0: free
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(bytes([1]) + offsets[number].to_bytes(4, "big") + bytes([0]))
        else:
            index = sorted(compressed).index(number)
            rows.append(bytes([2]) + stream_number.to_bytes(4, "big") + bytes([index]))
    table = b"".join(rows)
    xref_dict = dictionary(
        Type=name("/XRef"),
        Size=NumberObject(xref_number + 1),
        W=ArrayObject([NumberObject(1), NumberObject(4), NumberObject(1)]),
        Root=ref(1),
        Length=NumberObject(len(table)),
    )
    out += f"{xref_number} 0 obj\n".encode() + serialize(xref_dict) + b"\nstream\n" + table
    out += f"\nendstream\nendobj\nstartxref\n{offsets[xref_number]}\n%%EOF\n".encode()
    return out


def written(change):
    """A one-page PDF from PdfWriter, after ``change(writer)``."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ----- hostile ---------------------------------------------------------------------------------------------


def inline_script_in_catalog():
    """The script action written inside the catalog itself, not as an object of its own."""
    return assemble(page_tree({"OpenAction": javascript()}))


def script_of_generation_one():
    """The script action is object 4 generation 1: a check that asks only for generation 0 misses it."""
    objects = page_tree({"OpenAction": ref(4, 1)})
    objects[4] = javascript()
    return assemble(objects, generations={4: 1})


def trailer_says_size_one():
    """The trailer claims one object, so a check that counts up to /Size looks at nothing."""
    objects = page_tree({"OpenAction": ref(4)})
    objects[4] = javascript()
    return assemble(objects, size=1)


def script_in_object_stream():
    """The script action compressed inside an object stream, out of sight of a byte search."""
    plain = page_tree({"OpenAction": ref(4)})
    return assemble_with_object_stream(plain, {4: javascript()})


def page_additional_action():
    """/AA on the page: runs the script when the page opens."""

    def change(writer):
        writer.pages[0][NameObject("/AA")] = dictionary(O=javascript())

    return written(change)


def document_javascript():
    """A document-level script in the /Names tree (what ``add_js`` writes)."""

    def change(writer):
        action = writer._add_object(javascript())
        scripts = dictionary(Names=ArrayObject([TextStringObject("init"), action]))
        writer._root_object[NameObject("/Names")] = dictionary(JavaScript=scripts)

    return written(change)


def embedded_file():
    return written(lambda writer: writer.add_attachment("invoice.exe", b"MZ\x90\x00"))


def xfa_form():
    def change(writer):
        writer._root_object[NameObject("/AcroForm")] = dictionary(
            Fields=ArrayObject(), XFA=TextStringObject("<xdp:xdp/>")
        )

    return written(change)


def launch_link():
    """A link on the page that launches a program when clicked."""

    def change(writer):
        action = dictionary(S=name("/Launch"), F=TextStringObject("cmd.exe"))
        writer.add_annotation(0, dictionary(Type=name("/Annot"), Subtype=name("/Link"), Rect=box(), A=action))

    return written(change)


def escaped_name():
    """``/J#61vaScript`` is /JavaScript spelt with a hex escape."""
    body = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /JS (app.alert\\(1\\)) >> >>"
    objects = page_tree()
    objects[1] = body
    return assemble(objects)


def hidden_outside_the_xref():
    """An uncompressed script object that no cross-reference entry lists (a repairing viewer may find it)."""
    return assemble(page_tree(), unlisted=b"9 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n")


HOSTILE = {
    "inline_script_in_catalog": inline_script_in_catalog,
    "script_of_generation_one": script_of_generation_one,
    "trailer_says_size_one": trailer_says_size_one,
    "script_in_object_stream": script_in_object_stream,
    "page_additional_action": page_additional_action,
    "document_javascript": document_javascript,
    "embedded_file": embedded_file,
    "xfa_form": xfa_form,
    "launch_link": launch_link,
    "escaped_name": escaped_name,
    "hidden_outside_the_xref": hidden_outside_the_xref,
}


# ----- harmless ----------------------------------------------------------------------------------------------


def box():
    return ArrayObject([NumberObject(10), NumberObject(10), NumberObject(50), NumberObject(50)])


def opens_at_first_page():
    """What word processors write: /OpenAction is a destination (show page 1), not an action."""
    return assemble(page_tree({"OpenAction": ArrayObject([ref(3), name("/Fit")])}))


def web_link():
    """A link to a web page: an ordinary /URI action, allowed."""

    def change(writer):
        action = dictionary(S=name("/URI"), URI=TextStringObject("https://www.pbc.gov.cn/"))
        writer.add_annotation(0, dictionary(Type=name("/Annot"), Subtype=name("/Link"), Rect=box(), A=action))

    return written(change)


def compressed_harmless():
    """An object stream holding only an ordinary page."""
    plain = page_tree()
    page = plain.pop(3)
    return assemble_with_object_stream(plain, {3: page})


def font_subset_names():
    """Names that start like /AA or /JS but are not those keys (subset fonts are named /AAAAAB+…)."""
    objects = page_tree()
    objects[3][NameObject("/Resources")] = dictionary(
        Font=dictionary(JSF1=dictionary(Type=name("/Font"), BaseFont=name("/AAAAAB+SimSun"))),
        ExtGState=dictionary(AA1=dictionary(Type=name("/ExtGState"))),
    )
    objects[3][NameObject("/Annots")] = NullObject()
    return assemble(objects)


HARMLESS = {
    "opens_at_first_page": opens_at_first_page,
    "web_link": web_link,
    "compressed_harmless": compressed_harmless,
    "font_subset_names": font_subset_names,
}
