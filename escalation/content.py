"""The ladder's seed content, loaded by ``manage.py load_ladder`` and ``seed_demo``.

Loading is idempotent and never overwrites what an admin has edited: rows are
found by their natural key and only created when missing.
"""

from django.db import transaction

from .models import Rung

RUNGS = [
    (1, Rung.Code.READ_POLICY, "了解政策", "Read the policy"),
    (2, Rung.Code.CUSTOMER_SERVICE, "联系客服", "Contact customer service"),
    (3, Rung.Code.WRITTEN_APPLICATION, "书面申请", "Written application"),
    (4, Rung.Code.THIRD_PARTY, "第三方投诉", "Third-party complaint"),
    (5, Rung.Code.LITIGATION, "法律途径", "Litigation or arbitration"),
]


@transaction.atomic
def load_ladder():
    """Create the ladder content that is missing; return how many rows were created."""
    created = 0
    for position, code, title_zh, title_en in RUNGS:
        _, was_created = Rung.objects.get_or_create(
            code=code, defaults={"position": position, "title_zh": title_zh, "title_en": title_en}
        )
        created += was_created
    return created
