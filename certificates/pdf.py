"""Certificate and CPD record PDFs, drawn with ReportLab and a bundled DejaVu font.

DejaVu Sans covers Welsh (ŵ, ŷ, â, ê ...) and is free to redistribute; it ships in
static/fonts with its licence, so no system fonts are needed.
"""

import io
from functools import cache

import qrcode
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Binary streams: ASCII85-encoding them only makes files bigger and slower to write.
rl_config.useA85 = 0

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
BRAND = colors.HexColor("#0b4f6c")


@cache
def register_fonts():
    fonts = settings.BASE_DIR / "static" / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


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


def draw_qr(pdf, url, x, y, size):
    """Draw the code as a tiny one-bit image scaled up: a few hundred bytes in the PDF,
    where a vector square per module would cost tens of kilobytes."""
    matrix = qr_matrix(url)
    image = Image.new("1", (len(matrix), len(matrix)))
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    pdf.drawImage(ImageReader(image), x, y, size, size)


def long_date(value):
    return formats.date_format(value, "j F Y")


def certificate_pdf(certificate, verification_url, language=None):
    """The certificate as an A4 landscape PDF, in the holder's language.

    It uses one font face (size and colour give emphasis): each embedded face costs a
    font subset per file, and certificates are made in bulk.
    """
    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    with translation.override(language or translation.get_language()):
        pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
        pdf.setTitle(f"{certificate.course_title} – {certificate.holder_name}")
        pdf.setAuthor(certificate.issuer_name)
        pdf.setSubject(_("Certificate of completion"))

        pdf.setStrokeColor(BRAND)
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

        centre = width / 2
        pdf.setFillColor(BRAND)
        pdf.setFont(FONT, 16)
        pdf.drawCentredString(centre, height - 38 * mm, certificate.issuer_name)
        pdf.setFillColor(colors.black)
        pdf.setFont(FONT, 28)
        pdf.drawCentredString(centre, height - 56 * mm, _("Certificate of completion"))
        pdf.setFont(FONT, 13)
        pdf.drawCentredString(centre, height - 72 * mm, _("This certifies that"))
        pdf.setFont(FONT, 26)
        pdf.drawCentredString(centre, height - 86 * mm, certificate.holder_name)
        pdf.setFont(FONT, 13)
        pdf.drawCentredString(centre, height - 100 * mm, _("has completed the course"))
        pdf.setFont(FONT, 18)
        pdf.drawCentredString(centre, height - 112 * mm, certificate.course_title)

        details = [
            (_("Sectors"), certificate.sectors),
            (_("CPD hours"), str(certificate.cpd_hours)),
            (_("Completed"), long_date(certificate.completed_on)),
            (_("Valid until"), long_date(certificate.expires_on)),
            (_("Issued by"), certificate.issuer_name),
            (_("Verification code"), certificate.formatted_code),
        ]
        y = height - 130 * mm
        for label, value in details:
            pdf.setFont(FONT, 11)
            pdf.drawString(40 * mm, y, f"{label}:")
            pdf.setFont(FONT, 11)
            pdf.drawString(85 * mm, y, value)
            y -= 7 * mm

        qr_size = 38 * mm
        draw_qr(pdf, verification_url, width - 40 * mm - qr_size, 30 * mm, qr_size)
        pdf.setFont(FONT, 9)
        pdf.drawString(40 * mm, 22 * mm, _("Check this certificate at:"))
        pdf.drawString(40 * mm, 17 * mm, verification_url)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def cpd_record_pdf(user, certificates, language=None):
    """A learner's CPD record: every certificate with its dates and hours."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = A4
    with translation.override(language or translation.get_language()):
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.setTitle(_("CPD record"))
        pdf.setFont(FONT_BOLD, 18)
        pdf.drawString(20 * mm, height - 25 * mm, _("CPD record"))
        pdf.setFont(FONT, 11)
        pdf.drawString(20 * mm, height - 33 * mm, user.display_name)
        columns = [20 * mm, 100 * mm, 130 * mm, 160 * mm]
        headings = [_("Course"), _("Completed"), _("CPD hours"), _("Valid until")]
        y = height - 48 * mm
        pdf.setFont(FONT_BOLD, 10)
        for x, heading in zip(columns, headings, strict=True):
            pdf.drawString(x, y, heading)
        total = 0
        pdf.setFont(FONT, 10)
        for certificate in certificates:
            y -= 7 * mm
            if y < 25 * mm:
                pdf.showPage()
                pdf.setFont(FONT, 10)
                y = height - 25 * mm
            title = certificate.course_title
            pdf.drawString(columns[0], y, title if len(title) <= 44 else title[:43] + "…")
            pdf.drawString(columns[1], y, formats.date_format(certificate.completed_on, "j M Y"))
            pdf.drawString(columns[2], y, str(certificate.cpd_hours))
            pdf.drawString(columns[3], y, formats.date_format(certificate.expires_on, "j M Y"))
            total += certificate.cpd_hours
        pdf.setFont(FONT_BOLD, 10)
        pdf.drawString(columns[0], y - 10 * mm, _("Total CPD hours: %(hours)s") % {"hours": total})
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
