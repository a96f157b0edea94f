"""The trainers' ZIP of certificate PDFs leaves no certificate out without saying so."""

import io
import zipfile
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.issuing import issue_certificate_for
from certificates.models import Certificate
from courses.models import Enrolment
from tests.trainer_jobs import downloaded

pytestmark = pytest.mark.django_db


def issue(learner, course):
    enrolment = Enrolment.objects.get(user=learner, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    enrolment.refresh_from_db()
    return issue_certificate_for(enrolment)


def download(force, cohort):
    response = force.client.post(reverse("cohorts:certificates_zip", args=[cohort.pk]))
    return zipfile.ZipFile(io.BytesIO(downloaded(force.client, response)))


def pdf_names(archive):
    return sorted(name for name in archive.namelist() if name.endswith(".pdf"))


@pytest.fixture
def certificates(assigned_cohort, course):
    members = list(assigned_cohort.members.order_by("pk"))[:3]
    return [issue(member, course) for member in members]


def test_certificates_whose_pdf_is_not_built_yet_are_built_for_the_zip(
    force_x, assigned_cohort, certificates
):
    not_built, file_lost, ready = certificates
    Certificate.objects.filter(pk=not_built.pk).update(pdf="")
    file_lost.pdf.storage.delete(file_lost.pdf.name)

    archive = download(force_x, assigned_cohort)

    names = pdf_names(archive)
    assert len(names) == 3
    for certificate in certificates:
        (name,) = [name for name in names if certificate.code in name]
        assert archive.read(name).startswith(b"%PDF")
    assert "README.txt" not in archive.namelist()
    # The PDF built for the ZIP is kept: the holder's download finds it too.
    not_built.refresh_from_db()
    assert not_built.pdf and not_built.pdf.storage.exists(not_built.pdf.name)


def test_a_certificate_that_cannot_be_built_is_named_in_a_readme(
    force_x, assigned_cohort, certificates
):
    broken, *others = certificates
    Certificate.objects.filter(pk=broken.pk).update(pdf="")

    def renderer(certificate, *args, **kwargs):
        if certificate.pk == broken.pk:
            raise RuntimeError("renderer down")
        return b"%PDF-1.7 stand-in"

    with mock.patch("certificates.pdf_files.certificate_pdf", renderer):
        archive = download(force_x, assigned_cohort)

    names = pdf_names(archive)
    assert len(names) == 2
    assert all(other.code in " ".join(names) for other in others)
    readme = archive.read("README.txt").decode("utf-8")
    assert "not in this file" in readme
    assert broken.holder_name in readme and broken.formatted_code in readme
    assert all(other.formatted_code not in readme for other in others)


def test_every_certificate_is_included_across_batches(
    force_x, assigned_cohort, certificates, course
):
    Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(pdf="")
    with mock.patch("cohorts.exports.ZIP_BATCH", 1):
        archive = download(force_x, assigned_cohort)
    names = pdf_names(archive)
    assert len(names) == 3
    assert {certificate.code for certificate in certificates} == {
        name.rsplit("-", 1)[1].removesuffix(".pdf") for name in names
    }
