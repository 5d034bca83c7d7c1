"""Hostile input, faults and load (issue 6). Some items of that list are proven beside the part
they belong to: login throttling and the same answer for an unknown account, and every staff URL
for every role (another agency's case, attachment, note, export: 404) in tests/intake/test_staff.py;
CSRF in tests/intake/test_public.py; file checks by content in tests/intake/test_attachments.py."""
