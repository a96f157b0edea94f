"""A police trainer sets up a cohort for a training day and follows it."""

import csv
import datetime
import io
import uuid

from playwright.sync_api import expect

from tests.browser.actions import screenshot, sign_in_with_authenticator
from tests.live_http import facts


def test_trainer_builds_a_cohort_assigns_a_course_and_exports_it(page, tmp_path):
    cohort_name = f"Response officers {uuid.uuid4().hex[:6]}"
    newcomer = f"new-officer-{uuid.uuid4().hex[:6]}@example.org"

    sign_in_with_authenticator(page, "trainer@example.org")
    page.get_by_role("link", name="Cohorts", exact=True).click()
    expect(page.get_by_role("heading", name="Your cohorts", level=1)).to_be_visible()
    page.get_by_label("Cohort name").fill(cohort_name)
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="Add learners", level=1)).to_be_visible()
    upload = tmp_path / "officers.csv"
    upload.write_text(f"email,name\nlearner@example.org,Alex\n{newcomer},New officer\n")
    page.get_by_label("CSV file", exact=True).set_input_files(upload)
    page.get_by_role("button", name="Import").click()
    # The import runs as a background job; its page reports each row once it is done.
    expect(page.get_by_role("heading", name="Importing addresses", level=1)).to_be_visible()
    results = page.get_by_role("status", name="What happened to each address")
    expect(results).to_contain_text("learner@example.org")
    expect(results).to_contain_text(newcomer)
    screenshot(page, "trainer", "01-import-results")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").click()
    page.get_by_role("link", name="Assign courses").first.click()
    page.get_by_label("Recognising and responding to trafficked children").check()
    due = datetime.date.today() + datetime.timedelta(days=28)
    due_date = page.get_by_role("group", name="Due date", exact=True)
    due_date.get_by_label("Day").fill(str(due.day))
    due_date.get_by_label("Month").fill(str(due.month))
    due_date.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Assign").click()

    # Enrolling the cohort runs as a background job: its page shows the progress, then
    # that it has finished, with the way back to the cohort.
    expect(page.get_by_role("heading", name="Assigning courses", level=1)).to_be_visible()
    progress = page.locator("progress")
    expect(progress).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Finished: 1 of 1.")
    expect(progress).to_have_attribute("value", "1")
    screenshot(page, "trainer", "02-assignment-done")
    page.get_by_role("link", name="Go to the cohort's page").click()

    expect(page.get_by_role("heading", name=cohort_name, level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Alex Learner")).to_be_visible()
    expect(page.get_by_text(due.strftime("%-d %B %Y")).first).to_be_visible()
    screenshot(page, "trainer", "03-dashboard")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(download_info.value.path().read_text("utf-8-sig"))))
    emails = {row.get("Email") or row.get("email") for row in rows}
    assert "learner@example.org" in emails


def test_trainer_removes_a_leaver_renames_and_archives_a_cohort(page):
    cohort_name = f"Leavers check {uuid.uuid4().hex[:6]}"
    renamed = f"{cohort_name} (spring)"

    sign_in_with_authenticator(page, "trainer@example.org")
    page.get_by_role("link", name="Cohorts", exact=True).click()
    page.get_by_label("Cohort name").fill(cohort_name)
    page.get_by_role("button", name="Create cohort").click()
    page.get_by_label("Email addresses").fill("learner@example.org")
    page.get_by_role("button", name="Add or invite").click()
    # The addresses are added by a background job; its page leads back to the learners.
    page.get_by_role("link", name="Add more learners").click()
    page.get_by_role("link", name="See, search or remove learners").click()
    page.get_by_role("link", name="Remove Alex Learner").click()
    page.get_by_role("button", name="Remove from cohort").click()
    expect(page.get_by_text("was removed from")).to_be_visible()
    expect(page.get_by_text("No learners in this cohort yet.")).to_be_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").click()
    page.get_by_role("link", name="Rename or archive").click()
    page.get_by_label("Cohort name").fill(renamed)
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("heading", name=renamed, level=1)).to_be_visible()

    page.get_by_role("link", name="Rename or archive").click()
    page.get_by_role("button", name="Archive cohort").click()
    expect(page.get_by_text("Archived on")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").click()
    expect(page.get_by_role("link", name=renamed)).to_have_count(0)
    page.get_by_role("link", name="Show archived cohorts").click()
    expect(page.get_by_role("link", name=renamed)).to_be_visible()
    screenshot(page, "trainer", "03-archived-cohorts")


def test_a_running_jobs_figures_change_without_reloading_then_it_shows_done(page, site):
    """With JavaScript the page fetches the figures quietly (the live region announces
    them), and reloads itself once the job has finished."""
    job_id = facts(
        site,
        "import datetime\n"
        "from django.utils import timezone\n"
        "from accounts.models import User\n"
        "from cohorts.models import TrainerJob\n"
        "trainer = User.objects.get(email='trainer@example.org')\n"
        "cohort = trainer.organisations.first().cohorts.first()\n"
        "job = TrainerJob.objects.create(kind='assign', cohort=cohort,"
        " organisation=cohort.organisation, requested_by=trainer, status='running',"
        " done=100, total=400, expires_at=timezone.now() + datetime.timedelta(days=7))\n"
        "result = job.pk",
    )
    sign_in_with_authenticator(page, "trainer@example.org")
    page.goto(f"{site.base_url}/en/trainer/jobs/{job_id}/")
    status = page.locator("#job-progress-text")
    expect(status).to_have_text("100 of 400 done (25%).")

    facts(
        site,
        "from cohorts.models import TrainerJob\n"
        f"result = TrainerJob.objects.filter(pk={job_id}).update(done=300)",
    )
    expect(status).to_have_text("300 of 400 done (75%).", timeout=10_000)
    expect(page.locator("progress")).to_have_attribute("value", "300")

    facts(
        site,
        "from cohorts.models import TrainerJob\n"
        f"result = TrainerJob.objects.filter(pk={job_id}).update(status='done', done=400)",
    )
    expect(status).to_have_text("Finished: 400 of 400.", timeout=10_000)
    expect(page.get_by_role("link", name="Go to the cohort's page")).to_be_visible()


def test_a_roster_imports_count_changes_without_reloading_then_it_shows_what_was_added(page, site):
    """A roster does not say how long it is: the page shows the count read so far and
    a bar of work under way, then reloads once the import has finished."""
    import_id = facts(
        site,
        "from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration\n"
        "from accounts.models import User\n"
        "from lti.models import RosterImport\n"
        "trainer = User.objects.get(email='trainer@example.org')\n"
        "cohort = trainer.organisations.first().cohorts.first()\n"
        "registration = LtiRegistration.objects.create(name='Moodle',"
        " issuer='https://moodle.example.org', client_id='recognise',"
        " auth_url='https://moodle.example.org/auth', token_url='https://moodle.example.org/token',"
        " keyset_url='https://moodle.example.org/jwks')\n"
        "deployment = LtiDeployment.objects.create(registration=registration, deployment_id='1')\n"
        "context = LtiContext.objects.create(deployment=deployment, id_on_platform='101',"
        " title='Safeguarding 101', memberships_url='https://moodle.example.org/members')\n"
        "result = str(RosterImport.objects.create(context=context, cohort=cohort,"
        " requested_by=trainer, status='running', read=150).uuid)",
    )
    sign_in_with_authenticator(page, "trainer@example.org")
    page.goto(f"{site.base_url}/en/trainer/roster-imports/{import_id}/")
    status = page.locator("#job-progress-text")
    expect(status).to_have_text("Reading the roster. 150 members read so far.")

    facts(
        site,
        "from lti.models import RosterImport\n"
        f"result = RosterImport.objects.filter(uuid='{import_id}').update(read=900)",
    )
    expect(status).to_have_text("Reading the roster. 900 members read so far.", timeout=10_000)
    expect(page.locator("progress")).not_to_have_attribute("value", "900")

    facts(
        site,
        "from lti.models import RosterImport\n"
        f"result = RosterImport.objects.filter(uuid='{import_id}').update(status='done',"
        " read=950, learners=940, added=940)",
    )
    expect(page.get_by_text("940 learners added to the cohort.")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("link", name="Go to the cohort's members")).to_be_visible()
