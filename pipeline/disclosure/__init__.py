"""Disclosure: what the public outputs may show, planned once for the council pages and open data together.

    rules.py         the rule: the threshold, why a cell is hidden (small, complement, merged), as printed, and
                     when small parts are merged into their total
    suppression.py   the plan: small counts ("<11") and the complementary cells that keep them hidden
    coarsen.py       coarser tables instead of hiding large cells: reasons and hours merged, units by quarter
                     (the launch days fold into the next fiscal year: periods.fold_launch)
    solver.py        what a reader can work out: each small count's least and greatest value from every
                     published total, "<11" as 1-10, "—" as >= 0 and relations between metrics (HiGHS)
    periods.py       the public pages' periods: fiscal years, the program to date, months, hour spans
    ledger.py        a ledger of published counts and totals, and its suppression plan
    public_counts.py every count the council pages publish, read from metric_values into one ledger
    redaction.py     which quarantined values a report or the run summary may quote (codes, never a phone)

The council dashboard (pipeline/reports/council/) prints the plan; the
open-data files (pipeline/open_data/) plan their own suppression around it.
Neither imports the other: both import this package.
"""
