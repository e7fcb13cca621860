"""The handoff packet of a case with 20 phone photos: time to write it, its size, and the peak memory it takes.

Each packet is written in a process of its own (``bench.packet_child``), so that the peak resident memory
is the packet's. Memory must not grow with the photos (they are made smaller one by one, laid out a few at a
time, and the parts are joined from disk): the peak for 20 photos is compared with the peak for one.
"""

import io
import json
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Evidence
from documents import letters

from . import data
from .common import BIN, ROOT, VAR, Row


def phone_photo(seed):
    """A 12-megapixel JPEG of about 4.5 MB that compresses like a photo (smooth shapes and fine grain)."""
    shapes = Image.effect_noise((1008, 756), 40 + seed % 30).resize((4032, 3024), Image.Resampling.BILINEAR)
    grain = Image.effect_noise((4032, 3024), 12)
    photo = Image.merge("RGB", (shapes, Image.blend(shapes, grain, 0.5), grain))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=88)
    return out.getvalue()


def packet_case(photos, name):
    """A case at the written application with its letter issued, two text exhibits and ``photos`` phone photos."""
    owner = data.user(f"packet-{name}@bench.example")
    case = data.case_with_history(owner, evidence=2)
    letters.issue(case, letters.find_letter(case, "refund_application"), "zh-hans", owner)
    total = 0
    for number in range(photos):
        photo = phone_photo(number)
        total += len(photo)
        Evidence.add(
            case,
            SimpleUploadedFile(f"IMG_{number:04d}.jpg", photo),
            "image/jpeg",
            owner,
            title=f"聊天截图 {number + 1}",
        )
    return case, total


def write(env, case, name):
    """Write the case's packet in a process of its own: (figures, size in bytes)."""
    target = VAR / f"packet-{name}.pdf"
    result = subprocess.run(
        [str(BIN / "python"), "-m", "bench.packet_child", str(case.pk), str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1]), target.stat().st_size


def run(env, quick):
    photos = 6 if quick else 20
    small_case, _small_total = packet_case(1, "small")
    large_case, total = packet_case(photos, "large")
    small, _small_size = write(env, small_case, "small")
    large, size = write(env, large_case, "large")
    grown = large["peak_mib"] - small["peak_mib"]
    return [
        Row(
            "packet",
            f"write, {photos} phone photos ({total / 1e6:.0f} MB)",
            f"{large['seconds']:.1f} s, {large['pages']} pages",
        ),
        Row("packet", "size", f"{size / 1e6:.1f} MB"),
        Row("packet", f"peak memory, {photos} photos", f"{large['peak_mib']:.0f} MiB"),
        Row(
            "packet",
            f"peak memory, {photos} photos − 1 photo",
            f"{grown:+.0f} MiB (1 photo: {small['peak_mib']:.0f} MiB)",
            "< 40 MiB: bounded",
            grown < 40,
        ),
    ]
