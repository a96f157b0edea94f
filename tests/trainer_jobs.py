"""Following a trainer's background job as the trainer does: the request redirects to
the job's page (finished at once in tests, the immediate backend), which links to the
file."""

import re

from django.urls import reverse

from cohorts.models import TrainerJob

JOB_PAGE = re.compile(r"/trainer/jobs/(\d+)/$")


def job_of(response):
    """The job a request started, from the page it redirected to."""
    assert response.status_code == 302, response.status_code
    found = JOB_PAGE.search(response["Location"])
    assert found, response["Location"]
    return TrainerJob.objects.get(pk=found.group(1))


def downloaded(client, response):
    """The bytes of the file the job made, downloaded from the link on its page."""
    job = job_of(response)
    page = client.get(response["Location"]).content.decode()
    link = reverse("cohorts:job_download", args=[job.pk])
    assert f'href="{link}"' in page, page
    download = client.get(link)
    assert download.status_code == 200
    return b"".join(download.streaming_content)
