import io

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import UserFactory, make_course
from tests.query_budgets import queries_for
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_certificate_pdf_carries_every_field(certificate):
    content = certificate.pdf.read()
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height  # landscape
    assert round(width) == 842 and round(height) == 595  # A4
    text = pdf_text(content)
    for field in [
        "Siân Llewelyn-Ŵyn",
        certificate.course_title,
        "Police, Health",
        str(certificate.cpd_hours),
        certificate.completed_on.strftime("%-d %B %Y"),
        certificate.expires_on.strftime("%-d %B %Y"),
        "Recognise",
        certificate.formatted_code,
        f"http://testserver/en/verify/{certificate.formatted_code}/",
    ]:
        assert field in text, field


def test_certificate_qr_code_decodes_to_the_verification_url(certificate):
    document = pypdfium2.PdfDocument(certificate.pdf.read())
    image = document[0].render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert [result.text for result in results] == [
        f"http://testserver/en/verify/{certificate.formatted_code}/"
    ]


def test_holder_downloads_their_pdf(client, certificate, holder):
    sign_in(client, holder.email)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="recognise-certificate-{certificate.code}.pdf"'
    )
    assert b"".join(response.streaming_content) == certificate.pdf.read()


def test_holder_of_two_certificates_gets_each_one_s_own_file(
    client, certificate, holder, complete_course
):
    other_course = make_course("Working with interpreters", lessons=1)
    second = complete_course(holder, other_course).certificates.get()
    sign_in(client, holder.email)
    for wanted in (second, certificate, second):
        response = client.get(reverse("certificates:pdf", args=[wanted.pk]))
        assert wanted.code in response["Content-Disposition"]
        assert wanted.course_title in pdf_text(b"".join(response.streaming_content))


# The certificate (the user and their roles are kept); the file is read from storage.
PDF_DOWNLOAD_QUERIES = 1


@pytest.mark.parametrize("other_holders", [0, 12])
def test_pdf_download_makes_the_same_queries_at_any_size(
    client, certificate, holder, course, complete_course, other_holders, production_cache
):
    for user in UserFactory.create_batch(other_holders, role="Learner"):
        complete_course(user, course)
    client.force_login(holder)
    url = reverse("certificates:pdf", args=[certificate.pk])
    assert queries_for(client, url, rendered=False) == PDF_DOWNLOAD_QUERIES


def test_another_learner_gets_404_for_someone_elses_certificate(client, certificate):
    other = UserFactory(role="Learner")
    sign_in(client, other.email)
    for name in ("detail", "pdf", "credential"):
        assert client.get(reverse(f"certificates:{name}", args=[certificate.pk])).status_code == 404


def test_signed_out_visitor_must_sign_in_to_download(client, certificate):
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_certificate_page_links_downloads_and_verification(client, certificate, holder):
    sign_in(client, holder.email)
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert reverse("certificates:pdf", args=[certificate.pk]) in page
    assert reverse("certificates:credential", args=[certificate.pk]) in page
    assert certificate.get_verification_url() in page
    assert "Valid" in page


def test_cpd_record_as_csv_and_pdf(client, certificate, holder):
    sign_in(client, holder.email)
    csv_text = client.get(reverse("certificates:cpd_record", args=["csv"])).content.decode()
    assert certificate.course_title in csv_text
    assert certificate.completed_on.isoformat() in csv_text
    assert str(certificate.cpd_hours) in csv_text
    response = client.get(reverse("certificates:cpd_record", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "CPD record" in text and certificate.course_title in text and "Siân" in text
    assert client.get(reverse("certificates:cpd_record", args=["exe"])).status_code == 404


def test_cpd_record_has_only_the_holders_certificates(client, certificate):
    other = UserFactory(role="Learner")
    sign_in(client, other.email)
    csv_text = client.get(reverse("certificates:cpd_record", args=["csv"])).content.decode()
    assert certificate.course_title not in csv_text


def test_my_learning_lists_certificates_with_status(client, certificate, holder):
    sign_in(client, holder.email)
    page = client.get(reverse("learning:my_learning")).content.decode()
    section = page.split('id="certificates-heading"')[1]
    assert certificate.course_title in section
    assert "Valid" in section
    assert "Refresh" not in section  # only offered when expiring or expired
