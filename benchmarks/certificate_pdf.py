"""How many certificate PDFs one core renders per second.

    .venv/bin/python benchmarks/certificate_pdf.py [count]

Renders the PDF step alone (no database), as issuing does, and prints the rate: by the
processor time this process used (what one core gives, whatever else the machine runs)
and by the clock.
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recognise.settings.test")

import django  # noqa: E402

django.setup()

from certificates.models import format_code, new_code  # noqa: E402
from certificates.pdf import certificate_pdf  # noqa: E402


def sample_certificate(number):
    code = new_code()
    return SimpleNamespace(
        holder_name=f"Siân Llewelyn-Ŵyn {number}",
        course_title="Recognising and responding to trafficked children",
        sectors="Police, Children's social care, Health",
        cpd_hours=Decimal("1.5"),
        completed_on=datetime.date(2026, 11, 25),
        expires_on=datetime.date(2028, 11, 25),
        issuer_name="Recognise",
        code=code,
        formatted_code=format_code(code),
    )


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    certificates = [sample_certificate(n) for n in range(count)]
    certificate_pdf(certificates[0], "https://recognise.example.org/verify/warm-up/")
    started = time.perf_counter()
    started_cpu = time.process_time()
    size = 0
    for certificate in certificates:
        url = f"https://recognise.example.org/verify/{certificate.formatted_code}/"
        size += len(certificate_pdf(certificate, url))
    elapsed = time.perf_counter() - started
    elapsed_cpu = time.process_time() - started_cpu
    print(
        f"certificate PDFs: {count} in {elapsed_cpu:.2f} s of one core "
        f"({elapsed:.2f} s by the clock)"
    )
    print(f"rate: {count / elapsed_cpu:.1f} PDFs per second on one core (target: 20)")
    print(f"rate by the clock: {count / elapsed:.1f} PDFs per second")
    print(f"average size: {size / count / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
