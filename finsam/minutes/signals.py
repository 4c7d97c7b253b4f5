"""What the minutes tell the apps above finsam.

`minutes_signed(sender=Sammantrade, sammantrade, user)` is sent inside the
transaction that froze the meeting, once: insatser applies its decisions
(insatser.decisions) and a failure there undoes the signing.
"""

from django.dispatch import Signal

minutes_signed = Signal()
