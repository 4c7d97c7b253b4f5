"""What a meeting tells the apps whose subjects are on its agenda."""

from django.dispatch import Signal

# An item was postponed (bordlagt): `new` is its item on the next meeting's
# agenda. The app that owns the item's subject moves the subject there.
# Sent inside the transaction, with keyword arguments old= and new=.
item_postponed = Signal()
