"""Certificate and CPD record PDFs, laid out by WeasyPrint from HTML templates.

The templates and their stylesheets are in templates/certificates/pdf/, for designers to
edit. Each PDF is PDF/UA-1: tagged with a structure tree in reading order, its language
(/Lang) the holder's, a title shown in the window's title bar, and the QR code a figure
whose alternative text is the verification address. The text is DejaVu Sans (Debian's
fonts-dejavu-core), which covers Welsh (ŵ, ŷ, â, ê ...), embedded as a subset.
"""

import base64
import io
import threading
from functools import cache
from types import SimpleNamespace

import qrcode
from django.template.loader import get_template, render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image

PDF_VARIANT = "pdf/ua-1"
CERTIFICATE_TEMPLATE = "certificates/pdf/certificate.html"
CERTIFICATE_STYLESHEET = "certificates/pdf/certificate.css"
CPD_RECORD_TEMPLATE = "certificates/pdf/cpd_record.html"
CPD_RECORD_STYLESHEET = "certificates/pdf/cpd_record.css"
PDF_LANGUAGES = ("en", "cy")

_local = threading.local()


@cache
def weasyprint():
    """WeasyPrint's classes, imported when the first document is laid out. Importing
    WeasyPrint takes about half a second, a fifth of a process's start, and every web
    process, worker and management command would pay it, though most never lay out a PDF."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 (on first use: see the docstring)
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 (likewise)
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 (likewise)

    return SimpleNamespace(
        CSS=CSS, HTML=HTML, FontConfiguration=FontConfiguration, URLFetcher=URLFetcher
    )


@cache
def font_config():
    """One font configuration for every document: setting one up asks fontconfig for
    the system's fonts, which costs more than laying out a certificate."""
    return weasyprint().FontConfiguration()


@cache
def stylesheet(name):
    """A stylesheet from the templates folder, parsed once per process."""
    path = get_template(name).origin.name
    with open(path, encoding="utf-8") as handle:
        return weasyprint().CSS(string=handle.read(), font_config=font_config())


def url_fetcher():
    """A fetcher that loads data: URLs only (the QR code), so a template or a name can
    never make the renderer read a local file or reach the network. One per thread,
    since setting one up is slow and it keeps the request it is serving."""
    fetcher = getattr(_local, "fetcher", None)
    if fetcher is None:
        fetcher = _local.fetcher = weasyprint().URLFetcher(allowed_protocols={"data"}, timeout=1)
    return fetcher


def qr_matrix(url):
    """The QR code's modules (True = dark), quiet zone included.

    A fixed mask skips the search for the "best" of eight masks, which is most of the
    cost of encoding; any mask gives a valid code that every reader decodes.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=2
    )
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def qr_data_url(url):
    """The code as a tiny one-bit PNG, scaled up with crisp edges by the stylesheet: a
    few hundred bytes in the PDF, where a vector square per module would cost tens of
    kilobytes."""
    matrix = qr_matrix(url)
    image = Image.new("1", (len(matrix), len(matrix)))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def long_date(value):
    return formats.date_format(value, "j F Y")


def pdf_language(language):
    """The document's language tag: the holder's, or English for anything else."""
    language = (language or translation.get_language() or "en").split("-")[0].lower()
    return language if language in PDF_LANGUAGES else "en"


def render_document(template, stylesheet_name, context):
    """The laid-out document (pages and boxes), before it is written as a PDF."""
    html = render_to_string(template, context)
    return (
        weasyprint()
        .HTML(string=html, url_fetcher=url_fetcher())
        .render(
            stylesheets=[stylesheet(stylesheet_name)],
            font_config=font_config(),
            pdf_variant=PDF_VARIANT,
        )
    )


def write_pdf(document):
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def certificate_document(certificate, verification_url, language=None):
    language = pdf_language(language)
    with translation.override(language):
        context = {
            "language": language,
            "title": f"{certificate.course_title} – {certificate.holder_name}",
            "certificate": certificate,
            "completed_on": long_date(certificate.completed_on),
            "expires_on": long_date(certificate.expires_on),
            "verification_url": verification_url,
            "qr_code": qr_data_url(verification_url),
        }
        return render_document(CERTIFICATE_TEMPLATE, CERTIFICATE_STYLESHEET, context)


def certificate_pdf(certificate, verification_url, language=None):
    """The certificate as a one-page A4 landscape PDF, in the holder's language."""
    return write_pdf(certificate_document(certificate, verification_url, language))


def cpd_record_document(user, certificates, language=None):
    language = pdf_language(language)
    with translation.override(language):
        rows = [
            {
                "course_title": certificate.course_title,
                "completed_on": formats.date_format(certificate.completed_on, "j M Y"),
                "cpd_hours": certificate.cpd_hours,
                "expires_on": formats.date_format(certificate.expires_on, "j M Y"),
            }
            for certificate in certificates
        ]
        context = {
            "language": language,
            "title": f"{_('CPD record')} – {user.display_name}",
            "holder_name": user.display_name,
            "rows": rows,
            "total": sum(certificate.cpd_hours for certificate in certificates),
        }
        return render_document(CPD_RECORD_TEMPLATE, CPD_RECORD_STYLESHEET, context)


def cpd_record_pdf(user, certificates, language=None):
    """A learner's CPD record: every certificate with its dates and hours."""
    return write_pdf(cpd_record_document(user, certificates, language))
