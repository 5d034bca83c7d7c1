"""A case's outside parties: the business asked to explain (and, later, brand owners and
followers). They reach the case only through signed, single-use links and see only what is
meant for them, never the reporter."""
