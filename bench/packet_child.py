"""Write one case's handoff packet and print its figures as JSON (run by bench/packet.py in a process of its own)."""

import json
import os
import sys
import time


def main(case_id, target):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import pikepdf  # noqa: F401 - imported before the baseline is taken, as the web worker would have it
    import weasyprint  # noqa: F401

    from cases.models import Case
    from documents.letters.fonts import ensure_fonts
    from documents.packet import write_packet

    from .common import peak_rss_mib

    ensure_fonts()
    case = Case.objects.get(pk=case_id)
    started = time.perf_counter()
    with open(target, "wb") as handle:
        packet = write_packet(case, handle, "zh-hans")
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "pages": packet.pages, "peak_mib": peak_rss_mib(os.getpid())}
    print(json.dumps(figures))


if __name__ == "__main__":
    main(*sys.argv[1:3])
