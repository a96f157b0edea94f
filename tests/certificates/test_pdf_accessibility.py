"""Certificates and CPD records are accessible PDFs (PDF/UA-1): tagged, with a language
and a title, the QR code described, and text that wraps inside the page."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pypdfium2
import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from certificates.models import format_code
from certificates.pdf import certificate_pdf, cpd_record_pdf
from tests.factories import UserFactory
from tests.signing_in import sign_in

VERIFY_URL = "https://recognise.example.org/cy/verify/WXYZ-2345-6789-WXYZ/"
MM = 72 / 25.4
# The page's margin: the border is drawn 12 mm from each edge; nothing is drawn outside.
PAGE_MARGIN = 12 * MM


def sample_certificate(**fields):
    code = "ABCDEFGHJKMNPQRS"
    values = {
        "holder_name": "Siân Llewelyn-Ŵyn",
        "course_title": "Recognising and responding to trafficked children",
        "sectors": "Police, Health",
        "cpd_hours": Decimal("1.5"),
        "completed_on": datetime.date(2026, 11, 25),
        "expires_on": datetime.date(2028, 11, 25),
        "issuer_name": "Recognise",
        "code": code,
        "formatted_code": format_code(code),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def struct_elements(reader):
    """Every element of the structure tree, depth first (the reading order)."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id
        if node.get("/Type") == "/StructElem":
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def assert_accessible(content, language, title):
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == language
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert reader.metadata.title == title
    assert "pdfuaid" in reader.xmp_metadata.stream.get_data().decode()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], "font not embedded"
            assert "DejaVu-Sans" in descendant["/BaseFont"]
    return reader


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Certificate of completion"), ("cy", "Tystysgrif cwblhau")],
)
def test_certificate_is_tagged_with_language_title_and_described_qr_code(language, heading):
    certificate = sample_certificate()
    content = certificate_pdf(certificate, VERIFY_URL, language=language)
    reader = assert_accessible(
        content, language, f"{certificate.course_title} – {certificate.holder_name}"
    )
    elements = struct_elements(reader)
    blocks = [
        str(element["/S"]) for element in elements if element["/S"] in ("/P", "/H1", "/Figure")
    ]
    (figure,) = [element for element in elements if element["/S"] == "/Figure"]
    assert figure["/Alt"] == VERIFY_URL
    # Reading order is the order on the page: the heading first, then the name and the
    # course, the details, the QR code beside them, and the address under them.
    # (issuer, heading, "this certifies that", name, "has completed", course, six
    # details, QR code, address)
    assert blocks == ["/P", "/H1", "/P", "/P", "/P", "/P", *["/P"] * 6, "/Figure", "/P"]
    text = reader.pages[0].extract_text()
    assert heading in text
    positions = [
        text.index(part)
        for part in (
            "Recognise",
            heading,
            certificate.holder_name,
            certificate.course_title,
            certificate.formatted_code,
            VERIFY_URL,
        )
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("language", "heading"), [("en", "CPD record"), ("cy", "Cofnod DPP")])
def test_cpd_record_is_tagged_with_language_title_and_a_table(language, heading):
    learner = SimpleNamespace(display_name="Siân Llewelyn-Ŵyn")
    certificates = [
        sample_certificate(),
        sample_certificate(course_title="Working with interpreters", cpd_hours=Decimal("2")),
    ]
    content = cpd_record_pdf(learner, certificates, language=language)
    reader = assert_accessible(content, language, f"{heading} – Siân Llewelyn-Ŵyn")
    kinds = [str(element["/S"]) for element in struct_elements(reader)]
    assert kinds[:3] == ["/Document", "/H1", "/Span"]
    assert "/Table" in kinds and kinds.count("/TH") == 4 and kinds.count("/TD") == 8
    text = reader.pages[0].extract_text()
    assert "Working with interpreters" in text and "3.5" in text


def page_chars(content):
    """Each page's size and the box of every character drawn on it."""
    document = pypdfium2.PdfDocument(content)
    pages = []
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        boxes = [text.get_charbox(index) for index in range(text.count_chars())]
        pages.append((width, height, text.get_text_range(), boxes))
    return pages


LONG_NAME = (
    "Angharad Gwenllian Llewelyn-Ŵyn ap Gruffydd Fychan Siân Ffion Rhiannon "
    "Blodeuwedd Cadwaladr-Pritchard Hughes Ellis Jones"
)
LONG_TITLE = (
    "Adnabod ac ymateb i blant sydd wedi’u masnachu mewn pobl: canllaw ymarferol i "
    "swyddogion heddlu, gweithwyr cymdeithasol, nyrsys, athrawon a gwirfoddolwyr sy’n "
    "gweithio gyda phlant a phobl ifanc Cymru."
)


def test_long_names_and_titles_wrap_inside_the_one_page():
    assert len(LONG_NAME) == 120 and len(LONG_TITLE) == 200
    certificate = sample_certificate(holder_name=LONG_NAME, course_title=LONG_TITLE)
    content = certificate_pdf(certificate, VERIFY_URL, language="cy")
    (page,) = page_chars(content)  # still one page
    width, height, text, boxes = page
    words = text.split()
    for word in [*LONG_NAME.split(), *LONG_TITLE.split()]:
        assert word in words, word
    for left, bottom, right, top in boxes:
        if right - left == 0:
            continue  # a line break: no glyph
        assert left >= PAGE_MARGIN and right <= width - PAGE_MARGIN
        assert bottom >= PAGE_MARGIN and top <= height - PAGE_MARGIN


def test_long_course_titles_wrap_in_the_cpd_record():
    learner = SimpleNamespace(display_name=LONG_NAME)
    certificates = [sample_certificate(course_title=LONG_TITLE) for _ in range(30)]
    content = cpd_record_pdf(learner, certificates, language="cy")
    pages = page_chars(content)
    assert len(pages) > 1  # the rows go on to further pages
    words = " ".join(text for _width, _height, text, _boxes in pages).split()
    for word in LONG_TITLE.split():
        assert word in words, word
    assert words.count("gwirfoddolwyr") == 30
    for width, height, _text, boxes in pages:
        for left, bottom, right, top in boxes:
            assert left >= 0 and right <= width and bottom >= 0 and top <= height


@pytest.mark.django_db
def test_issued_certificate_is_in_the_holders_language(complete_course, course):
    holder = UserFactory(role="Learner", display_name="Siân Llewelyn-Ŵyn")
    holder.preferred_language = "cy"
    holder.save()
    complete_course(holder, course)
    certificate = holder.certificates.get()
    reader = PdfReader(io.BytesIO(certificate.pdf.read()))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "Tystysgrif cwblhau" in reader.pages[0].extract_text()
    (figure,) = [e for e in struct_elements(reader) if e["/S"] == "/Figure"]
    assert str(figure["/Alt"]).endswith(f"/verify/{certificate.formatted_code}/")


@pytest.mark.django_db
def test_downloaded_cpd_record_is_in_the_pages_language(client, certificate, holder):
    sign_in(client, holder.email)
    response = client.get("/cy" + reverse("certificates:cpd_record", args=["pdf"])[3:])
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "Cofnod DPP" in reader.pages[0].extract_text()
