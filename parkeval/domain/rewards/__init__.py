"""Rewards and budget, pure: the facts a bureau records (:mod:`.facts`), the claims of one
beneficiary year by year (:mod:`.compute`), what they cost against every cap (:mod:`.budget`),
the results (:mod:`.results`) and their words (:mod:`.words`)."""
