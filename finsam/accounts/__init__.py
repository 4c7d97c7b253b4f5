"""Accounts: invitations, the förbund's list of accounts, sign-in with lock-out
and optional two-factor codes, password change and reset, and the mail they send.

Kansli manages its own förbund's people here; platform staff keep the admin.
"""
