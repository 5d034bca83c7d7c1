"""Hostile input, faults and load. Some are proven beside the part they belong to: login
throttling and the same answer for an unknown account, and every staff URL for every role
(another agency's case, attachment, note, export: 404) in tests/intake/backoffice/test_staff.py;
CSRF and file checks by content in tests/intake/public/test_pages.py and
tests/workflows/evidence/."""
