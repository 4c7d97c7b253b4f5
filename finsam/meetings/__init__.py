"""The board meeting from agenda to decisions: template, notice, attendance, jäv, quorum."""
