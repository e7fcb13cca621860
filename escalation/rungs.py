"""The ladder's five rungs by position, named: code says ``rungs.APPLICATION``, never a bare 3.

The positions are fixed (the seeded ladder, escalation/content.py); the rows hold
titles, summaries and rules, which admins edit.
"""

POLICY = 1  # read the provider's own policy
CUSTOMER_SERVICE = 2  # contact the provider's customer service
APPLICATION = 3  # the written refund application
THIRD_PARTY = 4  # regulators, associations and other third parties
LITIGATION = 5  # court or arbitration

FIRST = POLICY
LAST = LITIGATION
